"""Classic Notebook 6.4's editor in a matcalc notebook, driven by selenium in
headless Chromium: the kernelspec's kernel.js turns off the auto-closing of
quotes, so typing (A*x - b)'*(A*x - b) leaves exactly that in the cell (before
kernel.js, Notebook made it (A*x - b)'*(A*x - b)'), while brackets still close
and cells made later get the same setting. The same keystrokes in a Python
notebook still get the closing quote: the test sees the difference it claims.
The editor highlights the cell in the mode language_info names (octave).
Run with /usr/bin/python3 -m unittest (test.sh sets JUPYTER_PATH).
"""

import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
import unittest
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By

KERNEL_NAME = os.environ.get("MATCALC_KERNEL", "matcalc")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
TYPED = "(A*x - b)'*(A*x - b)"


def notebook(kernel, language):
    return {"cells": [{"cell_type": "code", "execution_count": None, "metadata": {},
                       "outputs": [], "source": ""}],
            "metadata": {"kernelspec": {"name": kernel, "display_name": kernel,
                                        "language": language}},
            "nbformat": 4, "nbformat_minor": 5}


class ClassicNotebookEditorTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.work = tempfile.mkdtemp(prefix="matcalc-editor-")
        for name, kernel, lang in [("mc.ipynb", KERNEL_NAME, "matcalc"),
                                   ("py.ipynb", "python3", "python")]:
            with open(os.path.join(cls.work, name), "w") as f:
                json.dump(notebook(kernel, lang), f)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            cls.port = s.getsockname()[1]
        cls.log = open(os.path.join(cls.work, "notebook.log"), "w")
        cls.server = subprocess.Popen(
            ["/usr/bin/python3", "-m", "notebook", "--no-browser", "--allow-root",
             f"--port={cls.port}", "--ip=127.0.0.1", "--NotebookApp.token=",
             "--NotebookApp.password=", f"--notebook-dir={cls.work}"],
            stdout=cls.log, stderr=subprocess.STDOUT, start_new_session=True,
            env=dict(os.environ, PYDEVD_DISABLE_FILE_VALIDATION="1"))
        deadline = time.time() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{cls.port}/api", timeout=2)
                break
            except Exception:
                if time.time() > deadline or cls.server.poll() is not None:
                    raise RuntimeError("jupyter notebook did not start")
                time.sleep(0.3)
        opts = webdriver.ChromeOptions()
        opts.binary_location = CHROMIUM
        for f in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--window-size=1200,900",
                  f"--user-data-dir={cls.work}/profile"]:
            opts.add_argument(f)
        cls.driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
        cls.driver.set_script_timeout(30)

    @classmethod
    def tearDownClass(cls):
        cls.driver.quit()
        cls.server.terminate()
        try:
            cls.server.wait(10)
        except subprocess.TimeoutExpired:
            cls.server.kill()
        cls.log.close()
        shutil.rmtree(cls.work, ignore_errors=True)

    def open(self, name):
        """Opens a notebook and waits until its kernel is connected and its
        kernel.js (if any) has had its turn."""
        d = self.driver
        d.get(f"http://127.0.0.1:{self.port}/notebooks/{name}")
        deadline = time.time() + 60
        while not d.execute_script(
                "return !!(window.Jupyter && Jupyter.notebook && Jupyter.notebook._fully_loaded"
                " && Jupyter.notebook.kernel && Jupyter.notebook.kernel.is_connected()"
                " && Jupyter.notebook.kernel.info_reply && Jupyter.notebook.kernel.info_reply.status)"):
            if time.time() > deadline:
                self.fail(f"{name}: the page or its kernel did not become ready")
            time.sleep(0.3)
        # kernel.js is fetched when the kernel starts; the python3 spec has
        # none (a 404 the page ignores). Give it time to run either way.
        time.sleep(1.5)

    def type_in(self, index, text):
        d = self.driver
        d.execute_script(f"Jupyter.notebook.select({index}); Jupyter.notebook.edit_mode();")
        cm = d.find_elements(By.CSS_SELECTOR, ".cell .CodeMirror")[index]
        cm.click()
        ActionChains(d).send_keys(text).perform()
        time.sleep(0.3)
        return d.execute_script(f"return Jupyter.notebook.get_cell({index}).get_text()")

    def test_matcalc_quotes_stay_as_typed(self):
        self.open("mc.ipynb")
        self.assertEqual(self.type_in(0, TYPED), TYPED)
        # Brackets still close: "(" alone gives "()".
        self.driver.execute_script("Jupyter.notebook.insert_cell_below('code', 0);")
        self.assertEqual(self.type_in(1, "det("), "det()")
        # A cell made after the kernel started gets the setting too.
        self.assertEqual(self.type_in(1, "\ue010A'"), "det()A'")  # End key, then A'
        mode = self.driver.execute_script(
            "return Jupyter.notebook.get_cell(0).code_mirror.getMode().name")
        self.assertEqual(mode, "octave", "the cell is not highlighted in the mode language_info names")

    def test_python_notebook_still_closes_quotes(self):
        self.open("py.ipynb")
        self.assertEqual(self.type_in(0, TYPED), TYPED + "'",
                         "Notebook no longer auto-closes quotes: this test no longer proves kernel.js")


if __name__ == "__main__":
    unittest.main()
