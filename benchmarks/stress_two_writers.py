"""Stress: two processes save one student's file at once; count lost entries (must be 0).

    .venv/bin/python benchmarks/stress_two_writers.py               # 20 runs, full speed and one click per 50 ms
    .venv/bin/python benchmarks/stress_two_writers.py --runs 50 --n 40

Each process adds n excerpts and n answers to one move of the same student, as two notebooks open
side by side would. POSIX only (fork).
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
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--n", type=int, default=40, help="entries each process saves")
    args = parser.parse_args()
    failed = 0
    for label, pause in (("full speed", 0.0), ("one click per 50 ms", 0.05)):
        lost_entries = lost_attempts = bad_exits = 0
        start = time.perf_counter()
        for _ in range(args.runs):
            with tempfile.TemporaryDirectory(prefix="stress-two-") as folder:
                result = store_stress.two_writers(Path(folder), args.n, pause)
            lost_entries += result["lost_entries"]
            lost_attempts += result["lost_attempts"]
            bad_exits += sum(1 for code in result["exit_codes"] if code)
        seconds = time.perf_counter() - start
        print(f"{label}: {args.runs} runs x 2 processes x {args.n} entries: lost entries {lost_entries}, "
              f"lost move answers {lost_attempts}, processes that could not save {bad_exits} ({seconds:.1f} s)")
        failed += lost_entries + lost_attempts + bad_exits
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
