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
EN_NOTEBOOKS = sorted(p.stem for p in (Path(__file__).resolve().parents[2] / "notebooks" / "en").glob("*.ipynb"))
#: Each language's notebook pages: (page, the notebook's path in the repository).
NOTEBOOK_PAGES = [(f"da/notebooks/{name}.html", f"notebooks/{name}.ipynb") for name in NOTEBOOKS] + [
    (f"en/notebooks/en/{name}.html", f"notebooks/en/{name}.ipynb") for name in EN_NOTEBOOKS]
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
    expected |= {f"en/notebooks/en/{name}.html" for name in EN_NOTEBOOKS} | {
        f"en/exercises/en/{name}.html" for name in EN_NOTEBOOKS if name not in ("00_start", "lecturer_class_view")} | {
        "en/index.html", "en/docs/en/lecturer_guide.html", "en/data/README.html", "en/codebook.html",
        "en/timeline.html", "en/licences.html", "en/search.html"}
    assert len(EN_NOTEBOOKS) >= 8
    assert expected <= built, f"missing pages: {sorted(expected - built)}"
    title = "Ledelse af samskabelse med borgere i udsatte positioner"
    for page in ("da/index.html", "da/notebooks/00_start.html"):
        assert title in tree(site_dir, page).findtext(".//title"), page
    title = "Leading co-creation with citizens in vulnerable positions"
    for page in ("en/index.html", "en/notebooks/en/00_start.html", "en/codebook.html"):
        assert title in tree(site_dir, page).findtext(".//title"), page
        assert tree(site_dir, page).get("lang") == "en", page
    assert not any(site_dir.rglob("*.ipynb_checkpoints"))


def test_notebook_pages_carry_their_outputs(site_dir):
    for page, _ in NOTEBOOK_PAGES:
        doc = tree(site_dir, page)
        outputs = doc.xpath('//div[contains(@class, "cell_output")]')
        assert outputs, f"{page}: no cell outputs on the page (were the notebooks executed?)"
        assert not doc.xpath('//div[contains(@class, "output") and contains(@class, "traceback")]'), page


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
    for page, notebook in NOTEBOOK_PAGES:
        hrefs = tree(site_dir, page).xpath("//a/@href")
        binder = f"https://mybinder.org/v2/gh/{REPO}/main?urlpath=lab/tree/{notebook}"
        hub = f"urlpath=lab/tree/samskabelse/{notebook}"
        assert binder in hrefs, f"{page}: no Binder button"
        assert any("/hub/user-redirect/git-pull?" in h and hub in h for h in hrefs), f"{page}: no JupyterHub button"


def test_widgets_show_the_box_with_launch_links(site_dir):
    seen = {"da": 0, "en": 0}
    for page, notebook in NOTEBOOK_PAGES:
        lang = page[:2]
        doc = tree(site_dir, page)
        raw = (site_dir / page).read_text(encoding="utf-8")
        assert "application/vnd.jupyter.widget-view+json" not in raw, f"{page}: a widget placeholder is on the page"
        for box in doc.xpath('//div[contains(@class, "course-widget-box")]'):
            seen[lang] += 1
            assert {"da": "Åbn i JupyterLab", "en": "Open in JupyterLab"}[lang] in box.text_content(), page
            links = box.xpath(".//a/@href")
            assert f"https://mybinder.org/v2/gh/{REPO}/main?urlpath=lab/tree/{notebook}" in links, page
            assert not any(link.startswith("#launch") for link in links), page
    assert min(seen.values()) >= 5, f"the course's widget cells should show the box: {seen}"


def test_english_codebook_has_the_english_texts(site_dir):
    corpus = course.load_corpus()
    doc = tree(site_dir, "en/codebook.html")
    blocks = doc.xpath('//div[@class="course-code"]')
    assert len(blocks) == len(corpus.codebook)
    for row, block in zip(corpus.codebook.to_dict("records"), blocks):
        text = " ".join(block.text_content().split())
        for part, field in (("Definition.", "definition_en"), ("When to use.", "use_when_en"),
                            ("When not to use.", "dont_use_when_en")):
            assert f"{part} {' '.join(row[field].split())}" in text, (row["id"], part)
    assert "Timeline and fieldwork" in tree(site_dir, "en/timeline.html").findtext(".//h1")


# --- the language switch ----------------------------------------------------------------------------

def switch_target(site_dir: Path, page: str) -> str:
    """The page (relative to the site's root) that ``page``'s language switch leads to."""
    links = tree(site_dir, page).xpath('//nav[contains(@class, "course-language")]//a')
    assert len(links) == 1, f"{page}: {len(links)} language switch links"
    other = {"da": "en", "en": "da"}[page[:2]]
    assert links[0].get("lang") == other and links[0].get("hreflang") == other, page
    url = urlsplit(urljoin(f"http://site.invalid/{page}", links[0].get("href")))
    assert url.netloc == "site.invalid", page
    return unquote(url.path.lstrip("/"))


def test_language_switch_on_every_page_leads_to_an_existing_page_of_the_other_language(site_dir):
    checked = 0
    for page in pages(site_dir):
        if page == "index.html":
            continue  # the root page lists both languages
        target = switch_target(site_dir, page)
        assert target[:3] == {"da": "en/", "en": "da/"}[page[:2]], f"{page} -> {target}"
        assert (site_dir / target).is_file(), f"{page}: the switch leads to a missing page {target}"
        checked += 1
    assert checked >= 40


@pytest.mark.parametrize("page, counterpart", [
    ("da/index.html", "en/index.html"),
    ("da/notebooks/04_police_case.html", "en/notebooks/en/04_police_case.html"),
    ("da/notebooks/lecturer_class_view.html", "en/notebooks/en/lecturer_class_view.html"),
    ("da/exercises/02_theory_metagovernance.html", "en/exercises/en/02_theory_metagovernance.html"),
    ("da/docs/lecturer_guide.html", "en/docs/en/lecturer_guide.html"),
    ("da/codebook.html", "en/codebook.html"), ("da/timeline.html", "en/timeline.html"),
    ("da/licences.html", "en/licences.html"), ("da/data/README.html", "en/data/README.html"),
    ("da/search.html", "en/search.html"),
])
def test_language_switch_leads_to_the_corresponding_page(site_dir, page, counterpart):
    assert switch_target(site_dir, page) == counterpart
    assert switch_target(site_dir, counterpart) == page


def test_a_page_without_a_counterpart_switches_to_the_start_page(site_build):
    assert site_build.counterpart("notebooks/99_only_in_danish", "da", "en") == "index"
    assert site_build.counterpart("notebooks/en/99_only_in_english", "en", "da") == "index"
    assert site_build.counterpart("notebooks/05_future_workshop", "da", "en") == "notebooks/en/05_future_workshop"
    assert site_build.counterpart("exercises/en/01_cocreation_npg", "en", "da") == "exercises/01_cocreation_npg"


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
            # >= 3: a chart of the student's answers shows its empty state on the static page (a frame
            # and a message, e.g. 02's "Du har ikke svaret på nogen greb endnu"), with few marks
            assert svg.locator("path, rect, line").count() >= 3, f"{page}: chart has no marks"
            drawn += 1
    assert drawn >= 8
    assert not visit.blocked


@pytest.mark.parametrize("page", ["da/search.html?q=metastyring", "en/search.html?q=metagovernance"])
def test_search_works_offline(visit, page):
    tab = visit.open(page)
    results = tab.locator("#search-results ul.search li")
    results.first.wait_for()
    assert results.count() >= 3
    links = [results.nth(i).locator("a").first.get_attribute("href") for i in range(results.count())]
    assert any("02_theory_metagovernance" in link for link in links)
    assert all(("/en/" in link) == page.startswith("en/") for link in links if "notebooks/" in link), links
    assert not visit.blocked


def test_the_language_switch_is_clicked_through(visit):
    tab = visit.open("da/notebooks/04_police_case.html", width=390, height=844)
    switch = tab.locator("nav.course-language a")
    assert switch.is_visible(), "the language switch should show at a phone's width"
    switch.click()
    tab.wait_for_url("**/en/notebooks/en/04_police_case.html")
    assert tab.locator("html").get_attribute("lang") == "en"
    tab.locator("nav.course-language a").click()
    tab.wait_for_url("**/da/notebooks/04_police_case.html")
    assert not visit.blocked


@pytest.mark.parametrize("page", ["da/index.html", "da/notebooks/04_police_case.html", "da/codebook.html",
                                  "da/timeline.html", "da/docs/lecturer_guide.html", "en/index.html",
                                  "en/notebooks/en/04_police_case.html", "en/codebook.html"])
def test_pages_fit_a_phone(visit, page):
    tab = visit.open(page, width=390, height=844)
    width = tab.evaluate("document.documentElement.scrollWidth")
    assert width <= 391, f"{page} is {width}px wide on a 390px phone"
    assert tab.locator("article.bd-article h1").first.is_visible()


@pytest.mark.parametrize("page", ["da/codebook.html", "en/codebook.html"])
def test_codebook_prints_one_group_per_page(visit, page):
    tab = visit.open(page)
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
    assert checked >= 40
    assert not found, "axe violations:\n" + "\n".join(found)


def test_root_page_leads_to_the_danish_course(site_dir, visit):
    doc = tree(site_dir, "index.html")
    assert doc.get("lang") == "da" and doc.findtext(".//h1")
    assert doc.xpath('//nav//a[@href="da/index.html"]')
    assert doc.xpath('//nav//a[@href="en/index.html" and @lang="en"]')
    tab = visit.open("index.html")
    tab.wait_for_url("**/da/index.html")
    assert not visit.blocked
