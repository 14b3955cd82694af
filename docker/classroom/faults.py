"""The fault cases of the classroom test, and the pathological-cell run.

run(): every student runs the whole course (outputs and verdicts compared)
while, at the same time,
  1. the first student's kernel is killed (kill -9) in the middle of a cell:
     the server restarts it, and that student's next cell works and says
     that what was defined is gone (a NameError for the name defined before
     confirms it);
  2. the second student's single-user server is killed (kill -9): the hub
     notices (its poll), and the student starts it again and works;
  3. the hub is restarted (SIGTERM, then started again on the same database)
     while servers run and cells are being executed: nobody's cell fails;
  4. the last student, whose server culls idle kernels
     (MappingKernelManager.cull_idle_timeout), leaves a kernel idle with no
     tab open: the server shuts it down, and cleanly (matcalc removes the
     marker beside its connection file only when it exits on its own).

pathological(): the class works once undisturbed, then again while more
students send cells that run into matcalc's budgets (refused at once) or
run long until interrupted; each such cell must end within a bound, and the
others' p95 is compared.
"""

import asyncio
import os
import signal
import time

import driver
from driver import Failure, Run, Student, children, percentile, summary
from hub import pid_alive

KERNEL_MIN_AGE = 11  # jupyter_client picks new ports for a kernel that dies in its first 10 s


def log(msg):
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


def kernel_pids(hub, name):
    """The kernel processes of a student's server: pid -> connection file."""
    server = hub.server_pids().get(name)
    out = {}
    for pid in children(server) if server else []:
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                args = f.read().decode().split("\0")
        except OSError:
            continue
        if "-f" in args:
            out[pid] = args[args.index("-f") + 1]
    return out


async def kill_kernel_mid_cell(run, s):
    kernel = await s.open_kernel(run.kernel_name)
    t0 = time.monotonic()
    reply, _, _, _ = await kernel.execute("x : vector(3)")
    if reply["status"] != "ok":
        raise Failure(f"{s.name}: declaring x failed: {reply}")
    await asyncio.sleep(max(0, KERNEL_MIN_AGE - (time.monotonic() - t0)))
    pids = kernel_pids(run.hub, s.name)
    if len(pids) != 1:
        raise Failure(f"{s.name}: expected one kernel process, found {pids}")
    pid = next(iter(pids))
    # A long cell; the kernel dies under it.
    await kernel.ws.write_message(__import__("json").dumps({
        "header": {"msg_id": "long-cell", "msg_type": "execute_request", "username": s.name,
                   "session": kernel.session, "date": driver.now_ms(), "version": "5.3"},
        "parent_header": {}, "metadata": {}, "channel": "shell",
        "content": {"code": "%sleep 60", "silent": False, "store_history": True,
                    "user_expressions": {}, "allow_stdin": False, "stop_on_error": True}}))
    await asyncio.sleep(0.5)
    os.kill(pid, signal.SIGKILL)
    log(f"{s.name}: killed kernel {pid} mid-cell")
    await kernel.wait_status("restarting", 30)
    t1 = time.monotonic()
    reply, outputs, took, _ = await kernel.execute("%echo back")
    text = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    if reply["status"] != "ok" or "back" not in text:
        raise Failure(f"{s.name}: the cell after the restart: {reply['status']}, {outputs}")
    if "matcalc restarted" not in text or "gone" not in text:
        raise Failure(f"{s.name}: the cell after the restart does not say the state was lost: {text!r}")
    reply, _, _, _ = await kernel.execute("x", stop_on_error=False)
    if reply["status"] != "error" or reply.get("ename") != "NameError":
        raise Failure(f"{s.name}: x survived the restart? {reply}")
    log(f"{s.name}: after the restart the next cell ran in {took:.2f} s "
        f"({time.monotonic() - t1:.2f} s with the check of x) and said the state was lost")
    await s.close_kernel(kernel)


async def kill_server(run, s):
    pid = run.hub.server_pids().get(s.name)
    if not pid:
        raise Failure(f"{s.name}: no server process")
    os.kill(pid, signal.SIGKILL)
    t0 = time.monotonic()
    log(f"{s.name}: killed single-user server {pid}")
    while True:
        u = await s.hub_api("GET", f"/users/{s.name}")
        if not u["servers"]:
            break
        if time.monotonic() - t0 > 60:
            raise Failure(f"{s.name}: the hub did not notice its server died within 60 s")
        await asyncio.sleep(0.5)
    log(f"{s.name}: the hub noticed in {time.monotonic() - t0:.1f} s; starting again")
    took = await s.start_server()
    log(f"{s.name}: server started again in {took:.1f} s")


async def restart_hub(run, after):
    await asyncio.sleep(after)
    loop = asyncio.get_running_loop()
    t0 = time.monotonic()
    await loop.run_in_executor(None, run.hub.stop_hub)
    log("hub stopped (servers and proxy left running)")
    await asyncio.sleep(1)
    await loop.run_in_executor(None, run.hub.start_hub)
    log(f"hub back in {time.monotonic() - t0:.1f} s")


async def cull_idle_kernel(run, s):
    kernel = await s.open_kernel(run.kernel_name)
    reply, _, _, _ = await kernel.execute("y : vector(2)")
    pids = kernel_pids(run.hub, s.name)
    if len(pids) != 1:
        raise Failure(f"{s.name}: expected one kernel process, found {pids}")
    pid, conn = next(iter(pids.items()))
    kernel.close()  # the tab closed: no connection, the kernel idles
    t0 = time.monotonic()
    while True:
        ks = await s.http("GET", f"{s.base}/api/kernels")
        if not any(k["id"] == kernel.id for k in ks):
            break
        if time.monotonic() - t0 > 60:
            raise Failure(f"{s.name}: the idle kernel was not culled within 60 s")
        await asyncio.sleep(0.5)
    for _ in range(50):
        if not pid_alive(pid):
            break
        await asyncio.sleep(0.1)
    if pid_alive(pid):
        raise Failure(f"{s.name}: culled kernel {pid} still running")
    if os.path.exists(conn + ".matcalc-running"):
        raise Failure(f"{s.name}: culled kernel {pid} did not exit cleanly (it was killed)")
    log(f"{s.name}: idle kernel culled after {time.monotonic() - t0:.1f} s and exited cleanly")


async def run(hub, names, args):
    if len(names) < 4:
        raise SystemExit("--faults needs at least 4 students")
    r = Run(hub, "matcalc", deadline=args.deadline)
    students = [Student(r, n) for n in names]
    t0 = time.monotonic()
    await asyncio.gather(*(s.login() for s in students))
    await asyncio.gather(*(s.start_server() for s in students))
    log(f"{len(students)} servers up in {time.monotonic() - t0:.1f} s")
    first, second, last = students[0], students[1], students[-1]

    async def with_fault(s, fault):
        await fault(r, s)
        await s.run_course(1)

    t1 = time.monotonic()
    jobs = [with_fault(first, kill_kernel_mid_cell), with_fault(second, kill_server),
            with_fault(last, cull_idle_kernel), restart_hub(r, after=8)]
    jobs += [s.run_course(1) for s in students[2:-1]]
    results = await asyncio.gather(*jobs, return_exceptions=True)
    wall = time.monotonic() - t1
    owners = [first, second, last, None] + students[2:-1]
    failed = False
    for owner, res in zip(owners, results):
        if isinstance(res, BaseException):
            failed = True
            log(f"FAILED {owner.name if owner else 'hub restart'}: {type(res).__name__}: {res}")
    # After the restart the hub knows every server.
    _, users = hub.api("GET", "/users")
    down = [u["name"] for u in users if u["name"] in names and not u["servers"].get("", {}).get("ready")]
    if down:
        failed = True
        log(f"FAILED: after the hub restart these servers are not ready: {down}")
    res = summary("faults run", students, wall, r)
    log(f"hub API calls retried while the hub restarted: {r.hub_retries}")
    for s in students:
        for p in s.problems:
            log("FAILED " + p)
    return not failed and res["problems"] == 0


PATHOLOGICAL = [
    # (cell, what must happen, bound in seconds)
    ("B = rand(2000, 2000)*rand(2000, 2000)", "refused", 5),
    ("C = inv(rand(2000, 2000))", "refused", 5),
    ("A = rand(3000, 3000)", "refused", 5),
    ("M : matrix(n, n)\ngrad(tr(M^400), M)", "ok", 30),
    ("A = rand(1200, 1200)\nB = A*A\nC = B*A\nD = C*A\nE = D*A\nF = E*A", "interrupted", 10),
]


async def troublemaker(r, s, stop, pause):
    """Sends pathological cells, pause seconds apart (0: back to back),
    until stop is set; returns the seconds each took to end (refused,
    finished, or interrupted after 1 s)."""
    ended = []
    kernel = await s.open_kernel("matcalc")
    try:
        while not stop.is_set():
            for code, want, bound in PATHOLOGICAL:
                if stop.is_set():
                    break
                await asyncio.sleep(pause)
                if want == "interrupted":
                    task = asyncio.ensure_future(kernel.execute(code, stop_on_error=False))
                    await asyncio.sleep(1)
                    t0 = time.monotonic()
                    await s.http("POST", f"{s.base}/api/kernels/{kernel.id}/interrupt", {})
                    reply, _, _, _ = await task
                    took = time.monotonic() - t0
                    ok = reply["status"] == "error" and reply.get("ename") == "Interrupted"
                else:
                    reply, _, took, _ = await kernel.execute(code, stop_on_error=False)
                    ok = (reply["status"] == "ok") if want == "ok" else (
                        reply["status"] == "error" and reply.get("ename") == "ValueError")
                ended.append((code.splitlines()[-1][:40], want, took))
                if not ok or took > bound:
                    s.problems.append(f"{s.name}: {code.splitlines()[-1][:40]!r}: {reply['status']} "
                                      f"{reply.get('ename', '')} after {took:.1f} s, want {want} within {bound} s")
    finally:
        await s.close_kernel(kernel)
    return ended


async def pathological(hub, names, args):
    k = args.pathological
    r = Run(hub, "matcalc", deadline=args.deadline)
    students = [Student(r, n) for n in names]
    bad = [Student(r, f"p{i:03d}") for i in range(1, k + 1)]
    await asyncio.gather(*(s.login() for s in students + bad))
    await asyncio.gather(*(s.start_server() for s in students + bad))
    t0 = time.monotonic()
    await asyncio.gather(*(s.run_course(1) for s in students))
    calm = summary("undisturbed", students, time.monotonic() - t0, r)
    for s in students:
        s.latencies = []
    stop = asyncio.Event()
    troubles = [asyncio.ensure_future(troublemaker(r, b, stop, args.pathological_pause)) for b in bad]
    t0 = time.monotonic()
    await asyncio.gather(*(s.run_course(1) for s in students))
    stop.set()
    ended = [e for t in await asyncio.gather(*troubles) for e in t]
    noisy = summary(f"with {k} pathological students (a cell every {args.pathological_pause:g} s)",
                    students, time.monotonic() - t0, r)
    by = {}
    for what, want, took in ended:
        by.setdefault((what, want), []).append(took)
    for (what, want), ts in by.items():
        print(f"  pathological {what!r} ({want}): {len(ts)} times, ended within "
              f"p50 {percentile(ts, 50):.2f} s, max {max(ts):.2f} s")
    print(f"  neighbours' p95: {calm['p95_ms']:.0f} ms undisturbed, {noisy['p95_ms']:.0f} ms with "
          f"pathological students", flush=True)
    problems = [p for s in students + bad for p in s.problems]
    for p in problems:
        print("  " + p)
    return not problems
