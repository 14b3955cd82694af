"""A class of simulated students against a real JupyterHub (hub.py).

    /usr/bin/python3 docker/classroom/driver.py --students N [options]

Each student is made through the hub's REST API (a user, a token for it, its
server started), and then does what a student's browser does, through the
proxy: for every course notebook (notebooks/*.ipynb) in turn, starts a
kernel (POST /user/NAME/api/kernels), opens the kernel's websocket, runs
every code cell in order (an execute_request each, stop_on_error as the
Notebook sends it, off for cells tagged raises-exception) and shuts the
kernel down. All students at once. Every output is compared with the
committed notebook, normalised as notebooks/tools/nbtools.py does for
`check` (measured numbers only), and the ✓/✗ verdicts of check(...) with
the ones the source expects.

Options:
  --kernel matcalc|python3   what the students run (python3: ipykernel on a
                             Python notebook of the same shape, for comparison)
  --think MIN:MAX            seconds between two cells of a student (default 0)
  --rounds K                 passes over the notebooks (default 1)
  --faults                   the fault cases of CI (needs N >= 4), see faults()
  --pathological K           K more students send cells that run into matcalc's
                             budgets, while the others work; their p95 compared
  --pathological-pause S     seconds between two such cells (default 3)
  --json FILE                figures written there
Loops are bounded by count and by time (--deadline seconds for the whole run).
"""

import argparse
import asyncio
import glob
import json
import os
import random
import statistics
import sys
import time
import uuid
from datetime import datetime, timezone

import nbformat
from tornado.httpclient import AsyncHTTPClient, HTTPRequest
from tornado.websocket import websocket_connect

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "notebooks", "tools"))
sys.path.insert(0, HERE)
import nbtools  # noqa: E402
from hub import Hub, install_kernel  # noqa: E402

CELL_TIMEOUT = 120
OUTPUT_TYPES = ("stream", "display_data", "execute_result", "error")

# The Python notebook ipykernel students run: the same kind of work (NumPy
# and SymPy matrix calculus), 11 cells, like a course notebook.
PYTHON_CELLS = [
    "import numpy as np\nimport sympy as sp\nrng = np.random.default_rng(0)",
    "n = 4\nA = rng.standard_normal((n, n))\nx = rng.standard_normal(n)\nx @ A @ x",
    "g = (A + A.T) @ x\ng",
    "h = 1e-6\nnum = np.array([((x + h*e) @ A @ (x + h*e) - (x - h*e) @ A @ (x - h*e)) / (2*h) "
    "for e in np.eye(n)])\nnp.max(np.abs(num - g))",
    "X = sp.MatrixSymbol('X', 3, 3)\nY = sp.Matrix(X)\nf = (Y*Y).trace()\nsp.Matrix(3, 3, lambda i, j: sp.diff(f, Y[i, j]))",
    "B = rng.standard_normal((n, n))\nnp.linalg.det(B), np.linalg.inv(B) @ B",
    "M = sp.Matrix(2, 2, sp.symbols('a b c d'))\nsp.simplify(M.inv())",
    "sp.diff(sp.log(M.det()), sp.Symbol('a'))",
    "from scipy.linalg import expm\nexpm(np.array([[0.0, 1.0], [-1.0, 0.0]]))",
    "t = sp.Symbol('t')\nsp.exp(sp.Matrix([[0, 1], [-1, 0]])*t).applyfunc(sp.simplify)",
    "print('done', n)",
]


def now_ms():
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def percentile(xs, p):
    if not xs:
        return float("nan")
    xs = sorted(xs)
    k = (len(xs) - 1) * p / 100
    lo = int(k)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


class Failure(Exception):
    pass


class Kernel:
    """One kernel of a student's server, and its websocket."""

    def __init__(self, student, kid, ws):
        self.student, self.id, self.ws = student, kid, ws
        self.session = uuid.uuid4().hex
        self.pending = []  # messages read while waiting for something else

    async def read(self, timeout):
        if self.pending:
            return self.pending.pop(0)
        msg = await asyncio.wait_for(self.ws.read_message(), timeout)
        if msg is None:
            raise Failure(f"{self.student.name}: kernel websocket closed")
        return json.loads(msg)

    async def execute(self, code, stop_on_error=True, timeout=CELL_TIMEOUT):
        """Runs a cell; returns (reply content, outputs as nbformat nodes,
        seconds from send to idle, other messages seen)."""
        mid = uuid.uuid4().hex
        t0 = time.monotonic()
        await self.ws.write_message(json.dumps({
            "header": {"msg_id": mid, "msg_type": "execute_request", "username": self.student.name,
                       "session": self.session, "date": now_ms(), "version": "5.3"},
            "parent_header": {}, "metadata": {}, "channel": "shell",
            "content": {"code": code, "silent": False, "store_history": True, "user_expressions": {},
                        "allow_stdin": False, "stop_on_error": stop_on_error},
        }))
        reply, outputs, idle, other = None, [], False, []
        clear_next = False
        deadline = t0 + timeout
        while reply is None or not idle:
            left = deadline - time.monotonic()
            if left <= 0:
                raise Failure(f"{self.student.name}: no {'reply' if reply is None else 'idle'} "
                              f"within {timeout} s for {code.splitlines()[0][:50]!r}")
            msg = await self.read(left)
            if msg.get("parent_header", {}).get("msg_id") != mid:
                other.append(msg)
                continue
            t = msg["msg_type"]
            if t == "execute_reply":
                reply = msg["content"]
            elif t == "status" and msg["content"]["execution_state"] == "idle":
                idle = True
            elif t == "clear_output":
                if msg["content"].get("wait"):
                    clear_next = True
                else:
                    outputs = []
            elif t in OUTPUT_TYPES:
                if clear_next:
                    outputs, clear_next = [], False
                outputs.append(nbformat.v4.output_from_msg(msg))
        return reply, outputs, time.monotonic() - t0, other

    async def wait_status(self, state, timeout):
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise Failure(f"{self.student.name}: no status {state} within {timeout} s")
            msg = await self.read(left)
            if msg["msg_type"] == "status" and msg["content"]["execution_state"] == state:
                return

    def close(self):
        self.ws.close()


class Student:
    def __init__(self, run, name):
        self.run, self.name = run, name
        self.token = None
        self.latencies = []  # seconds per cell
        self.problems = []
        self.cells = 0
        self.spawn_time = None
        self.rng = random.Random(name)

    @property
    def base(self):
        return f"{self.run.hub.url}/user/{self.name}"

    async def http(self, method, url, body=None, token=None, timeout=120):
        req = HTTPRequest(url, method=method, body=None if body is None else json.dumps(body),
                          headers={"Authorization": f"token {token or self.token}",
                                   "Content-Type": "application/json"},
                          request_timeout=timeout, allow_nonstandard_methods=True)
        r = await self.run.client.fetch(req, raise_error=False)
        if r.code >= 400 or r.code == 599:
            raise Failure(f"{self.name}: {method} {url}: {r.code} {r.body[:200] if r.body else r.error}")
        return json.loads(r.body) if r.body else None

    async def hub_api(self, method, path, body=None, patience=90):
        """The hub's REST API; while the hub is down (restarting) the
        proxy answers 503, and the student tries again, as one reloads a
        page."""
        t0 = time.monotonic()
        while True:
            try:
                return await self.http(method, f"{self.run.hub.url}/hub/api{path}", body,
                                       token=self.run.hub.api_token)
            except Failure as e:
                if not any(f": {c} " in str(e) for c in (502, 503, 599)) or time.monotonic() - t0 > patience:
                    raise
                self.run.hub_retries += 1
                await asyncio.sleep(1)

    async def login(self):
        """A user and a token for it, through the hub's REST API."""
        try:
            await self.hub_api("POST", f"/users/{self.name}")
        except Failure as e:
            if " 409 " not in str(e):
                raise
        tok = await self.hub_api("POST", f"/users/{self.name}/tokens", {"note": "classroom driver"})
        self.token = tok["token"]

    async def start_server(self, timeout=300):
        """Starts the student's server and waits until it is ready. A
        start that a hub restart interrupts is asked again, as a student
        presses "Start My Server" again."""
        t0 = time.monotonic()
        asked = 0
        while True:
            u = await self.hub_api("GET", f"/users/{self.name}")
            s = u["servers"].get("")
            if s and s.get("ready"):
                break
            if not s or (not s.get("pending") and not s.get("ready")):
                try:
                    await self.hub_api("POST", f"/users/{self.name}/server")
                    asked += 1
                except Failure as e:
                    if "already running" not in str(e) and "is pending" not in str(e):
                        raise
            if time.monotonic() - t0 > timeout:
                raise Failure(f"{self.name}: server not ready within {timeout} s ({asked} starts asked)")
            await asyncio.sleep(1)  # a browser polls the progress page about as often
        self.spawn_time = time.monotonic() - t0
        return self.spawn_time

    async def open_kernel(self, kernel_name):
        k = await self.http("POST", f"{self.base}/api/kernels", {"name": kernel_name})
        url = f"ws://127.0.0.1:{self.run.hub.port}/user/{self.name}/api/kernels/{k['id']}/channels"
        # The server opens the websocket once the kernel answers its
        # kernel_info nudge: an ipykernel starting on a loaded machine may
        # take well over tornado's default 20 s.
        ws = await websocket_connect(HTTPRequest(url, headers={"Authorization": f"token {self.token}"},
                                                 connect_timeout=120, request_timeout=120),
                                     max_message_size=64 << 20)
        return Kernel(self, k["id"], ws)

    async def close_kernel(self, kernel):
        kernel.close()
        await self.http("DELETE", f"{self.base}/api/kernels/{kernel.id}")

    async def think(self):
        lo, hi = self.run.think
        if hi > 0:
            await asyncio.sleep(self.rng.uniform(lo, hi))

    async def run_notebook(self, path):
        """Runs one notebook in a fresh kernel and compares every cell."""
        nb = nbformat.read(path, as_version=4)
        name = os.path.basename(path)
        kernel = await self.open_kernel(self.run.kernel_name)
        try:
            for n, cell in enumerate(nb.cells, 1):
                if cell.cell_type != "code":
                    continue
                await self.think()
                if self.run.stop_at and time.monotonic() > self.run.stop_at:
                    return
                tags = cell.metadata.get("tags", [])
                reply, outputs, took, _ = await kernel.execute(cell.source, stop_on_error=nbtools.ERROR_TAG not in tags)
                self.latencies.append(took)
                self.cells += 1
                self.run.cells_done += 1
                fresh = nbformat.v4.new_code_cell(cell.source, metadata=cell.metadata, outputs=outputs)
                if self.run.compare:
                    want, got = nbtools.render(nbtools.cell_outputs(cell)), nbtools.render(nbtools.cell_outputs(fresh))
                    if want != got:
                        self.problems.append(f"{self.name} {name} cell {n} ({nbtools.first_line(cell)}): "
                                             f"output differs from the committed notebook")
                    ev, av = nbtools.expected_verdicts(cell), nbtools.actual_verdicts(fresh)
                    if ev != av:
                        self.problems.append(f"{self.name} {name} cell {n}: verdicts {av or '-'}, expected {ev or '-'}")
                    if reply["status"] != "ok" and nbtools.ERROR_TAG not in tags:
                        self.problems.append(f"{self.name} {name} cell {n}: {reply.get('ename')}: {reply.get('evalue')}")
                elif reply["status"] != "ok":
                    self.problems.append(f"{self.name} {name} cell {n}: {reply.get('ename')}: {reply.get('evalue')}")
        finally:
            await self.close_kernel(kernel)

    async def run_course(self, rounds):
        for _ in range(rounds):
            for path in self.run.notebooks:
                if self.run.stop_at and time.monotonic() > self.run.stop_at:
                    return  # a timed run (benchmark) is over
                if time.monotonic() > self.run.deadline:
                    self.problems.append(f"{self.name}: run deadline reached")
                    return
                await self.run_notebook(path)


class Run:
    def __init__(self, hub, kernel_name, think=(0, 0), deadline=900, compare=True, duration=None):
        self.hub, self.kernel_name, self.think = hub, kernel_name, think
        self.stop_at = time.monotonic() + duration if duration else None
        self.client = AsyncHTTPClient(max_clients=1000)
        self.deadline = time.monotonic() + deadline
        self.compare = compare
        self.cells_done = 0
        self.hub_retries = 0  # hub API calls retried while the hub was down
        self.memory = ([], [])
        if kernel_name == "python3":
            nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in PYTHON_CELLS])
            path = os.path.join(hub.dir, "python-course.ipynb")
            nbformat.write(nb, path)
            self.notebooks = [path] * 10  # ten notebooks' worth, each in a fresh kernel
            self.compare = False
        else:
            # The course notebooks: those with a source (not a teacher's scratch Untitled).
            self.notebooks = sorted(
                p for p in glob.glob(os.path.join(ROOT, "notebooks", "*.ipynb"))
                if os.path.exists(os.path.join(ROOT, "notebooks", "src",
                                               os.path.basename(p)[:-6] + ".md"))
                and any(c.cell_type == "code" for c in nbformat.read(p, 4).cells))


def pss_kib(pid):
    """Proportional set size of one process, in KiB (smaps_rollup)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def children(pid):
    out = []
    for p in os.listdir("/proc"):
        if not p.isdigit():
            continue
        try:
            with open(f"/proc/{p}/stat") as f:
                if int(f.read().split(")")[-1].split()[1]) == pid:
                    out.append(int(p))
        except (OSError, ValueError, IndexError):
            pass
    return out


def memory(hub, names):
    """PSS per student, MiB: its server, and its kernels (the server's
    children)."""
    pids = hub.server_pids()
    server, kernel = [], []
    for n in names:
        if n in pids:
            server.append(pss_kib(pids[n]) / 1024)
            kernel.append(sum(pss_kib(k) for k in children(pids[n])) / 1024)
    return server, kernel


def summary(label, students, wall, run):
    lat = [x for s in students for x in s.latencies]
    spawn = [s.spawn_time for s in students if s.spawn_time is not None]
    r = {
        "label": label, "students": len(students), "cells": len(lat),
        "p50_ms": percentile(lat, 50) * 1000, "p95_ms": percentile(lat, 95) * 1000,
        "max_ms": (max(lat) if lat else float("nan")) * 1000,
        "cells_per_s": len(lat) / wall if wall > 0 else 0, "wall_s": wall,
        "spawn_p50_s": percentile(spawn, 50), "spawn_max_s": max(spawn) if spawn else float("nan"),
        "problems": sum(len(s.problems) for s in students),
        "load": os.getloadavg(),
    }
    print(f"{label}: {r['students']} students, {r['cells']} cells in {wall:.1f} s "
          f"({r['cells_per_s']:.1f} cells/s); per cell p50 {r['p50_ms']:.0f} ms, p95 {r['p95_ms']:.0f} ms, "
          f"max {r['max_ms']:.0f} ms; spawn p50 {r['spawn_p50_s']:.1f} s, max {r['spawn_max_s']:.1f} s; "
          f"problems {r['problems']}; load {r['load'][0]:.1f}", flush=True)
    return r


async def sample_memory(run, names, every=5.0):
    """Samples PSS while the class works: per student, its server and the
    kernel it has open (students between two notebooks are skipped)."""
    server, kernel = [], []
    while True:
        srv, ker = await asyncio.get_running_loop().run_in_executor(None, memory, run.hub, names)
        server += srv
        kernel += [k for k in ker if k > 0]
        run.memory = (server, kernel)
        await asyncio.sleep(every)


async def class_session(run, names, rounds):
    students = [Student(run, n) for n in names]
    await asyncio.gather(*(s.login() for s in students))
    await asyncio.gather(*(s.start_server() for s in students))
    sampler = asyncio.ensure_future(sample_memory(run, names))
    t0 = time.monotonic()
    results = await asyncio.gather(*(s.run_course(rounds) for s in students), return_exceptions=True)
    wall = time.monotonic() - t0
    sampler.cancel()
    for s, r in zip(students, results):
        if isinstance(r, BaseException):
            s.problems.append(f"{s.name}: {type(r).__name__}: {r}")
    return students, wall


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--students", type=int, default=10)
    ap.add_argument("--kernel", default="matcalc")
    ap.add_argument("--think", default="0:0")
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--faults", action="store_true")
    ap.add_argument("--pathological", type=int, default=0)
    ap.add_argument("--pathological-pause", type=float, default=3,
                    help="seconds between two pathological cells of a student (0: back to back)")
    ap.add_argument("--dir", help="working folder (default: a new one in /tmp, removed)")
    ap.add_argument("--jupyter-path", help="JUPYTER_PATH with the matcalc kernelspec (default: build it)")
    ap.add_argument("--deadline", type=float, default=900)
    ap.add_argument("--json")
    args = ap.parse_args()
    import shutil
    import tempfile
    workdir = args.dir or tempfile.mkdtemp(prefix="matcalc-class-")
    jp = args.jupyter_path or install_kernel(ROOT, os.path.join(workdir, "prefix"),
                                             shutil.which("go") or "/usr/local/go/bin/go")
    think = tuple(float(x) for x in args.think.split(":"))
    names = [f"s{i:03d}" for i in range(1, args.students + 1)]
    hub = Hub(os.path.join(workdir, "hub"), jp, poll_interval=3 if args.faults else 30,
              cull_users=[names[-1]] if args.faults else [], cull_idle_timeout=6, cull_interval=2)
    ok = False
    try:
        hub.start()
        if args.faults:
            import faults
            ok = asyncio.run(faults.run(hub, names, args))
        elif args.pathological:
            import faults
            ok = asyncio.run(faults.pathological(hub, names, args))
        else:
            run = Run(hub, args.kernel, think, args.deadline)
            students, wall = asyncio.run(class_session(run, names, args.rounds))
            server, kernel = run.memory
            r = summary(f"{args.kernel}, think {args.think} s", students, wall, run)
            r["pss_server_mib"] = statistics.mean(server) if server else None
            r["pss_kernel_mib"] = statistics.mean(kernel) if kernel else None
            r["pss_kernel_max_mib"] = max(kernel) if kernel else None
            print(f"  PSS per student: server {r['pss_server_mib'] or 0:.1f} MiB, kernel {r['pss_kernel_mib'] or 0:.1f} MiB "
                  f"(max {r['pss_kernel_max_mib'] or 0:.1f})", flush=True)
            for s in students:
                for p in s.problems[:5]:
                    print("  " + p)
            ok = r["problems"] == 0
            if args.json:
                with open(args.json, "w") as f:
                    json.dump(r, f, indent=1)
    finally:
        hub.stop()
        if not args.dir:
            shutil.rmtree(workdir, ignore_errors=True)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
