"""What the checker treats as the same output, and what it does not.  Run: python3 test_normalise.py"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from nbtools import normalise_text as n  # noqa: E402

SAME = [
    ("✓ checked against central finite differences: max relative error 7e-13 over 6 comparisons",
     "✓ checked against central finite differences: max relative error 1.9e-11 over 6 comparisons"),
    ("✓ correct: a equals a (symbolically, and numerically, max relative error 2.7e-11 over 6)",
     "✓ correct: a equals a (symbolically, and numerically, max relative error 3e-12 over 6)"),
    ("✓ correct: xs equals [2/3; 1/3] on random values (relative difference 4.0e-16)",
     "✓ correct: xs equals [2/3; 1/3] on random values (relative difference 0.0e+00)"),
    (r"\text{RK4 on [0, 1] agrees to } 1.8 \times 10^{-12}",
     r"\text{RK4 on [0, 1] agrees to } 2.1 \times 10^{-13}"),
    ("Wall time: 1.234ms", "Wall time: 850µs"),
]
DIFFERENT = [
    ("✓ correct: xs equals [2/3; 1/3] on random values (relative difference 4.0e-16)",
     "✓ correct: xs equals [1/3; 2/3] on random values (relative difference 4.0e-16)"),
    ("over 6 comparisons", "over 5 comparisons"),
    ("-17/144", "-88"),
    ("    A = [0.983305, 1.37624]", "    A = [0.983305, 1.37625]"),
    ("✗ wrong: finite differences disagree: max relative error 1 over 6 comparisons",
     "✓ correct: finite differences agree: max relative error 1 over 6 comparisons"),
]

failed = 0
for a, b in SAME:
    if n(a) != n(b):
        print(f"FAIL should be the same:\n  {a}\n  {b}\n  -> {n(a)!r} vs {n(b)!r}")
        failed += 1
for a, b in DIFFERENT:
    if n(a) == n(b):
        print(f"FAIL should differ:\n  {a}\n  {b}")
        failed += 1
print(f"normalise: {len(SAME) + len(DIFFERENT) - failed} of {len(SAME) + len(DIFFERENT)} ok")
sys.exit(1 if failed else 0)
