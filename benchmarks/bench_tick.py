"""Benchmark: a checkbox tick in a REAL kernel, autosave included. Prints figures; never a timed test.

    .venv/bin/python benchmarks/bench_tick.py                # 200 clicks per figure, one every 250 ms
    .venv/bin/python benchmarks/bench_tick.py --ticks 100 --pace 0.1

A kernel is started (jupyter_client, the python3 kernel of this environment) with a work folder of
its own, an ExcerptCoder is made in it, and its checkboxes are clicked the way the browser clicks
them: a comm message that sets the box's value. In the kernel, each click is timed with
``time.perf_counter`` around the widget's ``set_state`` (the observers, the model, the autosave,
the save bar); every write of the store is stamped too.

  click, paced      one click every 250 ms (a quick student; --pace), median and p95
  no save           the same click on a second coder whose store does not save, in turn with
                    the first: what the widgets and the model cost without any saving
  burst             --ticks clicks sent as fast as possible (the writer waits for a pause, at most
                    a second, so a long burst still meets writes)
  click -> written  from a click until the store's write of it has finished ("Gemt")
  floor             a hand-written atomic write of the same save file in the same kernel: write a
                    temporary file, ``os.replace`` (and the same with fsync)

Lines start with "tick". The goal (issue 15): median <= 2 ms, p95 <= 3 ms.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SETUP_CODE = r"""
import json, os, statistics, time
import course
from course.widgets import ExcerptCoder

course.setup()
coder = ExcerptCoder(student="bench")
bare = ExcerptCoder(student="bench-no-save")  # the same tick with the save switched off
bare.store.save = lambda: True
TIMES = {"coder": [], "bare": []}
WRITES = []

def _record(widget, label):
    for box in widget.boxes.values():
        real = box.set_state  # what a click's comm message calls

        def timed(state, real=real, label=label):
            start = time.perf_counter()
            try:
                real(state)
            finally:
                TIMES[label].append((start, time.perf_counter()))
        box.set_state = timed

_record(coder, "coder")
_record(bare, "bare")
_save_once = coder.store._save_once  # one write under the lock (also in the store before issue 15)

def _timed_save_once(*args, **kwargs):
    try:
        return _save_once(*args, **kwargs)
    finally:
        WRITES.append(time.perf_counter())

coder.store._save_once = _timed_save_once
print("IDS " + json.dumps({label: [[b.model_id, b.value] for b in w.boxes.values()]
                           for label, w in (("coder", coder), ("bare", bare))}))
"""

RESULT_CODE = r"""
def _pct(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]

if hasattr(coder.store, "flush"):
    coder.store.flush()
warm = {warm}
paced = [e - s for s, e in TIMES["coder"][warm:warm + {ticks}]]
paced_bare = [e - s for s, e in TIMES["bare"][warm:]]
burst = [e - s for s, e in TIMES["coder"][warm + {ticks}:]]
saved_after = []
for s, e in TIMES["coder"][warm:warm + {ticks}]:
    later = [w for w in WRITES if w > e]
    if later:
        saved_after.append(later[0] - s)
payload = coder.store.path.read_bytes()
floor, floor_fsync = [], []
for i in range({ticks}):
    for out, sync in ((floor, False), (floor_fsync, True)):
        start = time.perf_counter()
        tmp = coder.store.path.with_name(".floor-%d.json" % i)
        with open(tmp, "wb") as handle:
            handle.write(payload)
            if sync:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(tmp, coder.store.folder / "floor.json")
        out.append(time.perf_counter() - start)
res = {{}}
for name, values in (("paced", paced), ("paced_bare", paced_bare), ("burst", burst), ("saved", saved_after),
                     ("floor", floor), ("floor_fsync", floor_fsync)):
    res[name] = [statistics.median(values), _pct(values, .95), len(values)]
res["bytes"] = len(payload)
res["writes"] = len(WRITES)
res["saved_ok"] = coder.store.save_error is None and coder.store.doc["coding"] == json.loads(payload)["coding"]
print("RESULT " + json.dumps(res))
"""


def run_in_kernel(ticks: int, pace: float, warm: int = 10) -> dict:
    import time

    from jupyter_client.manager import start_new_kernel

    work = tempfile.mkdtemp(prefix="bench-tick-")
    env = dict(os.environ, SAMSKABELSE_WORK_DIR=work, PYTHONPATH=str(ROOT))
    km, kc = start_new_kernel(kernel_name="python3", env=env, cwd=str(ROOT))
    try:
        def execute(code: str) -> str:
            out = []

            def hook(msg):
                if msg["msg_type"] == "stream":
                    out.append(msg["content"]["text"])
                elif msg["msg_type"] == "error":
                    out.append("\n".join(msg["content"]["traceback"]))
            reply = kc.execute_interactive(code, timeout=600, output_hook=hook)
            text = "".join(out)
            if reply["content"]["status"] != "ok":
                raise RuntimeError(text[-3000:])
            return text

        boxes = json.loads(execute(SETUP_CODE).split("IDS ", 1)[1].splitlines()[0])
        state = {label: dict(items) for label, items in boxes.items()}
        order = {label: [model_id for model_id, _ in items] for label, items in boxes.items()}

        def click(label: str, i: int) -> None:
            """What a click on a checkbox in the browser sends: a comm message that sets its value."""
            model_id = order[label][i % len(order[label])]
            state[label][model_id] = not state[label][model_id]
            kc.shell_channel.send(kc.session.msg("comm_msg", {
                "comm_id": model_id, "data": {"method": "update", "state": {"value": state[label][model_id]},
                                              "buffer_paths": []}}))

        for i in range(warm):
            click("coder", i)
            click("bare", i)
            time.sleep(pace / 2)
        for i in range(ticks):  # in turn, so that the machine's load falls on both alike
            time.sleep(pace / 2)
            click("coder", i)
            time.sleep(pace / 2)
            click("bare", i)
        time.sleep(1.5)
        for i in range(ticks):  # a burst: as fast as the messages come
            click("coder", i)
        text = execute(RESULT_CODE.format(ticks=ticks, warm=warm))
        return json.loads(text.split("RESULT ", 1)[1].splitlines()[0])
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ticks", type=int, default=200)
    parser.add_argument("--pace", type=float, default=0.25, help="seconds between paced ticks (default: a quick student)")
    args = parser.parse_args(argv)
    from course import store

    res = run_in_kernel(args.ticks, args.pace)
    floor = res["floor"][0]
    goal = "(goal: median <= 2 ms, p95 <= 3 ms)"
    median, p95, n = res["paced"]
    print(f"tick: a click on a checkbox in a real kernel, one every {args.pace * 1000:.0f} ms: median {ms(median)}, "
          f"p95 {ms(p95)} vs floor (tmp + os.replace) {ms(floor)}; ratio {median / floor:.2f} {goal} [n={n}]")
    bare, bare95, _ = res["paced_bare"]
    print(f"tick: the same click with the save switched off: median {ms(bare)}, p95 {ms(bare95)}; "
          f"the save's share of the median {ms(median - bare)} (ratio {median / bare:.2f})")
    median, p95, n = res["burst"]
    print(f"tick: a burst of {n} clicks as fast as the messages come: median {ms(median)}, p95 {ms(p95)}; "
          f"ratio {median / floor:.2f} {goal}")
    median, p95, n = res["saved"]
    print(f"tick: click -> written to disk (\"Gemt\"): median {ms(median)}, p95 {ms(p95)} (the writer waits for a "
          f"{getattr(store, 'SAVE_QUIET_SECONDS', 0) * 1000:.0f} ms pause) vs floor with fsync {ms(res['floor_fsync'][0])}; "
          f"{res['writes']} writes for {2 * args.ticks} clicks")
    print(f"tick: floor: atomic write of the {res['bytes']:,}-byte save: {ms(floor)} (p95 {ms(res['floor'][1])}); "
          f"with fsync {ms(res['floor_fsync'][0])} (p95 {ms(res['floor_fsync'][1])})"
          + ("" if res["saved_ok"] else "  [the last save FAILED or differs from the state]"))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
