"""Prove in headless Chromium that every derivation fits a 900-pixel content column.

  width_test.py [HTML_DIR]      (default notebooks/html, the exported set)

Each exported page is opened (MathJax 2.7 from the copy beside it, as in browser_test.py)
with the notebook's content column set to 900 CSS pixels; once MathJax has typeset the
page, the width of every typeset display formula is measured. A derivation (an aligned
environment: the steps with their rule labels) or a verdict wider than the column fails
the test, with the notebook, the formula's first line and its width; so do the ODE
commands' titled steps. Other formulas (a big matrix value) are listed when wider, not
failed: they are the student's own data.
"""

import glob
import os
import sys
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")
COLUMN = 900

MEASURE_JS = r"""
const out = [];
for (const s of document.querySelectorAll('script[type^="math/tex"]')) {
  if (!/mode=display/.test(s.type)) continue;
  const frame = document.getElementById(s.id + '-Frame');
  if (!frame) { out.push({tex: s.text, width: -1}); continue; }
  // The natural width of the typeset formula: the extent of everything MathJax drew,
  // whatever a container clips or scrolls.
  const math = frame.querySelector('.mjx-math') || frame;
  let left = Infinity, right = -Infinity;
  for (const el of [math, ...math.querySelectorAll('*')]) {
    const r = el.getBoundingClientRect();
    if (r.width > 0) { left = Math.min(left, r.left); right = Math.max(right, r.right); }
  }
  const output = !!s.closest('.jp-OutputArea-output, .output_area, .jp-RenderedLatex');
  out.push({tex: s.text, width: Math.ceil(right - left), output});
}
return JSON.stringify(out);
"""

COLUMN_CSS = f"""
const st = document.createElement('style');
st.textContent = 'body, .jp-Notebook {{ width: {COLUMN}px !important; max-width: {COLUMN}px !important;'
  + ' padding: 0 !important; margin: 0 !important; }}'
  + ' .jp-Cell, .jp-OutputArea-output, .jp-RenderedHTMLCommon {{ padding: 0 !important; }}'
  + ' .jp-InputPrompt, .jp-OutputPrompt {{ display: none !important; }}';
document.head.appendChild(st);
"""

READY_JS = """
const cb = arguments[arguments.length - 1];
if (!window.MathJax || !MathJax.Hub) { cb(false); return; }
MathJax.Hub.Queue(() => cb(true));
"""


def is_checked(tex):
    """Derivations (aligned steps with rule labels, the ODE solutions' titled steps) and
    verdicts must fit."""
    return any(m in tex for m in ("\\begin{aligned}", "\\begin{array}", "\\checkmark", "\\times}"))


def main(argv):
    import json
    html_dir = argv[1] if len(argv) > 1 else os.path.join(
        os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "html")
    pages = sorted(glob.glob(os.path.join(html_dir, "*.html")))
    if not pages:
        print(f"width test: FAIL no HTML pages in {html_dir}")
        return 1
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    profile = f"/tmp/width-test-{os.getpid()}"
    for f in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
              "--no-first-run", "--disable-background-networking",
              "--disable-component-update", "--disable-sync", "--allow-file-access-from-files",
              "--window-size=1400,1000", f"--user-data-dir={profile}"]:
        opts.add_argument(f)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    driver.set_script_timeout(60)
    failed = measured = 0
    try:
        for path in pages:
            driver.get("file://" + os.path.abspath(path))
            driver.execute_script(COLUMN_CSS)
            if not driver.execute_async_script(READY_JS):
                print(f"FAIL {os.path.basename(path)}: MathJax did not load")
                failed += 1
                continue
            # Typeset again, at the column's width, once MathJax's web fonts have loaded: the
            # first pass may have laid out some formulas with a fallback font's widths.
            driver.execute_async_script(
                "const cb = arguments[arguments.length-1];"
                "MathJax.Hub.Queue(['Rerender', MathJax.Hub], () => cb(true));")
            formulas = json.loads(driver.execute_script(MEASURE_JS))
            wide = [f for f in formulas if f["width"] > COLUMN or f["width"] < 0]
            bad = [f for f in wide if f["width"] < 0 or (f.get("output") and is_checked(f["tex"]))]
            checked = sum(1 for f in formulas if f.get("output") and is_checked(f["tex"]))
            measured += checked
            widest = max([f["width"] for f in formulas if f.get("output") and is_checked(f["tex"])] or [0])
            failed += bool(bad)
            print(f"{'FAIL' if bad else 'ok  '} {os.path.basename(path)}: {checked} derivations/verdicts,"
                  f" widest {widest} px (column {COLUMN} px)")
            for f in wide:
                first = f["tex"].strip().split("\n")[0 if "aligned" not in f["tex"][:20] else 1][:90]
                tag = "FAIL" if f in bad else "note"
                print(f"    {tag} {f['width']} px: {first}")
    finally:
        driver.quit()
        import shutil
        shutil.rmtree(profile, ignore_errors=True)
    print(f"width test: {measured} derivations and verdicts measured, "
          f"{len(pages) - failed} of {len(pages)} page(s) ok")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
