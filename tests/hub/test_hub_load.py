"""A small class (3 students) on a real JupyterHub: benchmarks/hub_load.py, the load test's own code.

Logs in, pulls through the nbgitpuller link, codes and classifies through the kernel protocol over
the hub's proxy, hands in, and the lecturer's class view reads the hand-ins: no failed step, every
kernel on the pulled course, no lost save. Needs Node.js/npm for configurable-http-proxy: skipped
with a message without them, a failure under CI=true. The figures of the 30-student run are in the
README (`.venv/bin/python benchmarks/hub_load.py`).
"""
from __future__ import annotations

import pytest

from benchmarks import hub_load

pytestmark = pytest.mark.hub


def test_a_small_class_on_a_real_jupyterhub_loses_no_save(proxy, image_python):
    lines: list[str] = []
    result = hub_load.run(students=3, actions=4, pause=0.2, out=lines.append, proxy=proxy)
    report = "\n".join(lines)
    assert result["failed"] == {}, report
    assert result["course_from_pull"] == 3, report
    assert result["acknowledged"] == 12 and result["actions"] == 12, report
    assert result["handed_in"] == 3 and result["class_view_students"] == 3, report
    assert result["class_view_skipped"] == 0, report
    assert result["lost_saves"] == 0, report
    assert hub_load.ok(result), report
