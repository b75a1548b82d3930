"""axe-core 4.14 on every page, in normal mode (6 pages) and in projector mode (the 4 monev pages).

The dashboard holds a year of progress (the example workbook imported) and no accounts, so the
sidebar shows the open-mode help. axe.min.js comes from tests/e2e/axe/node_modules (`npm ci` there;
`python3 dev.py test` runs it); without it this test is skipped, except under CI=true, where it fails.

No serious or critical violation may be found. The only ones set aside are in Streamlit's own markup,
each named in STREAMLIT_MARKUP by rule and selector with the reason; axe still runs every rule on the
whole page. The violations of every impact found (set aside ones included, marked) are written to
test-artifacts/axe_violations.json.
"""

import json
import os

import pytest

from helpers import skip_or_fail
from streamlit_helpers import ARTIFACTS_DIR, EDITING_PAGES, PAGES, open_page

pytestmark = pytest.mark.browser

AXE_SCRIPT = os.path.join(os.path.dirname(__file__), "axe", "node_modules", "axe-core", "axe.min.js")
MONEV_PATHS = [path for path, title in PAGES.items() if title not in EDITING_PAGES]
CASES = [(path, False) for path in PAGES] + [(path, True) for path in MONEV_PATHS]
CASE_IDS = [f"{PAGES[path]}-{'proyektor' if projector else 'normal'}" for path, projector in CASES]
BLOCKING_IMPACTS = ("serious", "critical")
REPORT = ARTIFACTS_DIR / "axe_violations.json"
# (rule, selector): why a violation of that rule inside that element is Streamlit's, not ours.
STREAMLIT_MARKUP = {
    ("list", '[data-testid="stSidebarNavItems"]'):
        "Streamlit's sidebar navigation with sections puts each section (a <div> with its header) straight "
        "in the <ul>; the page links are ours only by title",
    ("listitem", '[data-testid="stSidebarNavItems"]'):
        "the same navigation: its <li> links sit in the section <div>, not directly in the <ul>",
}

AXE_RUN_JS = """
async (setAside) => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  const streamlits = (rule, target) => {
    const element = target.length === 1 ? document.querySelector(target[0]) : null;
    return element !== null && setAside.some(([id, css]) => id === rule && element.closest(css) !== null);
  };
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html.slice(0, 200), summary: n.failureSummary,
                              streamlit: streamlits(v.id, n.target)}))}));
}
"""


@pytest.fixture(scope="module")
def axe_script() -> str:
    if not os.path.isfile(AXE_SCRIPT):
        skip_or_fail(f"axe-core not installed at {AXE_SCRIPT} (run `npm ci` in tests/e2e/axe, or `python3 dev.py "
                     "test`)", "the accessibility test")
    return AXE_SCRIPT


@pytest.fixture(scope="module")
def violations_report():
    found: dict[str, list] = {}
    yield found
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(json.dumps(found, indent=2, ensure_ascii=False))


@pytest.mark.parametrize("path,projector", CASES, ids=CASE_IDS)
def test_no_serious_accessibility_violation(progress_server, axe_script, violations_report, page, path, projector):
    open_page(page, progress_server, path, **({"proyektor": "true"} if projector else {}))
    page.add_script_tag(path=axe_script)
    violations = page.evaluate(AXE_RUN_JS, [list(key) for key in STREAMLIT_MARKUP])
    violations_report[f"{PAGES[path]}-{'proyektor' if projector else 'normal'}"] = violations
    blocking = [(v["id"], v["impact"], v["help"], ours[:5]) for v in violations
                if v["impact"] in BLOCKING_IMPACTS and (ours := [n["target"] for n in v["nodes"] if not n["streamlit"]])]
    assert not blocking, "serious or critical accessibility violations:\n" + "\n".join(map(str, blocking))
