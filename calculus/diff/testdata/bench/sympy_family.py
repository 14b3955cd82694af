#!/usr/bin/env python3
"""Time SymPy's matrix-expression derivatives on matcalc's scaling family.

For each k given on the command line, prints one line
    trace K SECONDS_PER_OP SIZE
    chain K SECONDS_PER_OP SIZE
where trace is d/dX tr(X^k) and chain is d/dX tr(A1 X A2 X ... Ak X), SIZE
the length of str() of the result. SECONDS_PER_OP is the median of three
rounds, each the mean time of as many derivations as fit in half a second
(at most 1000); matcalc's side takes the median of three Go benchmarks the
same way. Used by diff's TestSympyRatio.
"""
import sys
import time

import sympy as sp

N = sp.Symbol("n", integer=True, positive=True)
X = sp.MatrixSymbol("X", N, N)


def timed(build, budget=0.5):
    reps, total, out = 0, 0.0, None
    while total < budget and reps < 1000:
        t0 = time.perf_counter()
        out = build()
        total += time.perf_counter() - t0
        reps += 1
    return total / reps, out


def trace_family(k):
    return sp.Trace(X**k).diff(X)


def chain_family(k):
    e = sp.Identity(N)
    for i in range(1, k + 1):
        e = e * sp.MatrixSymbol("A%d" % i, N, N) * X
    return sp.Trace(e).diff(X)


ROUNDS = 3

for arg in sys.argv[1:]:
    k = int(arg)
    for name, fam in (("trace", trace_family), ("chain", chain_family)):
        rounds = [timed(lambda: fam(k)) for _ in range(ROUNDS)]
        secs = sorted(sec for sec, _ in rounds)
        print(name, k, "%.9f" % secs[ROUNDS // 2], len(str(rounds[0][1])), flush=True)
