"""The hub deployment with a real `jupyter server` + nbgitpuller and a local bare remote.

The server runs a Python like hub/Dockerfile's image (the course's dependencies and
hub/ipython_kernel_config.py, not the course), so `import course` works only through the pulled
folder. Pulls go through the server's nbgitpuller endpoints as the link's page does.
"""
from __future__ import annotations

import csv
import hashlib
import io
import re
import urllib.parse

import pytest

from benchmarks import hubkit

pytestmark = pytest.mark.hub

NOTEBOOK = "samskabelse/notebooks/04_police_case.ipynb"

PROBE = """
import json, sys
import course
corpus = course.load_corpus()
row = corpus.excerpts.set_index("id").loc[{excerpt!r}]
print(json.dumps({{"version": course.__version__, "file": course.__file__, "text": row["text_da"],
                  "data_version": corpus.data_version}}))
"""

SAVE = """
import json
from course.widgets import ExcerptCoder
coder = ExcerptCoder(student="Ada Lovelace")
coder.model.go(0)
code = sorted(coder.boxes)[0]
coder.boxes[code].value = True
print(json.dumps({"path": str(coder.store.path), "excerpt": coder.model.ids[0], "code": code}))
"""


def snapshot(folder):
    return {str(p.relative_to(folder)): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def first_plain_excerpt(clone):
    """A non-quote excerpt whose Danish text appears verbatim in the CSV (so a text edit is simple)."""
    raw = (clone / "data" / "excerpts.csv").read_text(encoding="utf-8")
    for row in csv.DictReader(io.StringIO(raw)):
        if row["kind"] != "quote" and '"' not in row["text_da"] and raw.count(row["text_da"]) == 1:
            return row["id"], row["text_da"]
    raise AssertionError("no plain excerpt to edit")


def commit_upstream_change(clone, excerpt_text, branch="main"):
    init = clone / "course" / "__init__.py"
    text = init.read_text(encoding="utf-8")
    assert '__version__ = "0.1.0"' in text
    init.write_text(text.replace('__version__ = "0.1.0"', '__version__ = "0.1.1"'), encoding="utf-8")
    csv_path = clone / "data" / "excerpts.csv"
    raw = csv_path.read_text(encoding="utf-8")
    csv_path.write_text(raw.replace(excerpt_text, excerpt_text + " (rettet)", 1), encoding="utf-8")
    hubkit.git("commit", "-q", "-am", "Fix a typo in the data; version 0.1.1", cwd=clone)
    hubkit.git("push", "-q", "origin", branch, cwd=clone)


@pytest.fixture
def server(image_python, tmp_path):
    srv = hubkit.JupyterServer(image_python, tmp_path / "home", tmp_path / "server.log")
    try:
        srv.start()
        yield srv
    finally:
        srv.stop()


def test_a_pulled_update_reaches_a_new_kernel_and_the_work_is_untouched(server, tmp_path):
    bare, clone = hubkit.course_remote(tmp_path)
    excerpt, text = first_plain_excerpt(clone)
    client = server.client()
    link = hubkit.link_query(bare.as_uri(), "main", "lab/tree/samskabelse/notebooks/00_start.ipynb")
    first = client.pull(link)
    assert first["targetpath"] == "samskabelse"
    assert first["redirect"].endswith("lab/tree/samskabelse/notebooks/00_start.ipynb")
    pulled = server.home / "samskabelse"

    kernel = client.open_notebook(NOTEBOOK)
    before = kernel.value(PROBE.format(excerpt=excerpt))
    assert before["version"] == "0.1.0" and before["text"] == text
    assert before["file"] == str(pulled / "course" / "__init__.py"), "the kernel runs the pulled copy"
    saved = kernel.value(SAVE)
    work = server.home / "samskabelse-work"
    assert saved["path"].startswith(str(work))
    work_before = snapshot(work)
    assert work_before, "the save file was written"

    commit_upstream_change(clone, text)
    second = client.pull(link)
    assert "Fast-forward" in second["output"] or "Merge made" in second["output"]
    assert '__version__ = "0.1.1"' in (pulled / "course" / "__init__.py").read_text(encoding="utf-8")

    # The kernel that ran before the pull keeps the old modules, and says so.
    stale = kernel.execute("1 + 1")
    assert "Restart Kernel" in stale["stderr"] and str(pulled) in stale["stderr"]
    kernel.shutdown()

    fresh = client.open_notebook(NOTEBOOK)
    after = fresh.value(PROBE.format(excerpt=excerpt))
    assert after["version"] == "0.1.1"
    assert after["text"] == text + " (rettet)"
    assert after["data_version"] != before["data_version"]
    assert after["file"] == before["file"]
    restored = fresh.value(
        "import json\nfrom course.widgets import ExcerptCoder\nc = ExcerptCoder(student='Ada Lovelace')\n"
        f"print(json.dumps(sorted(c.store.coding.get({saved['excerpt']!r}, {{}}).get('first', []))))")
    assert restored == [saved["code"]], "the saved work opens in the updated course"
    fresh.shutdown()
    assert snapshot(work) == work_before, "the pull left the work folder alone"


def test_outside_the_course_folder_the_error_says_what_to_do(server):
    (server.home / "notes").mkdir()
    client = server.client()
    kernel = client.open_notebook("notes/scratch.ipynb")
    try:
        with pytest.raises(hubkit.KernelError) as caught:
            kernel.execute("import course")
        err = caught.value
        assert err.ename == "ModuleNotFoundError"
        text = "\n".join(err.traceback)
        assert "Sådan gør du" in text and "What to do" in text and "Restart Kernel" in text
        assert str(server.home / "notes") in text
        # Other missing modules keep the ordinary message only.
        with pytest.raises(hubkit.KernelError) as other:
            kernel.execute("import no_such_module_here")
        assert "Sådan gør du" not in "\n".join(other.value.traceback)
    finally:
        kernel.shutdown()


def readme_link() -> dict[str, str]:
    """The query of the README's nbgitpuller link for a hub."""
    readme = (hubkit.ROOT / "README.md").read_text(encoding="utf-8")
    found = re.search(r"https://HUB/hub/user-redirect/git-pull\?(\S+)", readme)
    assert found, "the README shows an nbgitpuller link"
    return dict(urllib.parse.parse_qsl(found.group(1)))


def test_the_readmes_release_link_pulls_on_every_click_and_a_tag_does_not(server, tmp_path):
    link = readme_link()
    release, folder, urlpath = link["branch"], link["targetpath"], link["urlpath"]
    assert release.startswith("release-"), "the README pins a release branch, not a tag"
    assert urlpath.startswith(f"lab/tree/{folder}/")
    bare, clone = hubkit.course_remote(tmp_path)
    hubkit.git("tag", "v2026.1", cwd=clone)
    hubkit.git("branch", release, cwd=clone)
    hubkit.git("push", "-q", "origin", "v2026.1", release, cwd=clone)
    client = server.client()

    pinned = hubkit.link_query(bare.as_uri(), release, urlpath, folder)
    client.pull(pinned)
    second = client.pull(pinned)  # the second click: the one a tag fails on
    assert second["redirect"].endswith(urlpath)
    assert (server.home / urlpath.removeprefix("lab/tree/")).is_file(), "urlpath points at the pulled notebook"

    # The conflict rule: the student edits the first line of a file; the lecturer fixes that line
    # and the last one. After the pull the student's line stays (the fix to it is dropped, without
    # a message) and the fix elsewhere in the file arrives.
    student_file = server.home / folder / "data" / "README.md"
    lines = student_file.read_text(encoding="utf-8").splitlines(keepends=True)
    student_file.write_text("".join(["# Mine noter\n", *lines[1:]]), encoding="utf-8")

    # A fix on the release branch reaches the students; work on main after the release does not.
    hubkit.git("checkout", "-q", release, cwd=clone)
    (clone / "RELEASE-FIX.md").write_text("fix\n", encoding="utf-8")
    (clone / "data" / "README.md").write_text("".join(["# Rettet overskrift\n", *lines[1:-1], "Rettet sidste linje\n"]),
                                              encoding="utf-8")
    hubkit.git("add", "RELEASE-FIX.md", "data/README.md", cwd=clone)
    hubkit.git("commit", "-q", "-m", "fix on the release", cwd=clone)
    hubkit.git("push", "-q", "origin", release, cwd=clone)
    hubkit.git("checkout", "-q", "main", cwd=clone)
    (clone / "NEXT-SEMESTER.md").write_text("new\n", encoding="utf-8")
    hubkit.git("add", "NEXT-SEMESTER.md", cwd=clone)
    hubkit.git("commit", "-q", "-m", "next semester", cwd=clone)
    hubkit.git("push", "-q", "origin", "main", cwd=clone)
    client.pull(pinned)
    assert (server.home / folder / "RELEASE-FIX.md").exists()
    assert not (server.home / folder / "NEXT-SEMESTER.md").exists()
    merged = student_file.read_text(encoding="utf-8").splitlines()
    assert merged[0] == "# Mine noter", "the student's side wins where both changed the same line"
    assert merged[-1] == "Rettet sidste linje", "a fix elsewhere in the file arrives"

    tagged = hubkit.link_query(bare.as_uri(), "v2026.1", "lab/tree/tag/notebooks/00_start.ipynb", "tag")
    client.pull(tagged)
    with pytest.raises(hubkit.PullError) as caught:
        client.pull(tagged)
    assert "origin/v2026.1" in str(caught.value) or "128" in str(caught.value)


def test_the_folder_is_the_last_part_of_the_repository_url(server, tmp_path):
    bare, _ = hubkit.course_remote(tmp_path)
    dotgit = bare.parent / "samskabelse.git"
    dotgit.symlink_to(bare, target_is_directory=True)
    fork = bare.parent / "samskabelse-fork"
    fork.symlink_to(bare, target_is_directory=True)
    client = server.client()
    assert client.pull(hubkit.link_query(dotgit.as_uri(), "main", "x"))["targetpath"] == "samskabelse.git"
    assert (server.home / "samskabelse.git" / "course" / "__init__.py").exists()
    assert client.pull(hubkit.link_query(fork.as_uri(), "main", "x"))["targetpath"] == "samskabelse-fork"
    assert (server.home / "samskabelse-fork" / "course" / "__init__.py").exists()
    assert not (server.home / "samskabelse").exists()
    # targetpath (as in the README's link) gives the folder urlpath expects, whatever the URL.
    assert client.pull(hubkit.link_query(dotgit.as_uri(), "main", "x", "samskabelse"))["targetpath"] == "samskabelse"
    assert (server.home / "samskabelse" / "course" / "__init__.py").exists()
