"""Benchmark of the matcalc kernel against ipykernel, with jupyter_client.

For each kernel, in the same run:
  start   cold start: launching the process to the first kernel_info_reply
  rtt     execute round trip of a trivial cell: request sent -> idle received
  1000x   1000 executes back to back (each waits for its reply and idle)
  rss     resident memory of the idle kernel after those executes
Round trips are measured twice: with jupyter_client's blocking
KernelClient (whose own per-message overhead is about 0.3 ms here), and
with jupyter_client's Session over plain pyzmq sockets ("raw"), which
shows what the kernel itself costs.

Prints medians and the ratios ipykernel / matcalc. Run with
/usr/bin/python3 kernel/jupyter/bench.py [--starts N] [--rtts N]
with JUPYTER_PATH pointing at a matcalc kernelspec (bench.sh does it).
"""

import argparse
import os
import statistics
import time

import zmq
from jupyter_client.manager import KernelManager
from jupyter_client.session import Session

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


class RawClient:
    """jupyter_client's Session signs and sends the requests on bare pyzmq
    DEALER and SUB sockets; replies are recognised from their frames
    (parent msg_id, "idle") without Session's full deserialization, whose
    date parsing costs about 0.15 ms a message."""

    def __init__(self, km):
        info = km.get_connection_info()
        self.session = Session(key=info["key"])
        ctx = zmq.Context.instance()
        ip, tr = info["ip"], info["transport"]

        def url(port):
            return f"{tr}://{ip}:{port}" if tr == "tcp" else f"{tr}://{ip}-{port}"
        self.shell = ctx.socket(zmq.DEALER)
        self.shell.connect(url(info["shell_port"]))
        self.iopub = ctx.socket(zmq.SUB)
        self.iopub.setsockopt(zmq.SUBSCRIBE, b"")
        self.iopub.connect(url(info["iopub_port"]))
        time.sleep(0.3)  # let the SUB join

    def execute(self, code):
        msg = self.session.send(self.shell, "execute_request",
                                {"code": code, "silent": False, "store_history": True,
                                 "user_expressions": {}, "allow_stdin": False})
        msg_id = msg["header"]["msg_id"].encode()
        self.shell.recv_multipart()
        while True:
            frames = self.iopub.recv_multipart()
            i = frames.index(b"<IDS|MSG>")
            header, parent, content = frames[i + 2], frames[i + 3], frames[i + 5]
            if b'"status"' in header and msg_id in parent and b'"idle"' in content:
                return

    def close(self):
        self.shell.close(linger=0)
        self.iopub.close(linger=0)


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
    raw = RawClient(km)
    for _ in range(20):
        raw.execute(code)
    samples = []
    for _ in range(rtts):
        t0 = time.perf_counter()
        raw.execute(code)
        samples.append(time.perf_counter() - t0)
    res["rtt raw"] = statistics.median(samples)
    t0 = time.perf_counter()
    for _ in range(1000):
        raw.execute(code)
    res["1000x raw"] = time.perf_counter() - t0
    raw.close()
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
    print(f"{'rtt raw':10} {m['rtt raw']*1e3:9.3f} ms {p['rtt raw']*1e3:9.3f} ms {p['rtt raw']/m['rtt raw']:7.1f}x")
    print(f"{'1000x raw':10} {m['1000x raw']:10.3f} s {p['1000x raw']:10.3f} s {p['1000x raw']/m['1000x raw']:7.1f}x")
    print(f"{'idle rss':10} {m['rss']:9.1f} MB {p['rss']:9.1f} MB {p['rss']/m['rss']:7.1f}x")
    print(f"(medians of {args.starts} cold starts and {args.rtts} round trips; "
          "cells: matcalc '%sleep 0', ipykernel 'pass')")
    for label, ok in [("start <= 50 ms and >= 10x ipykernel", m["start"] <= 0.050 and p["start"] / m["start"] >= 10),
                      ("rtt <= 1 ms and >= 3x ipykernel (KernelClient)", m["rtt"] <= 0.001 and p["rtt"] / m["rtt"] >= 3),
                      ("rtt <= 1 ms and >= 3x ipykernel (raw)", m["rtt raw"] <= 0.001 and p["rtt raw"] / m["rtt raw"] >= 3),
                      ("idle rss <= 20 MB", m["rss"] <= 20)]:
        print(f"target {label}: {'met' if ok else 'NOT met'}")


if __name__ == "__main__":
    main()
