"""List, per item of the notebooks, the commands and syntax its cells use.

  usage.py [SRC.md ...]      (default notebooks/src/*.md)

For the language engineers: what the notebooks need from the kernel.
"""

import glob
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mdnb  # noqa: E402

COMMANDS = ["d", "grad", "jacobian", "hessian", "d2", "check", "components", "ode", "expm",
            "putzer", "stability", "plot", "phase", "eig", "inv", "det", "tr", "norm", "dot",
            "sum", "diag", "vec", "eye", "zeros", "exp", "log", "sin", "cos"]
SYNTAX = [
    ("<a, b>", r"<[^<>=]+,[^<>]+>"),
    ("differential names dx/dX/dx1/dX2", r"\bd[A-Za-z][0-9]?\b(?!\()"),
    ("transpose '", r"[\w)\]]'"),
    (".* elementwise", r"\.\*"),
    ("matrix literal", r"\[[^\]]*;[^\]]*\]"),
    ("t = 0..T range", r"=\s*\d+\.\.\d+"),
    ("layout", r"^\s*layout\b"),
    ("%reset", r"%reset"),
    ("%who", r"%who"),
    ("properties", r"\b(symmetric|spd|invertible)\b"),
]


def main(paths):
    paths = paths or sorted(glob.glob(os.path.join(os.path.dirname(os.path.dirname(
        os.path.abspath(__file__))), "src", "*.md")))
    for path in paths:
        _, cells = mdnb.parse(open(path, encoding="utf-8").read(), path)
        item, rows = "preamble", {}
        for kind, body, tags in cells:
            if kind == "markdown":
                m = re.search(r"^#+\s*Item (\d+)", body, re.M)
                item = f"item {m.group(1)}" if m else item
                continue
            code = re.sub(r"#.*", "", body)
            used = rows.setdefault(item, set())
            used |= {c + "()" for c in COMMANDS if re.search(rf"\b{c}\(", code)}
            used |= {name for name, rx in SYNTAX if re.search(rx, code, re.M)}
            used |= {f"[{t}]" for t in tags}
        print(f"## {os.path.basename(path)}")
        for item, used in rows.items():
            print(f"  {item:9} {', '.join(sorted(used))}")


if __name__ == "__main__":
    main(sys.argv[1:])
