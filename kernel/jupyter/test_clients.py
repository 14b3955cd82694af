"""Drives the installed matcalc kernel with real Jupyter clients:
jupyter console (scripted with --simple-prompt, and in tmux for a
multi-line cell), the matcalc REPL in tmux, classic Notebook's server over
its websocket, an nbclient execution of a small notebook, jupyter_client
over ipc, and a jupyter_client session that interrupts a long cell and
shuts the kernel down. Run with /usr/bin/python3 -m unittest (test.sh sets
JUPYTER_PATH to the temporary kernelspec prefix).
"""

import json
import os
import shutil
import subprocess
import tempfile
import time
import unittest

import nbformat
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager, start_new_kernel
from nbclient import NotebookClient

KERNEL_NAME = os.environ.get("MATCALC_KERNEL", "matcalc")


class Tmux:
    """A tmux session running a command, for driving terminal programs."""

    def __init__(self, test, *cmd):
        self.test = test
        self.name = f"matcalc-test-{os.getpid()}-{time.monotonic_ns()}"
        subprocess.run(["tmux", "new-session", "-d", "-s", self.name, "-x", "120", "-y", "40",
                        *cmd], check=True)

    def screen(self):
        return subprocess.run(["tmux", "capture-pane", "-p", "-t", self.name],
                              capture_output=True, text=True).stdout

    def wait_for(self, text, timeout=20):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.screen():
                return
            time.sleep(0.05)
        self.test.fail(f"{text!r} never appeared on the terminal:\n{self.screen()}")

    def wait_for_line(self, line, timeout=20):
        """Waits for a whole screen line (an output, not the echoed input)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if line in [l.rstrip() for l in self.screen().splitlines()]:
                return
            time.sleep(0.05)
        self.test.fail(f"line {line!r} never appeared on the terminal:\n{self.screen()}")

    def send(self, *keys):
        subprocess.run(["tmux", "send-keys", "-t", self.name, *keys], check=True)

    def type(self, line):
        self.send("-l", line)
        self.send("Enter")

    def alive(self):
        return subprocess.run(["tmux", "has-session", "-t", self.name],
                              capture_output=True).returncode == 0

    def close(self):
        subprocess.run(["tmux", "kill-session", "-t", self.name], capture_output=True)


class ConsoleTest(unittest.TestCase):
    def test_scripted_session(self):
        cells = "%echo hello from console\n%who\n%sleep 0.05\n%help %sleep\n"
        out = subprocess.run(
            ["jupyter", "console", "--kernel", KERNEL_NAME, "--simple-prompt"],
            input=cells, capture_output=True, text=True, timeout=60)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn("matcalc", out.stdout)  # the banner
        self.assertIn("hello from console", out.stdout)
        self.assertRegex(out.stdout, r"In \[2\]: \S")  # %who says something
        self.assertIn("an interrupt stops the wait", out.stdout)
        self.assertIn("In [4]:", out.stdout)

    def test_multiline_cell_in_tmux(self):
        """The full prompt_toolkit console in tmux: an open bracket makes
        is_complete answer "incomplete", so Enter continues the cell."""
        if shutil.which("tmux") is None:
            self.skipTest("tmux is not installed")
        t = Tmux(self, "jupyter", "console", "--kernel", KERNEL_NAME)
        try:
            t.wait_for("In [1]:")
            t.type("A = [1 2")
            t.wait_for("...:")
            t.type("3 4]")
            t.wait_for("In [2]:")
            t.type("det(A)")
            t.wait_for("Out[2]: -2")
            t.wait_for("In [3]:")
        finally:
            t.close()


class TerminalTest(unittest.TestCase):
    """matcalc with no arguments on a terminal: the REPL."""

    def test_repl(self):
        if shutil.which("tmux") is None:
            self.skipTest("tmux is not installed")
        binary = KernelSpecManager().get_kernel_spec(KERNEL_NAME).argv[0]
        t = Tmux(self, binary)
        try:
            t.wait_for("In [1]:")
            # Tab completes a magic.
            t.send("-l", "%ec")
            t.send("Tab")
            t.wait_for("%echo")
            t.send("C-u")
            t.type("%echo from the repl")
            t.wait_for_line("from the repl")
            t.wait_for("In [2]:")
            # Ctrl-C at the prompt abandons the line, the REPL stays, and
            # the next prompt starts a fresh line below the abandoned one
            # (it used to follow it on the same row).
            t.send("-l", "half a line")
            t.send("C-c")
            t.wait_for_line("In [2]: half a line^C")
            t.wait_for_line("In [2]:")
            rows = [l.rstrip() for l in t.screen().splitlines()]
            i = rows.index("In [2]: half a line^C")
            self.assertEqual(rows[i + 1], "In [2]:", "\n".join(rows))
            # Ctrl-C during a cell interrupts it.
            t.type("%sleep 30")
            time.sleep(0.3)
            t.send("C-c")
            t.wait_for("Interrupted")
            t.wait_for("In [3]:")
            t.type("A = [1 2")
            t.wait_for("...:")
            t.type("3 4]")
            t.wait_for("In [4]:")
            t.type("det(A)")
            t.wait_for_line("-2")
            # History: Up recalls the previous cell.
            t.send("Up")
            t.wait_for("det(A)")
            t.send("C-u")
            t.send("C-d")
            deadline = time.monotonic() + 10
            while t.alive() and time.monotonic() < deadline:
                time.sleep(0.05)
            self.assertFalse(t.alive(), "Ctrl-D did not end the REPL")
        finally:
            t.close()


class NotebookTest(unittest.TestCase):
    def test_nbclient(self):
        nb = nbformat.v4.new_notebook()
        nb.metadata["kernelspec"] = {"name": KERNEL_NAME, "display_name": "matcalc",
                                     "language": "matcalc"}
        nb.cells = [
            nbformat.v4.new_code_cell("%echo first cell"),
            nbformat.v4.new_code_cell("%who"),
            nbformat.v4.new_code_cell("%time\n%sleep 0.05"),
            nbformat.v4.new_code_cell("%sleep x"),
        ]
        nb.cells.append(nbformat.v4.new_code_cell("x : vector(3)\ngrad(x'*x, x)"))
        client = NotebookClient(nb, timeout=30, kernel_name=KERNEL_NAME, allow_errors=True)
        client.execute()
        outs = [c.outputs for c in nb.cells]
        self.assertEqual(outs[0][0]["output_type"], "stream")
        self.assertEqual(outs[0][0]["text"], "first cell\n")
        self.assertEqual(outs[1][0]["output_type"], "display_data")
        self.assertIn("text/plain", outs[1][0]["data"])
        self.assertIn("Wall time", outs[2][0]["text"])
        self.assertEqual(outs[3][0]["output_type"], "error")
        self.assertEqual(outs[3][0]["ename"], "MagicError")
        self.assertEqual([c.execution_count for c in nb.cells], list(range(1, len(nb.cells) + 1)))
        result = [o for o in outs[4] if o["output_type"] == "execute_result"]
        self.assertEqual(len(result), 1, outs[4])
        self.assertTrue(result[0]["data"]["text/latex"].startswith("$$"))
        self.assertIn("text/plain", result[0]["data"])
        self.assertTrue(any(o["output_type"] == "display_data" for o in outs[4]),
                        "no derivation shown")


class NotebookServerTest(unittest.TestCase):
    """Classic Notebook 6.4's server in front of the kernel: it nudges a new
    kernel with kernel_info on shell and control until iopub answers, then
    relays the channels over a websocket."""

    def test_server_websocket(self):
        import asyncio
        import socket
        import urllib.request

        from tornado.websocket import websocket_connect

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        with tempfile.TemporaryDirectory() as d:
            server = subprocess.Popen(
                ["jupyter", "notebook", "--no-browser", f"--port={port}", "--ip=127.0.0.1",
                 "--NotebookApp.token=", "--NotebookApp.password=", "--NotebookApp.disable_check_xsrf=True", f"--notebook-dir={d}",
                 "--allow-root"],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            try:
                base = f"http://127.0.0.1:{port}"
                deadline = time.monotonic() + 30
                while True:
                    try:
                        urllib.request.urlopen(base + "/api/status", timeout=1)
                        break
                    except OSError:
                        if time.monotonic() > deadline:
                            self.fail("notebook server did not start")
                        time.sleep(0.1)
                req = urllib.request.Request(base + "/api/kernels", method="POST",
                                             data=json.dumps({"name": KERNEL_NAME}).encode(),
                                             headers={"Content-Type": "application/json"})
                kernel_id = json.load(urllib.request.urlopen(req, timeout=30))["id"]

                async def run():
                    ws = await websocket_connect(f"ws://127.0.0.1:{port}/api/kernels/{kernel_id}/channels")
                    msg_id = "test-execute-1"
                    await ws.write_message(json.dumps({
                        "header": {"msg_id": msg_id, "msg_type": "execute_request",
                                   "username": "t", "session": "s", "date": "", "version": "5.3"},
                        "parent_header": {}, "metadata": {}, "channel": "shell",
                        "content": {"code": "%echo through the server", "silent": False,
                                    "store_history": True, "user_expressions": {},
                                    "allow_stdin": False, "stop_on_error": True},
                    }))
                    got = {}
                    while "reply" not in got or "idle" not in got:
                        msg = json.loads(await asyncio.wait_for(ws.read_message(), 20))
                        if msg.get("parent_header", {}).get("msg_id") != msg_id:
                            continue
                        if msg["msg_type"] == "execute_reply":
                            got["reply"] = msg["content"]["status"]
                        elif msg["msg_type"] == "stream":
                            got["stream"] = msg["content"]["text"]
                        elif msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                            got["idle"] = True
                    ws.close()
                    return got

                got = asyncio.run(run())
                self.assertEqual(got.get("reply"), "ok")
                self.assertEqual(got.get("stream"), "through the server\n")
                req = urllib.request.Request(f"{base}/api/kernels/{kernel_id}", method="DELETE")
                urllib.request.urlopen(req, timeout=30)
            finally:
                server.terminate()
                server.wait(timeout=30)


class IpcTest(unittest.TestCase):
    def test_ipc_transport(self):
        with tempfile.TemporaryDirectory() as d:
            km = KernelManager(kernel_name=KERNEL_NAME, transport="ipc",
                               ip=os.path.join(d, "kernel"))
            km.start_kernel()
            kc = km.client()
            kc.start_channels()
            try:
                kc.wait_for_ready(timeout=20)
                outputs = []
                reply = kc.execute_interactive("%echo over ipc", timeout=10,
                                               output_hook=outputs.append)
                self.assertEqual(reply["content"]["status"], "ok")
                self.assertIn("over ipc\n", [o["content"].get("text") for o in outputs])
            finally:
                kc.stop_channels()
                km.shutdown_kernel()
            self.assertEqual(os.listdir(d), [], "ipc socket files left behind")


class ExecuteTest(unittest.TestCase):
    """execute_request fields as a client sends them."""

    def test_user_expressions_change_nothing(self):
        km, kc = start_new_kernel(kernel_name=KERNEL_NAME)
        try:
            reply = kc.execute("n = 2", reply=True, timeout=10, user_expressions={
                "sum": "n + 1", "bind": "y = 5", "decl": "z : scalar"})
            ue = reply["content"]["user_expressions"]
            self.assertEqual(ue["sum"]["status"], "ok", ue)
            self.assertEqual(ue["sum"]["data"]["text/plain"], "3")
            self.assertEqual(ue["bind"]["status"], "error", ue)
            self.assertEqual(ue["decl"]["status"], "error", ue)
            for name in ("y", "z"):
                reply = kc.execute(name, reply=True, timeout=10)
                self.assertEqual(reply["content"]["ename"], "NameError",
                                 f"{name} was bound by a user expression")
        finally:
            kc.stop_channels()
            km.shutdown_kernel()

    def test_time_keeps_result(self):
        km, kc = start_new_kernel(kernel_name=KERNEL_NAME)
        try:
            outputs = []
            reply = kc.execute_interactive("%time\n[3 -4; 4 -7]^-1", timeout=10,
                                           output_hook=outputs.append)
            self.assertEqual(reply["content"]["status"], "ok")
            kinds = [o["msg_type"] for o in outputs if o["msg_type"] != "status"]
            self.assertEqual(kinds, ["execute_input", "stream", "execute_result"], outputs)
            result = [o for o in outputs if o["msg_type"] == "execute_result"][0]
            self.assertEqual(result["content"]["data"]["text/plain"], "[7/5, -4/5; 4/5, -3/5]")
        finally:
            kc.stop_channels()
            km.shutdown_kernel()


class LanguageInfoTest(unittest.TestCase):
    """language_info names a highlighter that front ends have: a Pygments lexer
    (nbconvert, nbviewer) and a CodeMirror 5 mode that classic Notebook can load
    (JupyterLab 4's language list is checked by kernel/jupyter/lab)."""

    def test_highlighters_exist(self):
        import notebook
        import pygments.lexers
        import pygments.util

        km, kc = start_new_kernel(kernel_name=KERNEL_NAME)
        try:
            info = kc.kernel_info(reply=True, timeout=10)["content"]["language_info"]
        finally:
            kc.stop_channels()
            km.shutdown_kernel()
        try:
            lexer = pygments.lexers.get_lexer_by_name(info["pygments_lexer"])
        except pygments.util.ClassNotFound:
            self.fail(f"no Pygments lexer {info['pygments_lexer']!r}")
        self.assertNotEqual(lexer.name, "Text only", "a lexer that highlights nothing")
        # It reads matcalc: a transpose is an operator, not the start of a string.
        kinds = [str(t) for t, v in lexer.get_tokens("(A*x - b)'*(A*x - b) # residual") if v.strip()]
        self.assertFalse([k for k in kinds if "String" in k], kinds)
        self.assertIn("Token.Comment", kinds)
        mode = info["codemirror_mode"]
        mode = mode["name"] if isinstance(mode, dict) else mode
        path = os.path.join(os.path.dirname(notebook.__file__), "static", "components",
                            "codemirror", "mode", mode, mode + ".js")
        self.assertTrue(os.path.exists(path), f"classic Notebook has no CodeMirror mode {mode!r}")


class InterruptShutdownTest(unittest.TestCase):
    def test_interrupt_and_shutdown(self):
        km, kc = start_new_kernel(kernel_name=KERNEL_NAME)
        try:
            msg_id = kc.execute("%sleep 30")
            time.sleep(0.3)
            t0 = time.monotonic()
            km.interrupt_kernel()
            reply = kc.get_shell_msg(timeout=10)
            self.assertEqual(reply["parent_header"]["msg_id"], msg_id)
            self.assertEqual(reply["content"]["status"], "error")
            self.assertEqual(reply["content"]["ename"], "Interrupted")
            self.assertLess(time.monotonic() - t0, 5)
            # The kernel goes on.
            reply = kc.execute("%echo still here", reply=True, timeout=10)
            self.assertEqual(reply["content"]["status"], "ok")
        finally:
            kc.stop_channels()
            t0 = time.monotonic()
            km.shutdown_kernel()
            self.assertFalse(km.is_alive())
            self.assertLess(time.monotonic() - t0, 2.5, "the kernel did not exit on shutdown_request")


if __name__ == "__main__":
    unittest.main()
