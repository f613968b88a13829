"""Stress: kill a saving process with SIGKILL at random moments and count lost entries (must be 0).

    .venv/bin/python benchmarks/stress_kill.py            # 200 kills
    .venv/bin/python benchmarks/stress_kill.py --kills 500 --seed 3
    .venv/bin/python benchmarks/stress_kill.py --background   # through the widgets' background writer

A writer (a forked child) opens one student's save, recovering whatever the previous killed writer
left, and saves one new entry after another, reporting each entry whose save returned. After every
kill the save is opened again; an entry that was reported but is missing is lost. POSIX only.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

import store_stress  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kills", type=int, default=200)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--max-delay", type=float, default=0.25, help="seconds; each kill lands at random in [0, this]")
    parser.add_argument("--background", action="store_true",
                        help="save through the background writer (as the widgets do); an entry counts once flush() returned")
    args = parser.parse_args()
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="stress-kill-") as folder:
        result = store_stress.kill_drill(Path(folder), args.kills, args.seed, args.max_delay,
                                         background=args.background)
    seconds = time.perf_counter() - start
    print(f"kills: {result['kills']}")
    print(f"entries confirmed saved before a kill: {result['confirmed']}")
    print(f"opens that started empty while work existed: {result['empty_opens']}")
    print(f"lost entries: {result['lost']}" + (f" (e.g. {', '.join(result['lost_ids'])})" if result["lost"] else ""))
    print(f"time: {seconds:.1f} s")
    return 0 if result["lost"] == 0 and result["empty_opens"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
