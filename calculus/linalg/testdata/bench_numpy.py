#!/usr/bin/env python3
"""Time matcalc's linalg (gonum) against NumPy on the same sizes, in one run.

Run from the repository root:

    python3 calculus/linalg/testdata/bench_numpy.py

It runs `go test -bench 'Inv|Det|Eig|Expm' -count 3` on calculus/linalg
(the best of the three runs), times
numpy.linalg.inv/det/eig (and scipy.linalg.expm when SciPy is installed) on
random matrices of the same sizes, and prints a table with the ratio
Go time / NumPy time (above 1: Go is slower), and the load average, since
both sides share the machine with whatever else runs. The OpenBLAS tuning variables
OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE are removed from NumPy's environment
so that it runs as it would on a user's machine. NumPy is Debian's: the
script runs it with /usr/bin/python3 (override with NUMPY_PYTHON).
"""
import os
import re
import subprocess
import sys
import timeit

GO_BENCH = r"^Benchmark(Inv|Det|Eig|Expm)$"


def go_times():
    out = subprocess.run(
        ["go", "test", "-run", "XXX", "-bench", GO_BENCH, "-benchtime", "0.3s",
         "-count", "3", "./calculus/linalg/"],
        check=True, capture_output=True, text=True).stdout
    times = {}
    for line in out.splitlines():
        m = re.match(r"Benchmark(\w+)/(\d+)(?:-\d+)?\s+\d+\s+([\d.]+) ns/op", line)
        if m:
            key = (m.group(1), int(m.group(2)))
            t = float(m.group(3)) * 1e-9
            times[key] = min(t, times.get(key, t))  # the best of 3, like NumPy's side
    return times


NUMPY_CODE = r"""
import json, sys, timeit
import numpy as np
try:
    import scipy.linalg as sl
except ImportError:
    sl = None
rng = np.random.default_rng(1)
out = {}
for op, sizes in (("Inv", (100, 500)), ("Det", (100, 500)), ("Eig", (100, 500)),
                  ("Expm", (10, 100, 500))):
    for n in sizes:
        a = rng.uniform(-1, 1, (n, n))
        if op == "Inv":
            f = lambda: np.linalg.inv(a)
        elif op == "Det":
            f = lambda: np.linalg.det(a)
        elif op == "Eig":
            f = lambda: np.linalg.eig(a)
        else:
            if sl is None:
                continue
            b = a / n
            f = lambda: sl.expm(b)
        f()
        number = 3 if n >= 500 else 20
        out[op + "/" + str(n)] = min(timeit.repeat(f, number=number, repeat=3)) / number
json.dump(out, sys.stdout)
"""


def numpy_times():
    env = dict(os.environ)
    env.pop("OPENBLAS_CORETYPE", None)
    env.pop("OPENBLAS_L2_SIZE", None)
    import json
    py = os.environ.get("NUMPY_PYTHON") or (
        "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable)
    out = subprocess.run([py, "-c", NUMPY_CODE], env=env,
                         check=True, capture_output=True, text=True).stdout
    return {(k.split("/")[0], int(k.split("/")[1])): v for k, v in json.loads(out).items()}


def main():
    g = go_times()
    p = numpy_times()
    print("load average (1, 5, 15 min) after the runs: %.2f %.2f %.2f" % os.getloadavg())
    print("Expm is scipy.linalg.expm; the others numpy.linalg")
    print(f"{'op':6} {'n':>5} {'gonum (ms)':>12} {'numpy (ms)':>12} {'ratio':>8}")
    for key in sorted(g):
        op, n = key
        np_t = p.get(key)
        if np_t is None:
            print(f"{op:6} {n:5d} {g[key]*1e3:12.3f} {'n/a':>12} {'n/a':>8}")
            continue
        print(f"{op:6} {n:5d} {g[key]*1e3:12.3f} {np_t*1e3:12.3f} {g[key]/np_t:8.1f}")


if __name__ == "__main__":
    main()
