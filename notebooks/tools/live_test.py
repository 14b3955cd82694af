"""Run all cells of one notebook live in classic Notebook 6.4, driven by selenium.

  live_test.py NOTEBOOK.ipynb SCREENSHOT.png

Copies the notebook into a fresh folder (the committed file is never touched), starts
`jupyter notebook` on a free localhost port with no token, opens the notebook in headless
Chromium through /usr/bin/chromedriver, clears the outputs, runs all cells against the
kernel named in the notebook's kernelspec (which must be installed), waits until every
code cell has run and MathJax's queue is empty, and asserts:
  * every code cell ran (has an execution count) and the kernel is idle;
  * no error output, except in cells tagged raises-exception;
  * every code cell whose committed copy has outputs got outputs again;
  * if any output carries math, MathJax typeset it (MathJax_CHTML/MathJax elements in outputs).
The screenshot of the executed page is saved either way, as the test's artifact.
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

CHROMEDRIVER = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
TIMEOUT = int(os.environ.get("NB_LIVE_TIMEOUT", "300"))

STATE_JS = """
const nb = Jupyter.notebook;
const cells = nb.get_cells().filter(c => c.cell_type === 'code');
return JSON.stringify({
  ready: !!(nb.kernel && nb.kernel.is_connected()),
  busy: document.querySelector('#kernel_indicator_icon.kernel_busy_icon') !== null,
  pending: cells.filter(c => c.input_prompt_number === '*' ||
                             c.input_prompt_number === undefined ||
                             c.input_prompt_number === null).length,
  cells: cells.map(c => ({
    index: nb.find_cell_index(c) + 1,
    tags: (c.metadata.tags || []),
    count: c.input_prompt_number,
    outputs: c.output_area.outputs.map(o => o.output_type),
    errors: c.output_area.outputs.filter(o => o.output_type === 'error')
                                 .map(o => o.ename + ': ' + o.evalue),
    latex: c.output_area.outputs.filter(o => o.data && o.data['text/latex']).length,
    mathjax: c.output_area.element[0].querySelectorAll('.MathJax_CHTML, .MathJax, .MathJax_Display').length,
  })),
  mathjaxQueue: (window.MathJax && MathJax.Hub && MathJax.Hub.queue) ?
      MathJax.Hub.queue.pending + MathJax.Hub.queue.running : 0,
});
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url, proc, deadline):
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"jupyter notebook exited with {proc.returncode}")
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except Exception:
            time.sleep(0.3)
    raise RuntimeError(f"jupyter notebook did not answer at {url}")


def main(argv):
    if len(argv) != 3:
        print(__doc__)
        return 2
    src, shot = os.path.abspath(argv[1]), os.path.abspath(argv[2])
    committed = json.load(open(src, encoding="utf-8"))
    had_outputs = {i + 1 for i, c in enumerate(committed["cells"])
                   if c["cell_type"] == "code" and c.get("outputs")}
    name = os.path.basename(src)
    work = tempfile.mkdtemp(prefix="nb-live-")
    shutil.copy(src, os.path.join(work, name))
    port = free_port()
    log = open(os.path.join(work, "notebook.log"), "w")
    env = dict(os.environ, PYDEVD_DISABLE_FILE_VALIDATION="1")
    server = subprocess.Popen(
        ["/usr/bin/python3", "-m", "notebook", "--no-browser", "--allow-root",
         f"--port={port}", "--ip=127.0.0.1", "--NotebookApp.token=",
         "--NotebookApp.password=", f"--notebook-dir={work}"],
        stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    driver, problems, state = None, [], None
    try:
        deadline = time.time() + TIMEOUT
        wait_http(f"http://127.0.0.1:{port}/api", server, deadline)
        opts = webdriver.ChromeOptions()
        opts.binary_location = CHROMIUM
        for f in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync",
                  "--window-size=1280,2400", f"--user-data-dir={work}/profile"]:
            opts.add_argument(f)
        driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
        driver.set_script_timeout(30)
        driver.get(f"http://127.0.0.1:{port}/notebooks/{name}")
        while True:  # the page and the kernel
            ok = driver.execute_script(
                "return !!(window.Jupyter && Jupyter.notebook && Jupyter.notebook._fully_loaded"
                " && Jupyter.notebook.kernel && Jupyter.notebook.kernel.is_connected())")
            if ok:
                break
            if time.time() > deadline:
                raise RuntimeError("the notebook page or its kernel did not become ready")
            time.sleep(0.5)
        driver.execute_script("Jupyter.notebook.clear_all_output();"
                              "Jupyter.notebook.execute_all_cells();")
        time.sleep(1)
        while True:
            state = json.loads(driver.execute_script(STATE_JS))
            if state["pending"] == 0 and not state["busy"] and state["mathjaxQueue"] == 0:
                break
            if time.time() > deadline:
                problems.append(f"timed out: {state['pending']} cell(s) still pending")
                break
            time.sleep(0.5)
        time.sleep(1)  # let the last typesetting paint
        state = json.loads(driver.execute_script(STATE_JS))
        for c in state["cells"]:
            where = f"{name} cell {c['index']}"
            if c["count"] in (None, "*"):
                problems.append(f"{where}: did not run")
            if c["errors"] and "raises-exception" not in c["tags"]:
                problems.append(f"{where}: error output {c['errors'][0]}")
            if c["index"] in had_outputs and not c["outputs"]:
                problems.append(f"{where}: no output (the committed notebook has some)")
            if c["latex"] and not c["mathjax"]:
                problems.append(f"{where}: a text/latex output that MathJax did not typeset")
    except Exception as e:
        problems.append(f"{name}: {type(e).__name__}: {e}")
    finally:
        if driver is not None:
            try:
                os.makedirs(os.path.dirname(shot), exist_ok=True)
                driver.save_screenshot(shot)
            except Exception as e:
                problems.append(f"screenshot failed: {e}")
            driver.quit()
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
    ran = sum(1 for c in (state or {}).get("cells", []) if c["count"] not in (None, "*"))
    typeset = sum(c["mathjax"] > 0 for c in (state or {}).get("cells", []))
    if problems:
        print(f"live test: FAIL {name}")
        for p in problems:
            print("    " + p)
        print("    notebook server log: " + os.path.join(work, "notebook.log"))
        return 1
    print(f"live test: ok {name}: {ran} code cells ran in Notebook 6.4, "
          f"{typeset} with typeset math; screenshot {shot}")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
