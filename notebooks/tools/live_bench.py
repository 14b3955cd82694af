"""Benchmark of the live pages (a measurement, not a test: it prints, it does not judge).

  live_bench.py [--opens N] [HTML_DIR]     (default notebooks/html; run nbtools.py export first)

Prints, with the load average beside each figure (these machines are shared):
  1. the module: matcalc-module.js's WebAssembly, raw and gzipped (budget: gzipped <= 5 MB);
  2. open to first result: headless Chromium opens live/playground.html#run from file:// in a
     fresh profile, N times; the time from navigation start to the first cell's result
     (performance.now() when matcalc.run resolved), and matcalc.js's own steps (script
     loaded, module decoded, compiled, started) (budget: <= 1.5 s);
  3. per cell, browser against the native kernel: every code cell of every committed
     notebook run in the browser (matcalc.run on an idle page, so the time is the session's
     work, not MathJax's) and through jupyter_client
     against the matcalc kernel built from this checkout (execute_request to execute_reply);
     the total of each and the median of the per-cell ratios, per notebook and overall.
"""

import argparse
import base64
import glob
import gzip
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import live_pages_test  # noqa: E402
import nbformat  # noqa: E402

NOTEBOOKS = os.path.dirname(HERE)
REPO = os.path.dirname(NOTEBOOKS)
REPS = 3


def load():
    return "load %.1f" % os.getloadavg()[0]


def module_size(live_dir):
    with open(os.path.join(live_dir, "matcalc-module.js"), encoding="ascii") as f:
        data = re.search(r'data: "([^"]*)"', f.read()).group(1)
    packed = base64.b64decode(data)
    raw = gzip.decompress(packed)
    print(f"module: {len(raw)} bytes raw ({len(raw) / 1e6:.2f} MB), {len(packed)} gzipped "
          f"({len(packed) / 1e6:.2f} MB; budget 5 MB), matcalc-module.js "
          f"{os.path.getsize(os.path.join(live_dir, 'matcalc-module.js')) / 1e6:.2f} MB")


WAIT_RUN_JS = """
const done = arguments[arguments.length - 1];
(async () => {
  for (let i = 0; i < 6000 && !(window.matcalcLive && (matcalcLive.ran || matcalcLive.error)); i++)
    await new Promise((r) => setTimeout(r, 10));
  if (matcalcLive.error) return done(JSON.stringify({error: matcalcLive.error}));
  await matcalcLive.ran;
  done(JSON.stringify({first: matcalcLive.cells[0].doneAt, timing: matcalc.timing,
    cells: matcalcLive.cells.map((c) => [c.ms, c.result && c.result.status])}));
})();
"""


def open_to_first(live_dir, n):
    page = "file://" + os.path.abspath(os.path.join(live_dir, "playground.html")) + "#run"
    firsts = []
    for i in range(n):
        d = live_pages_test.driver()  # a fresh profile: nothing cached
        try:
            d.get(page)
            r = json.loads(d.execute_async_script(WAIT_RUN_JS))
        finally:
            d.quit()
        if "error" in r:
            print(f"open to first result: the page failed: {r['error']}")
            return
        firsts.append(r["first"])
        t = r["timing"]
        print(f"  open {i + 1}: first result at {r['first']:.0f} ms (matcalc.js: loaded "
              f"{t['loaded']:.0f}, decoded {t['decoded']:.0f}, compiled {t['compiled']:.0f}, "
              f"started {t['started']:.0f} ms; first cell {r['cells'][0][0]:.0f} ms) [{load()}]")
    print(f"open to first result: median {statistics.median(firsts):.0f} ms, best "
          f"{min(firsts):.0f} ms of {n} (budget 1500 ms)")


CELLS_JS = """
const [sources, done] = [arguments[0], arguments[arguments.length - 1]];
(async () => {
  await matcalc.ready;
  // The page's own typesetting must be over: it shares the thread with the cells.
  for (let i = 0; i < 600 && (!window.MathJax || !MathJax.Hub || MathJax.Hub.queue.pending); i++)
    await new Promise((r) => setTimeout(r, 50));
  await matcalc.reset();
  const ms = [];
  for (const src of sources) {
    const t0 = performance.now();
    await matcalc.run(src);
    ms.push(performance.now() - t0);
  }
  done(JSON.stringify(ms));
})();
"""


def build_kernel():
    """Builds and installs the kernel from this checkout in a scratch prefix."""
    tmp = tempfile.mkdtemp(prefix="live-bench-")
    exe = os.path.join(tmp, "matcalc")
    subprocess.run(["go", "build", "-o", exe, "."], cwd=REPO, check=True,
                   env=dict(os.environ, PATH="/usr/local/go/bin:" + os.environ["PATH"]))
    subprocess.run([exe, "install", "--prefix", os.path.join(tmp, "prefix")], check=True,
                   capture_output=True)
    os.environ["JUPYTER_PATH"] = os.path.join(tmp, "prefix", "share", "jupyter")


def native_cells(sources):
    """The ms of each cell through jupyter_client against a fresh matcalc kernel."""
    from jupyter_client.manager import start_new_kernel
    km, kc = start_new_kernel(kernel_name="matcalc")
    try:
        times = []
        for src in sources:
            t0 = time.perf_counter()
            kc.execute_interactive(src, timeout=120, output_hook=lambda m: None)
            times.append((time.perf_counter() - t0) * 1000)
        return times
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def per_cell(live_dir):
    nbs = {}
    for p in sorted(glob.glob(os.path.join(NOTEBOOKS, "*.ipynb"))):
        nb = nbformat.read(p, as_version=4)
        if any(c.cell_type == "code" for c in nb.cells):
            nbs[os.path.basename(p)[:-6]] = nb
    print(f"per cell [{load()}]: browser (matcalc.run in an idle page, a fresh session per "
          "notebook) against the native kernel (jupyter_client execute, round trip, a fresh "
          f"kernel per notebook); best of {REPS} alternating runs")
    # The machine is shared and its load swings: each notebook runs in the browser and then
    # natively, REPS times over, and each cell keeps its best time on each side.
    build_kernel()
    browser, native = {}, {}
    d = live_pages_test.driver()
    try:
        d.get("file://" + os.path.abspath(os.path.join(live_dir, "playground.html")))
        for _ in range(REPS):
            for name, nb in nbs.items():
                sources = [c.source for c in nb.cells if c.cell_type == "code"]
                b = json.loads(d.execute_async_script(CELLS_JS, sources))
                n = native_cells(sources)
                browser[name] = [min(x) for x in zip(b, browser.get(name, b))]
                native[name] = [min(x) for x in zip(n, native.get(name, n))]
    finally:
        d.quit()
    all_b, all_n, ratios = 0, 0, []
    for name in nbs:
        b, n = browser[name], native[name]
        r = [x / max(y, 0.01) for x, y in zip(b, n)]
        ratios += r
        all_b, all_n = all_b + sum(b), all_n + sum(n)
        print(f"  {name}: {len(b)} cells, browser {sum(b):.0f} ms, native {sum(n):.0f} ms, "
              f"total ratio {sum(b) / sum(n):.1f}x, median cell ratio {statistics.median(r):.1f}x")
    print(f"per cell: {len(ratios)} cells, browser {all_b:.0f} ms, native {all_n:.0f} ms, total "
          f"ratio {all_b / all_n:.1f}x, median cell ratio {statistics.median(ratios):.1f}x "
          f"[{load()}]")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("html", nargs="?", default=os.path.join(NOTEBOOKS, "html"))
    p.add_argument("--opens", type=int, default=5)
    p.add_argument("--skip-cells", action="store_true", help="sizes and opening only")
    a = p.parse_args()
    live_dir = os.path.join(a.html, "live")
    module_size(live_dir)
    open_to_first(live_dir, a.opens)
    if not a.skip_cells:
        per_cell(live_dir)


if __name__ == "__main__":
    main()
