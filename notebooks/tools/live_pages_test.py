"""Run every live page in headless Chromium and compare its outputs with the notebooks.

  live_pages_test.py [HTML_DIR [NB_DIR]]     (default notebooks/html, notebooks)

HTML_DIR/live/ is what nbtools.py export wrote (livepages.py).  Chromium (selenium and
/usr/bin/chromedriver, Debian's packages) opens each page from file://, with no network:
  * every NAME.html of a committed notebook with code cells: Run all (the button's action),
    then each cell's outputs — the nbformat outputs matcalc.run returned in the browser — must
    equal the committed notebook's under the notebook test's own normalisation
    (nbtools.cell_outputs: timings and measured errors masked), ✓/✗ verdicts as the source
    expects them; the page must show them: every LaTeX output typeset by MathJax (no raw $$,
    no TeX error), every plot an image that decoded;
  * the playground: the README's tour runs with no error;
  * the module: matcalc-module.js's WebAssembly is at most MODULE_BUDGET bytes gzipped
    (issue 16's 5 MB; live_bench.py measures it with the rest);
  * the window.matcalc API (on the playground page): errors with line, column and caret, the
    count, one session shared by cells, reset, queued runs in order, onOutput, interrupt of a
    sleeping and of a computing cell, completion, inspection, is_complete, kernel info.
A screenshot of each page after its run goes to HTML_DIR/live-shots/ (and $ARTIFACTS/live
when ARTIFACTS is set).  Consecutive writes to one stream are compared as one output (the
kernel batches them in time, the browser all at once; Jupyter shows them alike).
"""

import argparse
import base64
import json
import os
import shutil
import sys
import tempfile
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import nbtools  # noqa: E402
import nbformat  # noqa: E402

NOTEBOOKS = os.path.dirname(HERE)
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")
FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--window-size=1280,900"]
PAGE_TIMEOUT = int(os.environ.get("LIVE_PAGE_TIMEOUT", "240"))  # s, for one page's run

# Runs all cells in the page, waits for MathJax, and reports what the page did.
RUN_ALL_JS = """
const done = arguments[arguments.length - 1];
const wait = (ms) => new Promise((r) => setTimeout(r, ms));
(async () => {
  await matcalc.ready;
  const ok = await matcalcLive.runAll();
  for (let i = 0; i < 600 && (matcalcLive.typesetting > 0 ||
       (window.MathJax && MathJax.Hub && MathJax.Hub.queue.pending)); i++) await wait(50);
  const imgs = [...document.querySelectorAll(".mc-outputs img")];
  await Promise.all(imgs.map((i) => i.decode().catch(() => null)));
  const cells = matcalcLive.cells.map((c) => {
    const a = c.area;
    return {
      result: c.result, ms: c.ms,
      latex: a.querySelectorAll('[data-mime-type="text/latex"]').length,
      typeset: a.querySelectorAll(".MathJax_CHTML").length,
      merror: a.querySelectorAll(".merror, .mjx-merror").length,
      raw: [...a.querySelectorAll('[data-mime-type="text/latex"]')].some((e) => e.textContent.includes("$$")),
      plots: [...a.querySelectorAll(".jp-RenderedSVG img")].map((i) => i.naturalWidth),
    };
  });
  done(JSON.stringify({ok, cells, status: document.querySelector(".mc-status").textContent,
    error: matcalcLive.error}));
})().catch((e) => done(JSON.stringify({error: String(e)})));
"""


def coalesce(outputs):
    """Consecutive outputs of one stream as one, as Jupyter front ends show them."""
    out = []
    for o in outputs:
        if (o.get("output_type") == "stream" and out and out[-1].get("output_type") == "stream"
                and out[-1].get("name") == o.get("name")):
            out[-1] = dict(out[-1], text="".join(out[-1]["text"]) + "".join(o["text"]))
        else:
            out.append(o)
    return out


def keys(cell_like):
    """nbtools.cell_outputs of a cell, its streams coalesced."""
    c = dict(cell_like)
    c["outputs"] = coalesce(c.get("outputs", []))
    return nbtools.render(nbtools.cell_outputs(c))


def driver():
    o = webdriver.ChromeOptions()
    o.binary_location = CHROMIUM
    for a in FLAGS + [f"--user-data-dir={tempfile.mkdtemp(prefix='live-chromium-')}"]:
        o.add_argument(a)
    o.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    d = webdriver.Chrome(service=Service(CHROMEDRIVER), options=o)
    d.set_script_timeout(PAGE_TIMEOUT)
    return d


def screenshot(d, path):
    h = min(d.execute_script("return document.documentElement.scrollHeight"), 16000)
    shot = d.execute_cdp_cmd("Page.captureScreenshot", {
        "format": "png", "captureBeyondViewport": True,
        "clip": {"x": 0, "y": 0, "width": 1280, "height": h, "scale": 1}})
    with open(path, "wb") as f:
        f.write(base64.b64decode(shot["data"]))


def check_page(d, page, nb, shots):
    """Runs the live page and returns (problems, cells run, seconds)."""
    name = os.path.basename(page)[:-5]
    t0 = time.monotonic()
    d.get("file://" + os.path.abspath(page))
    state = json.loads(d.execute_async_script(RUN_ALL_JS))
    secs = time.monotonic() - t0
    screenshot(d, os.path.join(shots, name + ".png"))
    if state.get("error"):
        return [f"the page failed: {state['error']}"], 0, secs
    secs = (secs, sum(c["ms"] or 0 for c in state["cells"]) / 1000)
    problems = []
    live = state["cells"]
    code = [c for c in nb.cells if c.cell_type == "code"] if nb is not None else []
    if nb is not None and len(live) != len(code):
        return [f"{len(live)} code cells on the page, the notebook has {len(code)}"], 0, secs
    ran = 0
    for i, lc in enumerate(live):
        r = lc["result"]
        n = i + 1
        if r is None:
            problems.append(f"code cell {n} did not run (the run stopped: {state['status']})")
            break
        ran += 1
        if nb is None:  # the playground: no error
            if r["status"] != "ok":
                problems.append(f"cell {n}: {r['outputs'][-1].get('ename')}: {r['outputs'][-1].get('evalue')}")
        else:
            cell = code[i]
            got = {"outputs": r["outputs"], "metadata": cell.metadata}
            want, have = keys(cell), keys(got)
            if want != have:
                import difflib
                diff = "\n".join(list(difflib.unified_diff(want, have, "notebook", "browser",
                                                           lineterm="", n=1))[:30])
                problems.append(f"code cell {n} ({nbtools.first_line(cell)}): the browser's "
                                f"outputs differ from the committed notebook's:\n{diff}")
            errors = [o for o in r["outputs"] if o["output_type"] == "error"]
            if not errors:
                verdicts = nbtools.actual_verdicts(nbformat.from_dict(got))
                if verdicts != nbtools.expected_verdicts(cell):
                    problems.append(f"code cell {n}: verdicts {verdicts or 'none'}, the source "
                                    f"expects {nbtools.expected_verdicts(cell)}")
        if lc["raw"] or lc["typeset"] < lc["latex"] or lc["merror"]:
            problems.append(f"cell {n}: {lc['latex']} LaTeX output(s), {lc['typeset']} typeset, "
                            f"{lc['merror']} TeX error(s){', raw $$ left' if lc['raw'] else ''}")
        if any(w <= 0 for w in lc["plots"]):
            problems.append(f"cell {n}: a plot did not decode as an image")
    return problems, ran, secs


# --- window.matcalc ----------------------------------------------------------------------
API_JS = """
const done = arguments[arguments.length - 1];
const checks = [];
const check = (what, ok, got) => checks.push({what, ok: !!ok, got: ok ? undefined : JSON.stringify(got).slice(0, 400)});
const last = (r) => r.outputs[r.outputs.length - 1] || {};
(async () => {
  await matcalc.ready;
  await matcalc.reset();
  let r = await matcalc.run("A : matrix(2, 3)\\nA*A");
  check("a shape error is an error result", r.status === "error" && last(r).output_type === "error", r);
  check("it names line 2 and shows a caret", /line 2, column \\d+/.test(last(r).traceback[0]) &&
        last(r).traceback.some((l) => /\\^/.test(l)), r);
  check("the first cell is In [1]", r.execution_count === 1, r);
  r = await matcalc.run("x : vector(3) +");
  check("a syntax error is reported with its kind", r.status === "error" && last(r).ename && last(r).evalue, r);
  check("counts go on after errors", r.execution_count === 2, r);
  r = await matcalc.run("y : vector(3)");
  r = await matcalc.run("grad(y'*y, y)");
  check("cells share one session", r.status === "ok" && r.outputs.some((o) => o.data && o.data["text/latex"]), r);
  check("a value is an execute_result with the cell's count", r.outputs.some((o) => o.output_type === "execute_result" && o.execution_count === r.execution_count), r);
  const seen = [];
  r = await matcalc.run("%echo one\\n%warn two\\ny'*y", {onOutput: (o) => seen.push(o.output_type + ":" + (o.name || ""))});
  check("onOutput sees every output", seen.join(" ") === r.outputs.map((o) => o.output_type + ":" + (o.name || "")).join(" ") && seen.length === 3, {seen, r});
  const [a, b] = await Promise.all([matcalc.run("1 + 1"), matcalc.run("2 + 2")]);
  check("queued runs keep their order", b.execution_count === a.execution_count + 1, [a, b]);
  r = await matcalc.run("");
  check("an empty cell is ok with no outputs", r.status === "ok" && r.outputs.length === 0, r);
  await matcalc.reset();
  r = await matcalc.run("y");
  check("reset forgets names", r.status === "error", r);
  check("reset starts the count again", r.execution_count === 1, r);
  let t = performance.now();
  const sleeping = matcalc.run("%sleep 30");
  setTimeout(() => matcalc.interrupt(), 300);
  r = await sleeping;
  check("interrupt stops a sleeping cell", r.status === "error" && last(r).ename === "Interrupted" && performance.now() - t < 5000, [performance.now() - t, r]);
  // A cell that computes for seconds (exact 4x4 inverses); the interrupt is heard at the
  // interpreter's next check between operations.
  const long = Array.from({length: 6000}, (_, i) => "s = s + det(inv([" + (i + 10) + " 1 2 3; 1 5 1 2; 2 1 7 1; 3 2 1 9]))").join("\\n");
  await matcalc.run("s : scalar\\ns = 0");
  let asked = 0;
  const computing = matcalc.run(long);
  setTimeout(() => { asked = performance.now(); matcalc.interrupt(); }, 500);
  r = await computing;
  const ms = performance.now() - asked;
  check("interrupt stops a computing cell", r.status === "error" && last(r).ename === "Interrupted" && asked > 0 && ms < 2000, [ms, r]);
  r = await matcalc.run("1 + 1");
  check("the session works after an interrupt", r.status === "ok", r);
  const c = await matcalc.complete("gra", 3);
  check("complete", c.matches.includes("grad") && c.cursor_start === 0 && c.cursor_end === 3, c);
  const ins = await matcalc.inspect("grad", 2);
  check("inspect", ins.found && ins.data["text/plain"], ins);
  const ic = await matcalc.isComplete("A = [1 2");
  check("isComplete", ic.status === "incomplete", ic);
  const info = await matcalc.info();
  check("info", info.language_info.name === "matcalc" && info.implementation === "matcalc", info);
  r = await matcalc.run(42);
  check("run takes any value as text", r.status === "ok", r);
  done(JSON.stringify({checks, interruptMs: ms}));
})().catch((e) => done(JSON.stringify({error: String(e)})));
"""


def check_api(d, page):
    d.get("file://" + os.path.abspath(page))
    res = json.loads(d.execute_async_script(API_JS))
    if res.get("error"):
        return [f"window.matcalc: {res['error']}"], 0, 0
    problems = [f"{c['what']}: got {c['got']}" for c in res["checks"] if not c["ok"]]
    return problems, len(res["checks"]), res["interruptMs"]


# The gzipped WebAssembly module's budget (issue 16), in bytes.
MODULE_BUDGET = 5_000_000


def check_module(live_dir):
    """The problems of matcalc-module.js: missing, unreadable, or over MODULE_BUDGET gzipped;
    and its gzipped size."""
    path = os.path.join(live_dir, "matcalc-module.js")
    try:
        with open(path, encoding="ascii") as f:
            text = f.read()
        packed = base64.b64decode(text.split('data: "', 1)[1].split('"', 1)[0])
    except (OSError, IndexError, ValueError) as e:
        return [f"cannot read the module from {path}: {e}"], 0
    if len(packed) > MODULE_BUDGET:
        return [f"the module is {len(packed)} bytes gzipped, over the budget of {MODULE_BUDGET}"], len(packed)
    return [], len(packed)


def main(argv):
    html_dir = argv[1] if len(argv) > 1 else os.path.join(NOTEBOOKS, "html")
    nb_dir = argv[2] if len(argv) > 2 else NOTEBOOKS
    live_dir = os.path.join(html_dir, "live")
    shots = os.path.join(html_dir, "live-shots")
    os.makedirs(shots, exist_ok=True)
    pages = []
    # The course notebooks as nbtools picks them: a teacher's scratch notebook
    # (Untitled.ipynb, git-ignored, no source) has no live page and is left alone.
    course = nbtools.notebooks(argparse.Namespace(nbdir=nb_dir, src=os.path.join(nb_dir, "src")))
    for nb_path in course:
        nb = nbformat.read(nb_path, as_version=4)
        if nbtools.has_code(nb):
            pages.append((os.path.join(live_dir, os.path.basename(nb_path)[:-6] + ".html"), nb))
    playground = os.path.join(live_dir, "playground.html")
    pages.append((playground, None))
    only = os.environ.get("LIVE_ONLY", "").split()  # names, to run a few pages while working
    if only:
        pages = [(p, nb) for p, nb in pages if os.path.basename(p)[:-5] in only]
    problems, packed = check_module(live_dir)
    failed = int(bool(problems))
    print(f"{'FAIL' if problems else 'ok  '} module: {packed / 1e6:.2f} MB gzipped "
          f"(budget {MODULE_BUDGET / 1e6:g} MB)")
    for p in problems:
        print("    " + p)
    d = driver()
    try:
        for page, nb in pages:
            name = os.path.basename(page)[:-5]
            if not os.path.exists(page):
                print(f"FAIL {name}: no live page {page} (nbtools.py export writes it)")
                failed += 1
                continue
            try:
                problems, ran, secs = check_page(d, page, nb, shots)
            except Exception as e:  # chromium failed or timed out
                problems, ran, secs = [f"{type(e).__name__}: {e}"], 0, 0
            failed += bool(problems)
            page_s, run_s = secs if isinstance(secs, tuple) else (secs, 0)
            print(f"{'FAIL' if problems else 'ok  '} {name}: {ran} cells run in the browser "
                  f"({run_s:.1f} s in matcalc.run, {page_s:.1f} s with loading and MathJax)"
                  f"{', outputs equal to the notebook' if nb and not problems else ''}")
            for p in problems:
                print("    " + p.replace("\n", "\n    "))
        try:
            problems, n, ims = check_api(d, playground)
        except Exception as e:
            problems, n, ims = [f"{type(e).__name__}: {e}"], 0, 0
        failed += bool(problems)
        print(f"{'FAIL' if problems else 'ok  '} window.matcalc: {n - len(problems)} of {n} checks"
              f" (interrupt heard in {ims:.0f} ms)")
        for p in problems:
            print("    " + p)
    finally:
        d.quit()
    if os.environ.get("ARTIFACTS"):
        dest = os.path.join(os.environ["ARTIFACTS"], "live")
        shutil.copytree(shots, dest, dirs_exist_ok=True)
        print(f"screenshots copied to {dest}")
    print(f"live pages: {len(pages) + 2 - failed} of {len(pages) + 2} ok (screenshots in {shots})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
