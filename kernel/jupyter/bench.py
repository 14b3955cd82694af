"""Benchmark of the matcalc kernel against ipykernel, with jupyter_client.

For each kernel, in the same run:
  start   cold start: launching the process to the first kernel_info_reply
  rtt     execute round trip of a trivial cell: request sent -> idle received
  1000x   1000 executes back to back (each waits for its reply and idle)
  rss     resident memory of the idle kernel after those executes

Prints medians and the ratios ipykernel / matcalc. Run with
/usr/bin/python3 kernel/jupyter/bench.py [--starts N] [--rtts N]
with JUPYTER_PATH pointing at a matcalc kernelspec (bench.sh does it).
"""

import argparse
import os
import statistics
import time

from jupyter_client.manager import KernelManager

KERNELS = [("matcalc", os.environ.get("MATCALC_KERNEL", "matcalc"), "%sleep 0"),
           ("ipykernel", "python3", "pass")]


def wait_idle(kc, msg_id, timeout=30):
    while True:
        msg = kc.get_iopub_msg(timeout=timeout)
        if (msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "status"
                and msg["content"]["execution_state"] == "idle"):
            return


def execute(kc, code):
    msg_id = kc.execute(code)
    kc.get_shell_msg(timeout=30)
    wait_idle(kc, msg_id)


def cold_start(name):
    km = KernelManager(kernel_name=name)
    t0 = time.perf_counter()
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    kc.kernel_info()
    kc.get_shell_msg(timeout=60)
    dt = time.perf_counter() - t0
    kc.stop_channels()
    km.shutdown_kernel(now=True)
    return dt


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def measure(name, code, starts, rtts):
    res = {"start": statistics.median(cold_start(name) for _ in range(starts))}
    km = KernelManager(kernel_name=name)
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=60)
    for _ in range(20):  # warm up
        execute(kc, code)
    samples = []
    for _ in range(rtts):
        t0 = time.perf_counter()
        execute(kc, code)
        samples.append(time.perf_counter() - t0)
    res["rtt"] = statistics.median(samples)
    t0 = time.perf_counter()
    for _ in range(1000):
        execute(kc, code)
    res["1000x"] = time.perf_counter() - t0
    time.sleep(0.5)
    res["rss"] = rss_kib(km.provisioner.process.pid) / 1024
    kc.stop_channels()
    km.shutdown_kernel(now=True)
    return res


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--starts", type=int, default=10)
    ap.add_argument("--rtts", type=int, default=200)
    args = ap.parse_args()
    results = {}
    for label, name, code in KERNELS:
        results[label] = measure(name, code, args.starts, args.rtts)
    m, p = results["matcalc"], results["ipykernel"]
    print(f"{'':10} {'matcalc':>12} {'ipykernel':>12} {'ratio':>8}")
    print(f"{'start':10} {m['start']*1e3:9.1f} ms {p['start']*1e3:9.1f} ms {p['start']/m['start']:7.1f}x")
    print(f"{'rtt':10} {m['rtt']*1e3:9.3f} ms {p['rtt']*1e3:9.3f} ms {p['rtt']/m['rtt']:7.1f}x")
    print(f"{'1000x':10} {m['1000x']:10.3f} s {p['1000x']:10.3f} s {p['1000x']/m['1000x']:7.1f}x")
    print(f"{'idle rss':10} {m['rss']:9.1f} MB {p['rss']:9.1f} MB {p['rss']/m['rss']:7.1f}x")
    print(f"(medians of {args.starts} cold starts and {args.rtts} round trips; "
          "cells: matcalc '%sleep 0', ipykernel 'pass')")
    ok = m["start"] <= 0.050 and m["rtt"] <= 0.001 and m["rss"] <= 20
    print("targets (start <= 50 ms, rtt <= 1 ms, rss <= 20 MB):", "met" if ok else "NOT met")


if __name__ == "__main__":
    main()
