#!/usr/bin/python3
"""Time det, inv and eig of a 500x500 float matrix with NumPy, in the form
of `go test -bench` lines, for the ratio with BenchmarkDet500, BenchmarkInv500
and BenchmarkEig500 of package calculus (same matrix recipe: uniform
(R - 0.5)/50 + I with R uniform in [0, 1), so that det stays finite).

Run: /usr/bin/python3 calculus/testdata/bench_numpy.py
"""
import timeit

import numpy as np

rng = np.random.default_rng(1)
M = (rng.random((500, 500)) - 0.5) / 50 + np.eye(500)
for name, stmt in [("Det500", lambda: np.linalg.det(M)),
                   ("Inv500", lambda: np.linalg.inv(M)),
                   ("Eig500", lambda: np.linalg.eig(M))]:
    t = timeit.Timer(stmt)
    n, _ = t.autorange()
    best = min(t.repeat(repeat=3, number=n)) / n
    print(f"BenchmarkNumPy{name}\t{n}\t{best * 1e9:.0f} ns/op")
