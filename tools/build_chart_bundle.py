"""Build the offline chart bundle the course ships: course/_vendor/jupyterchart.js.

    .venv/bin/python tools/build_chart_bundle.py          # (re)write the bundle
    .venv/bin/python tools/build_chart_bundle.py --check  # exit 1 when it does not match the pins

Altair's ``JupyterChart`` widget loads Vega, Vega-Lite and vega-embed from a CDN unless it is given
a self-contained bundle; Altair makes that bundle with vl-convert in every new kernel
(``JupyterChart.enable_offline``). The course builds it ONCE here, from the pinned Altair's widget
source and the pinned vl-convert, so that the course's runtime needs no vl-convert (84 MB). Run it
after changing the Altair or vl-convert pin (needs the `test` or `site` extra, which carry
vl-convert); tests/test_charts_bundle.py checks the header against the installed Altair.
"""
from __future__ import annotations

import argparse
import sys
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUNDLE = ROOT / "course" / "_vendor" / "jupyterchart.js"

NOTICE = """\
/*
 * Offline bundle of Altair's JupyterChart widget, made by tools/build_chart_bundle.py
 * altair=={altair} vega-lite=={vegalite} vl-convert-python=={vlc} vega=={vega} vega-embed=={embed}
 *
 * It contains, minified, third-party code under these licences (full texts in THIRD_PARTY_LICENSES.md
 * beside this file):
 *   Vega, Vega-Lite, vega-embed, vega-themes, vega-tooltip: BSD-3-Clause,
 *     Copyright (c) 2015-2023, University of Washington Interactive Data Lab
 *   Altair's JupyterChart front end (altair/jupyter/js/index.js): BSD-3-Clause,
 *     Copyright (c) 2015-2023, Vega-Altair Developers
 *   d3 modules used by Vega: ISC, Copyright 2010-2023 Mike Bostock
 *   json-stringify-pretty-compact: MIT, Copyright (c) 2014, 2016, 2017, 2019, 2021, 2022 Simon Lydell
 * Bundled with vl-convert (BSD-3-Clause, Copyright (c) 2021-2023, Jon Mease).
 */
"""


def header() -> str:
    import altair as alt
    import vl_convert as vlc

    return NOTICE.format(altair=alt.__version__, vegalite=alt.SCHEMA_VERSION.lstrip("v"),
                         vlc=version("vl-convert-python"), vega=vlc.get_vega_version(),
                         embed=vlc.get_vega_embed_version())


def build() -> str:
    """The header and Altair's widget module bundled with its imports (as Altair's offline mode does)."""
    import altair as alt
    import vl_convert as vlc

    source = (Path(alt.__file__).parent / "jupyter" / "js" / "index.js").read_text(encoding="utf-8")
    lines = source.split("\n")
    # The module's imports (from the CDN) go; vl-convert's bundler resolves the same names offline.
    while lines and (not lines[0].strip() or lines[0].startswith(("import", "//"))):
        lines.pop(0)
    vl_version = "_".join(alt.SCHEMA_VERSION.split(".")[:2])  # "v6.4.1" -> "v6_4"
    return header() + vlc.javascript_bundle("\n".join(lines), vl_version=vl_version)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="only say whether the bundle is up to date")
    args = parser.parse_args(argv)
    text = build()
    if args.check:
        same = BUNDLE.exists() and BUNDLE.read_text(encoding="utf-8") == text
        print(f"{BUNDLE.relative_to(ROOT)}: {'up to date' if same else 'OUT OF DATE (run tools/build_chart_bundle.py)'}")
        return 0 if same else 1
    BUNDLE.parent.mkdir(parents=True, exist_ok=True)
    BUNDLE.write_text(text, encoding="utf-8")
    print(f"wrote {BUNDLE.relative_to(ROOT)} ({len(text) / 1e6:.2f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
