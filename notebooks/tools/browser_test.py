"""Open every exported HTML page in headless Chromium and assert MathJax typeset its math.

  browser_test.py [HTML_DIR]      (default notebooks/html)

For each NAME.html with a NAME.ipynb beside the notebooks, Chromium loads the page from
file:// (MathJax from the mathjax/ copy beside it, no network), lets the page run for a
virtual-time budget, and dumps the DOM.  The test then asserts, per page:
  * MathJax ran: as many typeset formulas (MathJax_CHTML elements) as formulas it found
    (math/tex scripts), and at least as many as the notebook has ($..$, $$..$$ in
    markdown, text/latex outputs);
  * no raw `$$` or `\\begin{` left in the visible text (code input excluded);
  * no "Math Processing Error" and no TeX error (merror) element;
  * every plot (image/svg+xml output) is linked from the page to a file beside it that is
    a drawn SVG document.
"""

import glob
import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import nbformat

HERE = os.path.dirname(os.path.abspath(__file__))
NOTEBOOKS = os.path.dirname(HERE)
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--allow-file-access-from-files"]
BUDGET_MS = os.environ.get("NB_VIRTUAL_TIME_MS", "20000")


class Page(HTMLParser):
    """Collects visible text (not script, style, or code input) and MathJax elements."""
    SKIP = {"script", "style", "pre", "code", "textarea"}

    def __init__(self):
        super().__init__()
        self.stack, self.text = [], []
        self.typeset = self.found = self.errors = 0
        self.images = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        cls = a.get("class") or ""
        if "MathJax_CHTML" in cls.split():
            self.typeset += 1
        if "merror" in cls.split() or "mjx-merror" in cls:
            self.errors += 1
        if tag == "img" and a.get("src") and not a["src"].startswith("data:"):
            self.images.append(a["src"])
        if tag == "script" and (a.get("type") or "").startswith("math/tex"):
            self.found += 1
        if tag not in ("br", "img", "input", "meta", "link", "hr", "col", "source", "wbr"):
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag in self.stack:
            while self.stack and self.stack.pop() != tag:
                pass

    def handle_data(self, data):
        if not any(t in self.SKIP for t in self.stack):
            self.text.append(data)


def expected_formulas(nb):
    """A lower bound on the formulas in a notebook: $$..$$, $..$, and text/latex outputs."""
    n = 0
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            src = re.sub(r"```.*?```|`[^`\n]*`", "", cell.source, flags=re.S)
            display = re.findall(r"\$\$.+?\$\$", src, flags=re.S)
            src = re.sub(r"\$\$.+?\$\$", "", src, flags=re.S)
            n += len(display) + len(re.findall(r"(?<![\\$])\$[^$\n]+?\$", src))
        for out in cell.get("outputs", []):
            if "text/latex" in out.get("data", {}):
                n += 1
    return n


def dump_dom(path, profile):
    r = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}",
                        f"--virtual-time-budget={BUDGET_MS}", "--dump-dom",
                        "file://" + os.path.abspath(path)],
                       capture_output=True, text=True, timeout=120)
    if r.returncode != 0 or "<html" not in r.stdout:
        raise RuntimeError(f"chromium exited {r.returncode}: {r.stderr[-500:]}")
    return r.stdout


def check_page(path, nb_dir, profile):
    name = os.path.basename(path)[:-5]
    nb_path = os.path.join(nb_dir, name + ".ipynb")
    expected = expected_formulas(nbformat.read(nb_path, 4)) if os.path.exists(nb_path) else 0
    page = Page()
    page.feed(dump_dom(path, profile))
    text = "".join(page.text)
    problems = []
    if page.typeset != page.found:
        problems.append(f"MathJax typeset {page.typeset} of the {page.found} formulas it found")
    if page.found < expected:
        problems.append(f"MathJax found {page.found} formulas, the notebook has at least {expected}")
    for raw in ("$$", "\\begin{", "Math Processing Error"):
        if raw in text:
            i = text.index(raw)
            problems.append(f"raw {raw!r} left in the page: ...{text[max(0, i - 60):i + 60]!r}...")
    if page.errors:
        problems.append(f"{page.errors} TeX error element(s) (merror)")
    # Plots: every SVG output is a linked file beside the page that is a whole SVG document.
    plots = expected_plots(nb_path)
    linked = [src for src in page.images if src.endswith(".svg")]
    if len(linked) < plots:
        problems.append(f"{plots} plot(s) in the notebook, {len(linked)} linked from the page")
    for src in linked:
        file = os.path.join(os.path.dirname(path), src)
        try:
            root = ET.parse(file).getroot()
            if not root.tag.endswith("svg") or len(list(root.iter())) < 10:
                problems.append(f"plot {src} is not a drawn SVG document")
        except (OSError, ET.ParseError) as e:
            problems.append(f"plot {src}: {e}")
    return name, page.typeset, expected, problems


def expected_plots(nb_path):
    if not os.path.exists(nb_path):
        return 0
    return sum("image/svg+xml" in out.get("data", {})
               for cell in nbformat.read(nb_path, 4).cells for out in cell.get("outputs", []))


def main(argv):
    html_dir = argv[1] if len(argv) > 1 else os.path.join(NOTEBOOKS, "html")
    nb_dir = argv[2] if len(argv) > 2 else os.path.dirname(os.path.abspath(html_dir))
    pages = sorted(glob.glob(os.path.join(html_dir, "*.html")))
    if not pages:
        print(f"browser test: FAIL no HTML pages in {html_dir}")
        return 1
    if not os.path.exists(os.path.join(html_dir, "mathjax", "MathJax.js")):
        print(f"browser test: FAIL no MathJax copy in {html_dir}/mathjax")
        return 1
    failed = 0
    with tempfile.TemporaryDirectory(prefix="nb-chromium-") as profile:
        for path in pages:
            try:
                name, typeset, expected, problems = check_page(path, nb_dir, profile)
            except Exception as e:  # chromium failed or timed out
                name, typeset, expected, problems = os.path.basename(path), 0, 0, [str(e)]
            failed += bool(problems)
            print(f"{'FAIL' if problems else 'ok  '} {name}: {typeset} formulas typeset "
                  f"(notebook has >= {expected})")
            for p in problems:
                print("    " + p)
    print(f"browser test: {len(pages) - failed} of {len(pages)} page(s) ok")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
