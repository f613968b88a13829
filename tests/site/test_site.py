"""The course's website: built with Sphinx (warnings are errors), opened in Chromium offline.

Pages load with no request leaving the site, charts are drawn as SVG with their alt text, widgets
show the "open in JupyterLab" box, every link and anchor inside the site resolves, search works,
the pages fit a phone's width and axe finds no serious or critical violation.
"""
from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from lxml import html as lxml_html

import course

pytestmark = pytest.mark.site

NOTEBOOKS = sorted(p.stem for p in (Path(__file__).resolve().parents[2] / "notebooks").glob("*.ipynb"))
REPO = "samskabelse-kursus/samskabelse"


def pages(site_dir: Path) -> list[str]:
    """Every HTML page of the site, as paths relative to its root."""
    return sorted(str(p.relative_to(site_dir)) for p in site_dir.rglob("*.html")
                  if not {"_static", "_sources", "_images"} & set(p.relative_to(site_dir).parts))


def tree(site_dir: Path, page: str):
    return lxml_html.fromstring((site_dir / page).read_bytes())


# --- the build -------------------------------------------------------------------------------------

def test_every_course_page_is_built(site_dir):
    built = set(pages(site_dir))
    expected = {f"da/notebooks/{name}.html" for name in NOTEBOOKS} | {
        "da/index.html", "da/docs/lecturer_guide.html", "da/data/README.html", "da/codebook.html",
        "da/timeline.html", "da/licences.html", "da/search.html", "index.html"}
    assert expected <= built, f"missing pages: {sorted(expected - built)}"
    title = "Ledelse af samskabelse med borgere i udsatte positioner"
    for page in ("da/index.html", "da/notebooks/00_start.html"):
        assert title in tree(site_dir, page).findtext(".//title"), page
    assert not any((site_dir / "da").rglob("*.ipynb_checkpoints"))


def test_notebook_pages_carry_their_outputs(site_dir):
    for name in NOTEBOOKS:
        doc = tree(site_dir, f"da/notebooks/{name}.html")
        outputs = doc.xpath('//div[contains(@class, "cell_output")]')
        assert outputs, f"{name}: no cell outputs on the page (were the notebooks executed?)"
        assert not doc.xpath('//div[contains(@class, "output") and contains(@class, "traceback")]'), name


def test_sphinx_warnings_fail_the_build(site_build, tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "index.md").write_text("# Prøve\n\n[en side, der ikke findes](missing.md)\n", encoding="utf-8")
    code = site_build.sphinx("da", src, tmp_path / "html", tmp_path / "doctrees", tmp_path / "cache", quiet=True)
    assert code != 0, "a broken link (a Sphinx warning) must fail the site's build"


def test_codebook_page_has_every_code_with_its_parts(site_dir):
    from course import compare

    corpus = course.load_corpus()
    doc = tree(site_dir, "da/codebook.html")
    groups = doc.xpath('//div[contains(@class, "course-codebook-marker")]/following-sibling::section')
    assert [g.findtext("h2").strip() for g in groups] == [
        compare.group_label(g, "da") for g in dict.fromkeys(corpus.codebook["group"])]
    blocks = doc.xpath('//div[@class="course-code"]')
    assert len(blocks) == len(corpus.codebook)
    for row, block in zip(corpus.codebook.to_dict("records"), blocks):
        text = " ".join(block.text_content().split())
        assert row["id"] in text
        for part, field in (("Definition.", "definition_da"), ("Hvornår koden bruges.", "use_when_da"),
                            ("Hvornår koden ikke bruges.", "dont_use_when_da")):
            assert f"{part} {' '.join(row[field].split())}" in text, (row["id"], part)
        example = corpus.excerpts.set_index("id").loc[row["example_excerpt"], "text_da"]
        assert " ".join(example.split()) in text, row["id"]


def test_launch_buttons_on_every_notebook_page(site_dir):
    for name in NOTEBOOKS:
        hrefs = tree(site_dir, f"da/notebooks/{name}.html").xpath("//a/@href")
        binder = f"https://mybinder.org/v2/gh/{REPO}/main?urlpath=lab/tree/notebooks/{name}.ipynb"
        hub = f"urlpath=lab/tree/samskabelse/notebooks/{name}.ipynb"
        assert binder in hrefs, f"{name}: no Binder button"
        assert any("/hub/user-redirect/git-pull?" in h and hub in h for h in hrefs), f"{name}: no JupyterHub button"


def test_widgets_show_the_box_with_launch_links(site_dir):
    seen = 0
    for name in NOTEBOOKS:
        doc = tree(site_dir, f"da/notebooks/{name}.html")
        raw = (site_dir / f"da/notebooks/{name}.html").read_text(encoding="utf-8")
        assert "application/vnd.jupyter.widget-view+json" not in raw, f"{name}: a widget placeholder is on the page"
        for box in doc.xpath('//div[contains(@class, "course-widget-box")]'):
            seen += 1
            assert "Åbn i JupyterLab" in box.text_content()
            links = box.xpath(".//a/@href")
            assert f"https://mybinder.org/v2/gh/{REPO}/main?urlpath=lab/tree/notebooks/{name}.ipynb" in links
            assert not any(link.startswith("#launch") for link in links), name
    assert seen >= 5, "the course's widget cells should show the box"


def test_internal_links_and_anchors_resolve(site_dir):
    ids: dict[Path, set[str]] = {}

    def anchors(path: Path) -> set[str]:
        if path not in ids:
            doc = lxml_html.fromstring(path.read_bytes())
            ids[path] = set(doc.xpath("//@id")) | set(doc.xpath("//a/@name"))
        return ids[path]

    broken = []
    checked = 0
    for page in pages(site_dir):
        doc = tree(site_dir, page)
        base = f"http://site.invalid/{page}"
        for element in doc.xpath("//*[@href or @src]"):
            link = element.get("href") or element.get("src")
            url = urlsplit(urljoin(base, link))
            if url.netloc != "site.invalid":
                continue  # an outside link (Binder, the repository): not fetched, see the no-request test
            checked += 1
            target = site_dir / unquote(url.path.lstrip("/"))
            if url.path.endswith("/"):
                target = target / "index.html"
            if not target.is_file():
                broken.append(f"{page}: {link} (no file)")
            elif url.fragment and target.suffix == ".html" and unquote(url.fragment) not in anchors(target):
                broken.append(f"{page}: {link} (no anchor)")
    assert checked > 500
    assert not broken, "broken internal links:\n" + "\n".join(broken)


# --- in Chromium ----------------------------------------------------------------------------------

def test_pages_load_with_no_request_leaving_the_site(site_dir, visit):
    for page in pages(site_dir):
        tab = visit.open(page)
        tab.wait_for_load_state("networkidle")
        assert tab.title(), page
    assert not visit.blocked, "requests left the site:\n" + "\n".join(visit.blocked)
    assert not visit.errors, "page errors:\n" + "\n".join(visit.errors)


def test_charts_are_drawn_as_svg_with_their_alt_text(site_dir, visit):
    pages_with_charts = [p for p in pages(site_dir) if 'class="course-chart"' in (site_dir / p).read_text("utf-8")]
    assert "da/timeline.html" in pages_with_charts and len(pages_with_charts) >= 5
    drawn = 0
    for page in pages_with_charts:
        tab = visit.open(page)
        for figure in tab.locator("figure.course-chart").all():
            svg = figure.locator("svg").first
            label = svg.get_attribute("aria-label")
            assert svg.get_attribute("role") == "img" and label and len(label) > 20, page
            assert svg.locator("title").first.text_content() == label, page
            figure.scroll_into_view_if_needed()
            box = svg.bounding_box()
            assert box and box["width"] > 100 and box["height"] > 50, f"{page}: chart not drawn"
            assert svg.locator("path, rect, line").count() > 5, f"{page}: chart has no marks"
            drawn += 1
    assert drawn >= 8
    assert not visit.blocked


def test_search_works_offline(visit):
    tab = visit.open("da/search.html?q=metastyring")
    results = tab.locator("#search-results ul.search li")
    results.first.wait_for()
    assert results.count() >= 3
    links = [results.nth(i).locator("a").first.get_attribute("href") for i in range(results.count())]
    assert any("02_theory_metagovernance" in link for link in links)
    assert not visit.blocked


@pytest.mark.parametrize("page", ["da/index.html", "da/notebooks/04_police_case.html", "da/codebook.html",
                                  "da/timeline.html", "da/docs/lecturer_guide.html"])
def test_pages_fit_a_phone(visit, page):
    tab = visit.open(page, width=390, height=844)
    width = tab.evaluate("document.documentElement.scrollWidth")
    assert width <= 391, f"{page} is {width}px wide on a 390px phone"
    assert tab.locator("article.bd-article h1").first.is_visible()


def test_codebook_prints_one_group_per_page(visit):
    tab = visit.open("da/codebook.html")
    tab.emulate_media(media="print")
    breaks = tab.evaluate("""() => [...document.querySelectorAll('.course-codebook-marker ~ section')]
        .map(s => getComputedStyle(s).breakBefore)""")
    assert len(breaks) == 4 and set(breaks) == {"page"}


def test_axe_finds_no_serious_or_critical_violation(site_dir, visit):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    found = []
    checked = 0
    for page in pages(site_dir):
        if page.endswith("genindex.html") or page == "index.html":
            continue  # an empty index; the root page only leads on to da/index.html (checked below)
        tab = visit.open(page)
        result = axe.run(tab)
        checked += 1
        for violation in result.response["violations"]:
            if violation["impact"] in ("serious", "critical"):
                targets = [" ".join(map(str, n["target"])) for n in violation["nodes"][:3]]
                found.append(f"{page}: {violation['id']} ({violation['impact']}, {len(violation['nodes'])}x) {targets}")
    assert checked >= 20
    assert not found, "axe violations:\n" + "\n".join(found)


def test_root_page_leads_to_the_danish_course(site_dir, visit):
    doc = tree(site_dir, "index.html")
    assert doc.get("lang") == "da" and doc.findtext(".//h1")
    assert doc.xpath('//nav//a[@href="da/index.html"]')
    tab = visit.open("index.html")
    tab.wait_for_url("**/da/index.html")
    assert not visit.blocked
