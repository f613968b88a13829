"""Load test: a class on a real JupyterHub on this machine. Prints figures; never a timed test.

    .venv/bin/python benchmarks/hub_load.py                 # 30 students
    .venv/bin/python benchmarks/hub_load.py --students 3 --actions 6

JupyterHub (PyPI) with configurable-http-proxy (npm; installed into .ci/node_modules when missing),
DummyAuthenticator and SimpleLocalProcessSpawner, each user's home under a temporary folder, on
127.0.0.1 only. The single-user servers run a Python like hub/Dockerfile's image (the course's
dependencies and hub/ipython_kernel_config.py, not the course). The course comes from a local bare
git remote. Every student, all at once:

1. logs in (the hub's login form),
2. follows the course's nbgitpuller link (`/hub/user-redirect/git-pull?...`): the hub starts the
   server ("Launch server"), nbgitpuller clones the course into the student's home,
3. opens a notebook's kernel (sessions API) and creates the coder and the move classifier,
4. waits for the whole class, then performs coding actions (tick a code; autosave) and classifying
   actions (choose a class, answer; autosave) through the kernel protocol (websocket through the
   hub's proxy), with a short pause between actions, so that many run at the same time,
5. hands in with the course's own function (course.handin.hand_in) into the hand-in folder
   (SAMSKABELSE_HANDIN_DIR).

Meanwhile the lecturer logs in, pulls and opens the class view's notebook; when the class has
handed in, the class view (course.classroom.ClassView) reads the hand-in folder in the lecturer's
kernel. Printed: logins and pulls that failed, action latency p50/p95
under load, memory per user (RSS of the single-user server + its kernel; PSS too, which counts
shared pages once), and lost saves: acknowledged actions missing from what the class view read
(must be 0). Exit status 1 when anything failed or a save was lost.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import threading
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks import hubkit  # noqa: E402

NOTEBOOK = "samskabelse/notebooks/04_police_case.ipynb"
LECTURER_NOTEBOOK = "samskabelse/notebooks/lecturer_class_view.ipynb"
URLPATH = "lab/tree/samskabelse/notebooks/00_start.ipynb"
TIMEOUT = 1200  # s, per step: a whole class starting at once on a small machine is slow, not broken

SETUP = """
import json, os, shutil
import course
from course.widgets import ExcerptCoder, MoveClassifier
course.setup()
coder = ExcerptCoder(student={name!r})
clf = MoveClassifier(student={name!r})
codes = sorted(coder.boxes)
refs = clf.corpus.moves.set_index("id")["reference_class"]
print(json.dumps({{"excerpts": len(coder.model.ids), "moves": len(clf.model.ids), "codes": len(codes),
                  "version": course.__version__, "file": course.__file__}}))
"""

CODE = """
coder.jump.value = {excerpt}
coder.boxes[codes[{code}]].value = True
print(json.dumps([coder.model.excerpt_id, codes[{code}]]))
"""

CLASSIFY = """
clf.model.go({move})
clf.refresh()
clf.choose(refs[clf.model.move_id] if {right} else sorted(set(refs))[0])
clf.answer_button.click()
print(json.dumps(clf.model.move_id))
"""

MEMORY = """
import psutil
kernel = psutil.Process()
server = kernel.parent()
def mem(p):
    full = p.memory_full_info()
    return full.rss, getattr(full, "pss", full.rss)
(kr, kp), (sr, sp) = mem(kernel), mem(server)
print(json.dumps({"rss": kr + sr, "pss": kp + sp, "kernel_rss": kr, "server_rss": sr}))
"""

HAND_IN = """
from course.handin import hand_in
target = hand_in(coder.store)  # the course's own hand-in: the same function a student's button calls
print(json.dumps(str(target)))
"""

CLASS_VIEW = """
import json, os
import numpy as np
from course import classroom
view = classroom.ClassView(folder=os.environ["SAMSKABELSE_HANDIN_DIR"])
data = view.analyse()
out = {}
for s, doc in enumerate(data.docs):
    e_idx, c_idx = np.nonzero(data.coded["first"][s])
    out[doc["student"]] = {"coded": sorted([data.excerpts[e], data.codes[c]] for e, c in zip(e_idx, c_idx)),
                           "moves": sorted(set(data.moves.loc[data.moves.student_index == s, "move"]))}
print(json.dumps({"students": out, "skipped": len(data.skipped), "files": data.n_files}))
"""


def pct(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))] if values else float("nan")


class Student(threading.Thread):
    def __init__(self, hub: hubkit.Hub, index: int, link: str, actions: int, pause: float,
                 gate: "Gate", seed: int):
        super().__init__(daemon=True)
        self.hub, self.index, self.link, self.actions, self.pause = hub, index, link, actions, pause
        self.gate = gate
        self.user = f"stud{index:02d}"
        self.rng = random.Random(seed * 1000 + index)
        self.failed: str | None = None  # the step that failed
        self.error = ""
        self.latency = {"code": [], "classify": []}
        self.expected_codes: set[tuple[str, str]] = set()
        self.expected_moves: set[str] = set()
        self.acknowledged = 0
        self.memory: dict | None = None
        self.times: dict[str, float] = {}
        self.handed_in = False
        self.course_file = ""
        self.reconnects = 0

    def step(self, name, fn):
        start = time.monotonic()
        try:
            return fn()
        except Exception as err:
            self.failed = self.failed or name
            self.error = f"{name}: {err!r}\n{traceback.format_exc(limit=3)}"
            raise
        finally:
            self.times[name] = time.monotonic() - start

    def run(self):
        client = self.hub.client(timeout=TIMEOUT)
        kernel = None
        arrived = False
        try:
            self.step("login", lambda: client.login(self.user, self.hub.password))
            self.step("pull", lambda: client.pull(self.link, via_hub=True))
            kernel = self.step("kernel", lambda: client.open_notebook(NOTEBOOK))
            sizes = self.step("setup", lambda: kernel.value(SETUP.format(name=self.user), timeout=TIMEOUT))
            self.course_file = sizes["file"]
            arrived = True
            self.gate.arrive()
            self.gate.wait()
            for i in range(self.actions):
                time.sleep(self.rng.uniform(0.5, 1.5) * self.pause)
                if i % 2 == 0:
                    code = CODE.format(excerpt=(i * 3 + self.index) % sizes["excerpts"],
                                       code=(i * 7 + self.index) % sizes["codes"])
                    start = time.perf_counter()
                    excerpt, code_id = kernel.value(code)
                    self.latency["code"].append(time.perf_counter() - start)
                    self.expected_codes.add((excerpt, code_id))
                else:
                    code = CLASSIFY.format(move=(i * 5 + self.index) % sizes["moves"], right=self.rng.random() < .7)
                    start = time.perf_counter()
                    move = kernel.value(code)
                    self.latency["classify"].append(time.perf_counter() - start)
                    self.expected_moves.add(move)
                self.acknowledged += 1
            self.memory = self.step("memory", lambda: kernel.value(MEMORY))
            self.step("hand-in", lambda: kernel.value(HAND_IN.format(user=self.user)))
            self.handed_in = True
        except Exception:  # noqa: BLE001 - recorded in self.failed / self.error
            if not self.failed:
                self.failed, self.error = "actions", traceback.format_exc(limit=3)
        finally:
            if not arrived:
                self.gate.arrive()
            if kernel is not None:
                self.reconnects = kernel.reconnects
                try:
                    kernel.shutdown()
                except Exception:  # noqa: BLE001
                    pass


class Lecturer(threading.Thread):
    """Logs in and pulls with the class; when the class has handed in, reads the hand-ins in the class view."""

    def __init__(self, hub: hubkit.Hub, link: str, students: list[Student]):
        super().__init__(daemon=True)
        self.hub, self.link, self.students = hub, link, students
        self.class_done = threading.Event()
        self.view: dict = {}
        self.seconds = float("nan")
        self.memory: dict = {}
        self.error = ""

    def run(self):
        kernel = None
        try:
            client = self.hub.client(timeout=TIMEOUT)
            client.login("lecturer", self.hub.password)
            client.pull(self.link, via_hub=True)
            kernel = client.open_notebook(LECTURER_NOTEBOOK)
            kernel.execute("import json, os\nimport numpy as np\nimport course\nfrom course import classroom\n"
                           "course.setup()", timeout=900)
            self.class_done.wait()
            start = time.perf_counter()
            self.view = kernel.value(CLASS_VIEW, timeout=900)
            self.seconds = time.perf_counter() - start
            self.memory = kernel.value(MEMORY)
        except Exception:  # noqa: BLE001 - reported by run()
            self.error = traceback.format_exc(limit=4)
        finally:
            if kernel is not None:
                try:
                    kernel.shutdown()
                except Exception:  # noqa: BLE001
                    pass


class Gate:
    """The class starts its actions together: every student arrives once (ready or failed); the ready wait."""

    def __init__(self, parties: int):
        self.parties, self.arrived = parties, 0
        self.cond = threading.Condition()

    def arrive(self) -> None:
        with self.cond:
            self.arrived += 1
            self.cond.notify_all()

    def wait(self, timeout: float = 1800) -> None:
        with self.cond:
            self.cond.wait_for(lambda: self.arrived >= self.parties, timeout=timeout)


def run(students: int = 30, actions: int = 20, pause: float = 1.0, seed: int = 0, keep: bool = False,
        out=print, proxy: str | None = None) -> dict:
    proxy = proxy or hubkit.install_proxy()
    tmp = Path(tempfile.mkdtemp(prefix="hub-load-"))
    started = time.monotonic()
    bare, _clone = hubkit.course_remote(tmp / "git")
    python = hubkit.image_python(tmp)
    handin = tmp / "handin"
    handin.mkdir()
    hub = hubkit.Hub(tmp / "hub", python, proxy, environment={"SAMSKABELSE_HANDIN_DIR": str(handin)})
    (tmp / "hub").mkdir()
    result: dict = {"students": students, "load_before": os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0,
                    "cpus": os.cpu_count()}
    try:
        hub.start()
        link = hubkit.link_query(bare.as_uri(), "main", URLPATH)
        gate = Gate(students)
        class_start = time.monotonic()
        threads = [Student(hub, i + 1, link, actions, pause, gate, seed) for i in range(students)]
        lecturer = Lecturer(hub, link, threads)
        for t in [*threads, lecturer]:
            t.start()
        for t in threads:
            t.join()
        class_seconds = time.monotonic() - class_start
        lecturer.class_done.set()
        lecturer.join()
        if lecturer.error:
            raise RuntimeError(f"the lecturer's class view failed: {lecturer.error}")
        view, view_seconds = lecturer.view, lecturer.seconds

        lost = 0
        missing_students = []
        for t in threads:
            if not t.handed_in:
                continue
            got = view["students"].get(t.user)
            if got is None:
                missing_students.append(t.user)
                lost += len(t.expected_codes) + len(t.expected_moves)
                continue
            coded = {tuple(pair) for pair in got["coded"]}
            lost += len(t.expected_codes - coded) + len(set(t.expected_moves) - set(got["moves"]))
        lat_code = [x for t in threads for x in t.latency["code"]]
        lat_clf = [x for t in threads for x in t.latency["classify"]]
        lat_all = lat_code + lat_clf
        mems = [t.memory for t in threads if t.memory]
        failed = {step: [t.user for t in threads if t.failed == step]
                  for step in ("login", "pull", "kernel", "setup", "actions", "memory", "hand-in")}
        result.update(
            failed={k: v for k, v in failed.items() if v},
            errors=[t.error for t in threads if t.error],
            reconnects=sum(t.reconnects for t in threads),
            actions=len(lat_all), acknowledged=sum(t.acknowledged for t in threads),
            latency_p50=pct(lat_all, .5), latency_p95=pct(lat_all, .95),
            code_p50=pct(lat_code, .5), code_p95=pct(lat_code, .95),
            classify_p50=pct(lat_clf, .5), classify_p95=pct(lat_clf, .95),
            pull_p50=pct([t.times["pull"] for t in threads if "pull" in t.times], .5),
            pull_max=max([t.times["pull"] for t in threads if "pull" in t.times], default=float("nan")),
            kernel_p50=pct([t.times["kernel"] + t.times.get("setup", 0) for t in threads if "kernel" in t.times], .5),
            rss_median=statistics.median([m["rss"] for m in mems]) if mems else float("nan"),
            rss_max=max([m["rss"] for m in mems], default=float("nan")),
            pss_median=statistics.median([m["pss"] for m in mems]) if mems else float("nan"),
            pss_total=sum(m["pss"] for m in mems),
            kernel_rss_median=statistics.median([m["kernel_rss"] for m in mems]) if mems else float("nan"),
            server_rss_median=statistics.median([m["server_rss"] for m in mems]) if mems else float("nan"),
            handed_in=sum(t.handed_in for t in threads), class_view_students=len(view["students"]),
            class_view_skipped=view["skipped"], class_view_seconds=view_seconds,
            lecturer_rss=lecturer.memory.get("rss", float("nan")),
            course_from_pull=sum(f"/home/{t.user}/samskabelse/course/" in t.course_file for t in threads),
            load_after=os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0,
            lost_saves=lost, missing_students=missing_students, class_seconds=class_seconds,
            total_seconds=time.monotonic() - started,
        )
    except Exception:
        out(hub.log_tail())
        raise
    finally:
        hub.stop()
        if not keep:
            import shutil

            shutil.rmtree(tmp, ignore_errors=True)
        else:
            out(f"(kept {tmp})")
    report(result, pause, out)
    return result


def report(r: dict, pause: float, out=print) -> None:
    mb = lambda b: f"{b / 2**20:.0f} MB"  # noqa: E731
    ms = lambda s: f"{s * 1000:.0f} ms"  # noqa: E731
    n = r["students"]
    failed = r.get("failed", {})
    out(f"JupyterHub load test: {n} students at once, pause {pause:.1f} s (±50 %) between actions")
    out(f"  machine: {r['cpus']} CPUs, load average {r['load_before']:.1f} before, {r['load_after']:.1f} after "
        "(other work on the machine included)")
    out(f"  kernels running the pulled course: {r['course_from_pull']}/{n}")
    out(f"  logins failed:            {len(failed.get('login', []))}/{n}")
    out(f"  pulls failed:             {len(failed.get('pull', []))}/{n}  (pull incl. server start: "
        f"median {r['pull_p50']:.1f} s, slowest {r['pull_max']:.1f} s)")
    out(f"  kernels failed:           {len(failed.get('kernel', [])) + len(failed.get('setup', []))}/{n}  "
        f"(kernel start + course set-up: median {r['kernel_p50']:.1f} s)")
    out(f"  actions:                  {r['actions']} acknowledged; kernel websockets reconnected: {r['reconnects']}")
    out(f"  action latency, all:      p50 {ms(r['latency_p50'])}, p95 {ms(r['latency_p95'])}")
    out(f"    coding (tick, save):    p50 {ms(r['code_p50'])}, p95 {ms(r['code_p95'])}")
    out(f"    classifying (answer):   p50 {ms(r['classify_p50'])}, p95 {ms(r['classify_p95'])}")
    out(f"  memory per user (RSS server + kernel): median {mb(r['rss_median'])}, max {mb(r['rss_max'])} "
        f"(kernel {mb(r['kernel_rss_median'])}, server {mb(r['server_rss_median'])}; PSS {mb(r['pss_median'])}, "
        f"whole class {mb(r['pss_total'])} PSS)")
    out(f"  hand-ins: {r['handed_in']}/{n}; class view read {r['class_view_students']} students "
        f"({r['class_view_skipped']} files skipped) in {r['class_view_seconds']:.1f} s; "
        f"lecturer's server + kernel afterwards {mb(r['lecturer_rss'])} RSS")
    out(f"  lost saves:               {r['lost_saves']}  (must be 0)")
    out(f"  wall time: class {r['class_seconds']:.0f} s, all {r['total_seconds']:.0f} s")
    for err in r.get("errors", [])[:5]:
        out("  error: " + err.strip().replace("\n", "\n         "))


def ok(r: dict) -> bool:
    return (not r.get("failed") and r.get("course_from_pull") == r["students"] and r.get("lost_saves") == 0 and r.get("handed_in") == r["students"]
            and r.get("class_view_students") == r["students"])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Load test: a class on a real JupyterHub (127.0.0.1).")
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--actions", type=int, default=20, help="actions per student (coding and classifying)")
    parser.add_argument("--pause", type=float, default=1.0, help="mean pause between a student's actions, s")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (logs, homes)")
    args = parser.parse_args(argv)
    result = run(args.students, args.actions, args.pause, args.seed, args.keep)
    return 0 if ok(result) else 1


if __name__ == "__main__":
    sys.exit(main())
