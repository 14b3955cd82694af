"""The classroom benchmark: how many students a machine holds.

    /usr/bin/python3 docker/classroom/bench.py --students 20,50,100 [--duration 60]
        [--think-duration 90] [--runs matcalc:0,python3:0,matcalc:5-20,python3:5-20]
        [--markdown FILE] [--json FILE]

For each class size N: one hub (hub.py), N students logged in and their
servers started (spawn time measured), then four timed runs on the same
servers, one after the other: matcalc students with no think time, ipykernel
students with no think time, then both again with a think time of 5–20 s
between cells (each student at their own pace, a fresh kernel per notebook,
as in driver.py; matcalc outputs compared with the committed notebooks).
ipykernel students run a Python notebook of the same shape (NumPy and SymPy
matrix calculus, driver.PYTHON_CELLS), not the matcalc notebooks. Reported
per run: cells, p50/p95/max seconds per cell (send to idle), cells/s, PSS
per student (its Notebook server, and the kernel it has open), the load
average. Not part of CI's pass/fail: the machine is shared.
"""

import argparse
import asyncio
import json
import logging
import os
import shutil
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from driver import ROOT, Run, Student, sample_memory, summary  # noqa: E402
from hub import Hub, install_kernel  # noqa: E402


async def timed(hub, students, kernel, think, duration):
    run = Run(hub, kernel, think, deadline=duration + 600, duration=duration)
    for s in students:
        s.run, s.latencies, s.problems, s.cells = run, [], [], 0
    sampler = asyncio.ensure_future(sample_memory(run, [s.name for s in students]))
    t0 = time.monotonic()
    res = await asyncio.gather(*(s.run_course(100) for s in students), return_exceptions=True)
    wall = time.monotonic() - t0
    sampler.cancel()
    for s, r in zip(students, res):
        if isinstance(r, BaseException):
            s.problems.append(f"{s.name}: {type(r).__name__}: {r}")
    label = f"{kernel}, think {think[0]:g}–{think[1]:g} s" if think[1] else f"{kernel}, no think time"
    r = summary(f"N={len(students)} {label}", students, wall, run)
    server, kern = run.memory
    r.update(kernel=kernel, think=list(think),
             pss_server_mib=statistics.mean(server) if server else None,
             pss_kernel_mib=statistics.mean(kern) if kern else None)
    for s in students:
        for p in s.problems[:3]:
            print("  " + p, flush=True)
    return r


async def one_class(hub, n, args):
    names = [f"s{i:03d}" for i in range(1, n + 1)]
    run = Run(hub, "matcalc")
    students = [Student(run, x) for x in names]
    await asyncio.gather(*(s.login() for s in students))
    t0 = time.monotonic()
    await asyncio.gather(*(s.start_server() for s in students))
    spawn_all = time.monotonic() - t0
    spawn = sorted(s.spawn_time for s in students)
    print(f"N={n}: all servers up in {spawn_all:.1f} s (each: p50 {spawn[len(spawn)//2]:.1f} s, "
          f"max {spawn[-1]:.1f} s)", flush=True)
    rows = []
    for spec in args.runs.split(","):
        kernel, _, think = spec.partition(":")
        think = tuple(float(x) for x in think.split("-")) if think and think != "0" else (0, 0)
        duration = args.think_duration if think[1] else args.duration
        r = await timed(hub, students, kernel, think, duration)
        r.update(spawn_all_s=spawn_all, spawn_p50_s=spawn[len(spawn) // 2], spawn_max_s=spawn[-1])
        rows.append(r)
    return rows


def markdown(rows):
    out = ["| N | kernel | think | cells | p50 ms | p95 ms | max ms | cells/s | spawn p50 / max s | "
           "PSS server MiB | PSS kernel MiB | problems | load (1 min) |",
           "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        think = "none" if not r["think"][1] else f"{r['think'][0]:g}–{r['think'][1]:g} s"
        out.append(f"| {r['students']} | {'ipykernel' if r['kernel'] == 'python3' else 'matcalc'} | {think} | "
                   f"{r['cells']} | {r['p50_ms']:.0f} | {r['p95_ms']:.0f} | {r['max_ms']:.0f} | "
                   f"{r['cells_per_s']:.1f} | {r['spawn_p50_s']:.1f} / {r['spawn_max_s']:.1f} | "
                   f"{r['pss_server_mib'] or 0:.0f} | {r['pss_kernel_mib'] or 0:.0f} | {r['problems']} | "
                   f"{r['load'][0]:.1f} |")
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--students", default="20,50,100")
    ap.add_argument("--duration", type=float, default=60, help="seconds of each run without think time")
    ap.add_argument("--think-duration", type=float, default=90, help="seconds of each run with think time")
    ap.add_argument("--runs", default="matcalc:0,python3:0,matcalc:5-20,python3:5-20",
                    help="the runs on each class, KERNEL:THINK (python3 is ipykernel)")
    ap.add_argument("--jupyter-path")
    ap.add_argument("--markdown")
    ap.add_argument("--json")
    args = ap.parse_args()
    # A timed run ends with students' websockets still closing: not news.
    logging.getLogger("asyncio").setLevel(logging.CRITICAL)
    work = tempfile.mkdtemp(prefix="matcalc-bench-")
    rows = []
    try:
        jp = args.jupyter_path or install_kernel(ROOT, os.path.join(work, "prefix"),
                                                 shutil.which("go") or "/usr/local/go/bin/go")
        for n in (int(x) for x in args.students.split(",")):
            hub = Hub(os.path.join(work, f"hub{n}"), jp)
            try:
                hub.start()
                rows += asyncio.run(one_class(hub, n, args))
            except Exception as e:  # a size that does not hold is reported, not hidden
                print(f"N={n}: did not hold: {type(e).__name__}: {e}", flush=True)
                rows.append({"students": n, "failed": str(e)})
            finally:
                hub.stop()
            if args.json:
                with open(args.json, "w") as f:
                    json.dump(rows, f, indent=1)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    table = markdown([r for r in rows if "failed" not in r])
    print(table)
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write(table + "\n")


if __name__ == "__main__":
    main()
