"""Turn a notebook source (markdown with ```matcalc fences) into an nbformat-4 notebook.

The source format, meant for a teacher to edit:

* Text outside fences becomes markdown cells.  A new markdown cell starts at
  every heading line (``#``, ``##``, ...) and after every code cell, so each
  worked item of the text gets its own claim cell.
* A fence opened with ```matcalc becomes a code cell.  Words after the
  language name become cell tags, for example ```matcalc exercise or
  ```matcalc raises-exception (the nbclient tag for a cell whose error is
  expected, such as "this needs a 3-index object").
* ```` ``` ```` fences of any other language stay inside the markdown.

The kernel is named by the source's front line ``<!-- kernel: NAME -->`` when
present (the tooling's self-test uses python3), else matcalc.
"""

import re
import sys

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

FENCE = re.compile(r"^```(\S*)\s*(.*)$")
KERNEL_LINE = re.compile(r"^<!--\s*kernel:\s*(\S+)\s*-->\s*$")

KERNELS = {
    "matcalc": ({"name": "matcalc", "display_name": "matcalc", "language": "matcalc"},
                {"name": "matcalc", "file_extension": ".mc", "mimetype": "text/x-matcalc"}),
    "python3": ({"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"},
                {"name": "python"}),
}

CODE_LANGS = {"matcalc", "python"}


class SourceError(Exception):
    pass


def parse(text, path="<source>"):
    """Return (kernel name, list of (kind, source, tags)) for a source text."""
    lines = text.split("\n")
    kernel = "matcalc"
    if lines and KERNEL_LINE.match(lines[0]):
        kernel = KERNEL_LINE.match(lines[0]).group(1)
        lines = lines[1:]
    if kernel not in KERNELS:
        raise SourceError(f"{path}:1: unknown kernel {kernel!r}")
    cells, md, i = [], [], 0

    def flush_md():
        body = "\n".join(md).strip("\n")
        if body.strip():
            cells.append(("markdown", body, []))
        md.clear()

    in_other_fence = False
    while i < len(lines):
        line = lines[i]
        m = FENCE.match(line)
        if in_other_fence:
            md.append(line)
            if line.startswith("```"):
                in_other_fence = False
            i += 1
            continue
        if m and m.group(1) in CODE_LANGS:
            flush_md()
            start, tags, code = i + 1, m.group(2).split(), []
            i += 1
            while i < len(lines) and not lines[i].startswith("```"):
                code.append(lines[i])
                i += 1
            if i == len(lines):
                raise SourceError(f"{path}:{start}: code fence opened here is never closed")
            body = "\n".join(code).strip("\n")
            if not body.strip():
                raise SourceError(f"{path}:{start}: empty code cell")
            cells.append(("code", body, tags))
            i += 1
            continue
        if m and m.group(1):
            in_other_fence = True
        elif line.startswith("#"):
            flush_md()
        md.append(line)
        i += 1
    flush_md()
    return kernel, cells


def to_notebook(text, path="<source>"):
    kernel, cells = parse(text, path)
    spec, info = KERNELS[kernel]
    nb = new_notebook()
    nb.metadata["kernelspec"] = dict(spec)
    nb.metadata["language_info"] = dict(info)
    for kind, body, tags in cells:
        if kind == "markdown":
            cell = new_markdown_cell(body)
        else:
            cell = new_code_cell(body)
            if tags:
                cell.metadata["tags"] = tags
        cell.pop("id", None)
        nb.cells.append(cell)
    # Stable ids, so that rebuilding an unchanged source changes nothing.
    stem = re.sub(r"[^A-Za-z0-9-]", "-", path.rsplit("/", 1)[-1].rsplit(".", 1)[0])
    for n, cell in enumerate(nb.cells):
        cell["id"] = f"{stem}-{n:03d}"[-64:]
    nbformat.validate(nb)
    return nb


def read_source(path):
    with open(path, encoding="utf-8") as f:
        return to_notebook(f.read(), path)


if __name__ == "__main__":
    # Print a source as an unexecuted notebook: python3 mdnb.py SRC.md
    nbformat.write(read_source(sys.argv[1]), sys.stdout)
