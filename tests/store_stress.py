"""Crash and concurrency drills for course.store, shared by the tests and benchmarks/stress_*.py.

POSIX only (fork and SIGKILL). A writer is a forked child that opens a student's save (recovering
whatever an earlier killed writer left) and saves one new entry after another; after each save
that returned True it reports the entry's id on a pipe. The parent kills it with SIGKILL at a
random moment; an entry reported but missing after the next open is *lost*.
"""
from __future__ import annotations

import os
import random
import signal
import time
from pathlib import Path

STUDENT = "Ane Ø"


def _store(folder: Path):
    from course.store import Store

    return Store(STUDENT, "article", "v1", "c1", folder)


def _report(fd: int, text: str) -> None:
    os.write(fd, (text + "\n").encode())


def _writer(folder: Path, prefix: str, fd: int, seed: int, background: bool = False) -> None:
    from course.store import now

    rng = random.Random(seed)
    store = _store(folder)
    if background:  # as in a notebook: save() hands the state to the writer thread; flush() confirms
        store.autosave_in_background()
    waiting: list[str] = []
    i = 0
    while True:
        key = f"{prefix}-{i}"
        store.coding[key] = {"first": ["X"], "memo": "m" * rng.randint(0, 4000), "revealed": False,
                             "updated": now()}
        if i and rng.random() < 0.3:  # change an earlier entry too
            old = store.coding[f"{prefix}-{rng.randrange(i)}"]
            old["memo"] = old["memo"][:10] + "x"
            old["updated"] = now()
        if background:
            store.save()
            waiting.append(key)
            if rng.random() < 0.4 and store.flush():  # several saves coalesce between two flushes
                for done in waiting:
                    _report(fd, done)
                waiting.clear()
        elif store.save() is not False:  # True (or None: the store before issue 10 returned nothing)
            _report(fd, key)
        i += 1


def _read_all(fd: int) -> list[str]:
    chunks = []
    while True:
        chunk = os.read(fd, 65536)
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks).decode().split()


def kill_drill(folder: Path, kills: int, seed: int = 0, max_delay: float = 0.25,
               check_every: int = 1, background: bool = False) -> dict:
    """Kill ``kills`` writers at random moments; return counts (``lost`` must be 0)."""
    rng = random.Random(seed)
    folder = Path(folder)
    confirmed: set[str] = set()
    lost: set[str] = set()
    empty_opens = 0
    for k in range(kills):
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:  # the writer
            os.close(read_fd)
            try:
                _writer(folder, f"k{k}", write_fd, seed * 100_003 + k, background)
            finally:
                os._exit(0)
        os.close(write_fd)
        time.sleep(rng.uniform(0.0, max_delay))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        confirmed.update(_read_all(read_fd))
        os.close(read_fd)
        if (k + 1) % check_every == 0 or k == kills - 1:
            opened = _store(folder)
            if confirmed and not opened.coding:
                empty_opens += 1
            lost |= confirmed - set(opened.coding)
    return {"kills": kills, "confirmed": len(confirmed), "lost": len(lost), "empty_opens": empty_opens,
            "lost_ids": sorted(lost)[:20]}


def _saver(folder: Path, tag: str, n: int, pause: float, start_fd: int) -> int:
    from course.store import now

    os.read(start_fd, 1)  # both start together
    store = _store(folder)
    failures = 0
    for i in range(n):
        store.coding[f"{tag}-{i}"] = {"first": ["X"], "memo": tag, "revealed": False, "updated": now()}
        move = store.moves.setdefault("PM01", {"attempts": [], "updated": now()})
        move["attempts"].append({"answer": f"{tag}-{i}", "result": "wrong", "at": now()})
        move["updated"] = now()
        while store.save() is False:
            failures += 1
            if failures > 50:
                return 1
        if pause:
            time.sleep(pause)
    return 0


def two_writers(folder: Path, n: int = 40, pause: float = 0.0) -> dict:
    """Two processes save one student's file at once, each adding ``n`` excerpts and ``n`` attempts."""
    folder = Path(folder)
    read_fd, write_fd = os.pipe()
    pids = []
    for tag in ("A", "B"):
        pid = os.fork()
        if pid == 0:
            os.close(write_fd)
            code = 1
            try:
                code = _saver(folder, tag, n, pause, read_fd)
            finally:
                os._exit(code)
        pids.append(pid)
    os.close(read_fd)
    os.write(write_fd, b"go")
    os.close(write_fd)
    codes = [os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) for pid in pids]
    store = _store(folder)
    expected = {f"{t}-{i}" for t in "AB" for i in range(n)}
    attempts = {a["answer"] for a in store.moves.get("PM01", {}).get("attempts", [])}
    return {"exit_codes": codes, "entries": 2 * n,
            "lost_entries": len(expected - set(store.coding)),
            "lost_attempts": len(expected - attempts)}
