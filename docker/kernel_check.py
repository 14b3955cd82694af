"""Start an installed kernelspec through jupyter_client and run one cell.

Usage: /usr/bin/python3 docker/kernel_check.py [KERNEL_NAME [CELL...]]

Finds the kernelspec the way Jupyter does (JUPYTER_PATH and friends), starts
it with KernelManager, waits for kernel_info, executes each CELL in one kernel
(default: the single cell "%who"; a CELL ending in .ipynb stands for every code
cell of that notebook, where a cell tagged "raises-exception" may reply
"error"), and requires for each an execute_reply with status
"ok" followed by an idle status on IOPub for that request. Prints the kernel
process's resident memory (VmRSS) when idle after start, and VmRSS and its
peak (VmHWM) after the cells, then shuts the kernel down and checks the
process is gone. Exit status 0 on success; otherwise it says what failed.
"""

import os
import sys
import time

from jupyter_client.manager import KernelManager

TIMEOUT = 30


def fail(msg):
    print(f"kernel_check: FAIL: {msg}", file=sys.stderr)
    sys.exit(1)


def rss_kib(pid, field="VmRSS"):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return -1


def cells(args):
    for a in args:
        if a.endswith(".ipynb"):
            import nbformat
            nb = nbformat.read(a, as_version=4)
            for i, c in enumerate(nb.cells):
                if c.cell_type == "code" and c.source.strip():
                    tags = c.metadata.get("tags", [])
                    yield f"{a} cell {i}", c.source, "raises-exception" in tags
        else:
            yield repr(a), a, False


def run_cell(kc, label, code, may_fail):
    msg_id = kc.execute(code)
    reply = kc.get_shell_msg(timeout=TIMEOUT)
    while reply["parent_header"].get("msg_id") != msg_id:
        reply = kc.get_shell_msg(timeout=TIMEOUT)
    status = reply["content"].get("status")
    if status != "ok" and not (may_fail and status == "error"):
        fail(f"execute {label}: reply status {status!r}: {reply['content']}")
    deadline = time.time() + TIMEOUT
    while True:
        left = deadline - time.time()
        if left <= 0:
            fail(f"execute {label}: no idle status on IOPub")
        msg = kc.get_iopub_msg(timeout=left)
        if (msg["parent_header"].get("msg_id") == msg_id
                and msg["msg_type"] == "status"
                and msg["content"]["execution_state"] == "idle"):
            return


def main():
    name = sys.argv[1] if len(sys.argv) > 1 else "matcalc"
    todo = list(cells(sys.argv[2:] or ["%who"]))

    km = KernelManager(kernel_name=name)
    try:
        spec = km.kernel_spec
    except Exception as e:  # NoSuchKernel
        fail(f"kernelspec {name!r} not found: {e}")
    print(f"kernel_check: kernelspec {name!r}: argv {spec.argv}")

    km.start_kernel()
    pid = km.provisioner.process.pid
    kc = km.client()
    kc.start_channels()
    try:
        try:
            kc.wait_for_ready(timeout=TIMEOUT)
        except RuntimeError as e:
            fail(f"kernel did not answer kernel_info: {e}")
        info = kc.kernel_info(reply=True, timeout=TIMEOUT)["content"]
        print(f"kernel_check: kernel_info: implementation={info.get('implementation')} "
              f"implementation_version={info.get('implementation_version')} "
              f"language={info.get('language_info', {}).get('name')}")
        time.sleep(1.0)
        idle = rss_kib(pid)
        print(f"kernel_check: idle VmRSS after start: {idle} KiB ({idle / 1024:.1f} MiB)")

        for label, code, may_fail in todo:
            run_cell(kc, label, code, may_fail)
        what = todo[0][0] if len(todo) == 1 else f"{len(todo)} cells"
        print(f"kernel_check: execute {what}: status ok")
        after, peak = rss_kib(pid), rss_kib(pid, "VmHWM")
        print(f"kernel_check: after {what}: VmRSS {after} KiB ({after / 1024:.1f} MiB), "
              f"peak VmHWM {peak} KiB ({peak / 1024:.1f} MiB)")
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)
    for _ in range(50):
        if not os.path.exists(f"/proc/{pid}") or open(f"/proc/{pid}/stat").read().split()[2] == "Z":
            break
        time.sleep(0.1)
    else:
        fail(f"kernel process {pid} still running after shutdown")
    print("kernel_check: shutdown ok")
    limit = int(os.environ.get("MATCALC_RSS_LIMIT_KIB", 128 * 1024))
    if idle > limit:
        fail(f"idle VmRSS {idle} KiB is over the {limit} KiB budget")


if __name__ == "__main__":
    main()
