"""Build, check and export matcalc's notebooks.  Run with /usr/bin/python3.

  nbtools.py build  [--only NAME ...]   sources -> executed .ipynb (failing ones are not written)
  nbtools.py check  [--only NAME ...]   committed .ipynb == sources, and == a fresh execution
  nbtools.py export [--only NAME ...]   .ipynb -> HTML (lab template) with MathJax beside it,
                                        and the live pages (html/live/, see livepages.py)

Directories default to notebooks/src, notebooks/ and notebooks/html; --src, --nbdir and
--html change them (the self-test builds a throwaway set in /tmp).  Every failure names the
notebook and the cell (1-based, as Jupyter counts them) and says what differed; the exit
status is 1 when anything failed.
"""

import argparse
import copy
import difflib
import glob
import os
import re
import shutil
import subprocess
import sys

import nbformat
from nbclient import NotebookClient

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import livepages  # noqa: E402
import mdnb  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
NOTEBOOKS = os.path.dirname(HERE)
MATHJAX_SRC = "/usr/share/javascript/mathjax"
MATHJAX_URL = "mathjax/MathJax.js?config=TeX-AMS_CHTML-full,Safe"
CELL_TIMEOUT = int(os.environ.get("NB_CELL_TIMEOUT", "120"))

# --- what may legitimately differ between two executions --------------------------------
# A measured quantity: the number right after "relative error", "relative difference",
# "agrees to" (numeric integration), "Wall time" and the like, and any duration such as
# 850µs or 1.2 ms, becomes <N>.  Everything else must be the same: the kernel draws its
# random instances from a fixed seed, so counterexamples are reproducible.
NUMBER = r"[-+−]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?(?:\s*(?:\\times|×)\s*10\^\{?[-−]?\d+\}?)?"
MEASURED = re.compile(
    r"(relative error|relative difference|rel\.? ?err(?:or)?|abs(?:olute)? error|agrees to|"
    r"wall time|cpu time|took|elapsed)(\s*\}?\s*(?:of|is|[:=≈~<])?\s*)" + NUMBER +
    r"(?:\s*(?:ns|µs|us|ms|s)\b)?", re.IGNORECASE)
DURATION = re.compile(NUMBER + r"\s*(?:ns|µs|us|ms|s|m|h)\b")
# Cells tagged "nondeterministic" are compared by the kinds of their outputs only.
LOOSE_TAG = "nondeterministic"
ERROR_TAG = "raises-exception"


def normalise_text(text):
    out = []
    for line in text.split("\n"):
        line = MEASURED.sub(lambda m: m.group(1) + m.group(2) + "<N>", line)
        if re.search(r"time|took|elapsed", line, re.IGNORECASE):
            line = DURATION.sub("<N>", line)
        out.append(line.rstrip())
    return "\n".join(out).strip("\n")


def output_key(out, loose):
    """What of one output must be the same from run to run."""
    kind = out.get("output_type")
    if kind == "stream":
        return [kind, out.get("name"), "" if loose else normalise_text(out.get("text", ""))]
    if kind == "error":
        return [kind, out.get("ename"), "" if loose else normalise_text(out.get("evalue", ""))]
    data = out.get("data", {})
    if loose:
        return [kind, sorted(data)]
    shown = {}
    for mime, value in sorted(data.items()):
        if isinstance(value, list):
            value = "".join(value)
        shown[mime] = normalise_text(value) if isinstance(value, str) else value
    return [kind, shown]


def cell_outputs(cell):
    loose = LOOSE_TAG in cell.get("metadata", {}).get("tags", [])
    return [output_key(o, loose) for o in cell.get("outputs", [])]


def render(keys):
    lines = []
    for k in keys:
        if k[0] in ("stream", "error"):
            lines.append(f"[{k[0]} {k[1]}]")
            lines += str(k[2]).split("\n")
        elif isinstance(k[1], dict):
            for mime, v in k[1].items():
                lines.append(f"[{k[0]} {mime}]")
                lines += str(v).split("\n")
        else:
            lines.append(f"[{k[0]} {' '.join(k[1])}]")
    return lines


def expected_verdicts(cell):
    """One verdict per line that calls check(...): ✗ when the line ends with a "# ✗" comment
    (the text's wrong claim, a common mistake) or the cell is an exercise (its blank answer),
    ✓ otherwise."""
    exercise = "exercise" in cell.metadata.get("tags", [])
    marks = []
    for line in cell.source.split("\n"):
        if re.match(r"\s*check\(", line):
            marks.append("✗" if exercise or re.search(r"#\s*✗", line) else "✓")
    return "".join(marks)


def actual_verdicts(cell):
    marks = []
    for out in cell.get("outputs", []):
        text = out.get("data", {}).get("text/plain", "") if "data" in out else ""
        text = "".join(text) if isinstance(text, list) else text
        for line in text.split("\n"):
            if line.startswith("✓ correct"):
                marks.append("✓")
            elif line.startswith("✗"):
                marks.append("✗")
    return "".join(marks)


def has_code(nb):
    return any(c.cell_type == "code" for c in nb.cells)


def first_line(cell):
    src = cell.source.strip().split("\n")[0]
    return src if len(src) < 70 else src[:67] + "..."


def execute(nb, name, cwd):
    """Execute nb in place, in folder cwd; return a list of problems."""
    if not has_code(nb):
        return []
    client = NotebookClient(
        nb, timeout=CELL_TIMEOUT, kernel_name=nb.metadata.kernelspec.name,
        allow_errors=True, record_timing=False,
        resources={"metadata": {"path": cwd}})
    try:
        client.execute()
    except Exception as e:  # the kernel would not start, died, or timed out
        return [f"{name}: execution failed: {type(e).__name__}: {e}"]
    problems = []
    for n, cell in enumerate(nb.cells, 1):
        if cell.cell_type != "code":
            continue
        errors = [o for o in cell.outputs if o.output_type == "error"]
        expected = ERROR_TAG in cell.metadata.get("tags", [])
        if errors and not expected:
            e = errors[0]
            problems.append(f"{name} cell {n} ({first_line(cell)}): error output "
                            f"{e.ename}: {e.evalue}")
        elif not errors and expected_verdicts(cell) != actual_verdicts(cell):
            problems.append(f"{name} cell {n} ({first_line(cell)}): check verdicts "
                            f"{actual_verdicts(cell) or 'none'}, the source expects "
                            f"{expected_verdicts(cell)} (mark a check that must fail # ✗)")
    return problems


def sources(args):
    paths = sorted(glob.glob(os.path.join(args.src, "*.md")))
    if args.only:
        paths = [p for p in paths if os.path.basename(p)[:-3] in args.only]
    if getattr(args, "existing", False):
        paths = [p for p in paths if os.path.exists(nb_path(args, p))]
    return paths


def notebooks(args):
    """The notebooks in args.nbdir to check and export: those with a source, and any other the
    repository tracks (which then fails the check for having none). A scratch notebook a
    teacher saved there (Untitled.ipynb, git-ignored) is left alone, with a note."""
    paths = sorted(glob.glob(os.path.join(args.nbdir, "*.ipynb")))
    srcs = {os.path.basename(p)[:-3] for p in glob.glob(os.path.join(args.src, "*.md"))}
    r = subprocess.run(["git", "-C", args.nbdir, "ls-files", "--", "*.ipynb"],
                       capture_output=True, text=True)
    tracked = {os.path.basename(p) for p in r.stdout.split("\n") if p} if r.returncode == 0 else set()
    keep = []
    for p in paths:
        base = os.path.basename(p)
        if base[:-6] in srcs or base in tracked:
            keep.append(p)
        else:
            print(f"NOTE {base}: no source in {args.src} and not committed: a scratch notebook, "
                  "left alone")
    return keep


def nb_path(args, src):
    return os.path.join(args.nbdir, os.path.basename(src)[:-3] + ".ipynb")


def cmd_build(args):
    failed = 0
    os.makedirs(args.nbdir, exist_ok=True)
    for src in sources(args):
        name = os.path.basename(src)[:-3]
        try:
            nb = mdnb.read_source(src)
        except mdnb.SourceError as e:
            print(f"FAIL {e}")
            failed += 1
            continue
        problems = [] if args.no_execute else execute(nb, name, args.nbdir)
        if problems:
            failed += 1
            print(f"FAIL {name}: not written ({len(problems)} problem(s))")
            for p in problems:
                print("   ", p)
            if args.failed:  # keep it for inspection, outside the committed folder
                os.makedirs(args.failed, exist_ok=True)
                nbformat.write(nb, os.path.join(args.failed, name + ".ipynb"))
            continue
        for cell in nb.cells:  # execution metadata is noise in a diff
            cell.metadata.pop("execution", None)
        nbformat.validate(nb)
        nbformat.write(nb, nb_path(args, src))
        print(f"ok   {name}: {len(nb.cells)} cells -> {nb_path(args, src)}")
    return 1 if failed else 0


def cmd_check(args):
    failed, checked = [], 0
    nbs = notebooks(args)
    srcs = {os.path.basename(p)[:-3]: p for p in sources(args)}
    if args.only:
        nbs = [p for p in nbs if os.path.basename(p)[:-6] in args.only]
    names = {os.path.basename(p)[:-6] for p in nbs}
    for name in sorted(set(srcs) - names):
        print(f"NOTE {name}: source {srcs[name]} has no executed notebook yet")
    for path in nbs:
        name = os.path.basename(path)[:-6]
        checked += 1
        problems = check_one(path, srcs.get(name), name, args.nbdir)
        print(f"{'FAIL' if problems else 'ok  '} {name}")
        for p in problems:
            print("   ", p.replace("\n", "\n    "))
        failed += [name] if problems else []
    if checked == 0:
        print("NOTE: no executed notebooks to check")
    if failed:
        print(f"check: {len(failed)} of {checked} notebook(s) failed: {' '.join(failed)}")
        return 1
    print(f"check: {checked} notebook(s) ok")
    return 0


def check_one(path, src, name, cwd):
    committed = nbformat.read(path, as_version=4)
    try:
        nbformat.validate(committed)
    except nbformat.ValidationError as e:
        return [f"{name}: not valid nbformat 4: {e.message}"]
    spec = committed.metadata.get("kernelspec", {})
    if src is None:
        return [f"{name}: no source {name}.md in the source folder"]
    fresh = mdnb.read_source(src)
    want = fresh.metadata.kernelspec
    if spec.get("name") != want.name or spec.get("display_name") != want.display_name:
        return [f"{name}: kernelspec {spec} is not {dict(want)}"]
    # 1. the committed notebook is the source, built.
    if len(committed.cells) != len(fresh.cells):
        return [f"{name}: {len(committed.cells)} cells committed, the source has "
                f"{len(fresh.cells)}: rebuild it (notebooks/build.sh)"]
    for n, (a, b) in enumerate(zip(committed.cells, fresh.cells), 1):
        if (a.cell_type, a.source, a.metadata.get("tags", [])) != \
                (b.cell_type, b.source, b.metadata.get("tags", [])):
            return [f"{name} cell {n}: differs from its source {src}: rebuild it "
                    f"(notebooks/build.sh)\n" + "\n".join(difflib.unified_diff(
                        a.source.split("\n"), b.source.split("\n"), "committed", "source",
                        lineterm="", n=1))]
    # 2. a fresh execution gives no errors and the committed outputs.
    problems = execute(fresh, name, cwd)
    if any("execution failed" in p for p in problems):
        return problems
    for n, (a, b) in enumerate(zip(committed.cells, fresh.cells), 1):
        if a.cell_type != "code":
            continue
        old, new = render(cell_outputs(a)), render(cell_outputs(b))
        if old != new:
            diff = "\n".join(list(difflib.unified_diff(
                old, new, "committed", "fresh", lineterm="", n=1))[:40])
            problems.append(f"{name} cell {n} ({first_line(a)}): committed output differs "
                            f"from a fresh run:\n{diff}")
    return problems


def copy_mathjax(html_dir):
    dest = os.path.join(html_dir, "mathjax")
    if os.path.exists(os.path.join(dest, "MathJax.js")):
        return
    if not os.path.exists(os.path.join(MATHJAX_SRC, "MathJax.js")):
        raise SystemExit(f"export: no MathJax at {MATHJAX_SRC}: apt-get install libjs-mathjax")
    shutil.copytree(MATHJAX_SRC, dest, symlinks=False,
                    ignore=shutil.ignore_patterns("unpacked", "test", "docs"))


def cmd_export(args):
    nbs = notebooks(args)
    if args.only:
        nbs = [p for p in nbs if os.path.basename(p)[:-6] in args.only]
    if not nbs:
        print("NOTE: no notebooks to export")
        return 0
    os.makedirs(args.html, exist_ok=True)
    copy_mathjax(args.html)
    # Plots are written beside the page and linked (NAME_files/*.svg): nbconvert 6.5.3's lab
    # template passes inline SVG through an HTML cleaner that strips every SVG element
    # (jupyter/nbconvert#1849, #1894), while an extracted file is linked untouched.
    # tools/templates/matcalc is the lab template with that one block changed.
    templates = os.path.join(HERE, "templates")
    cmd = [sys.executable, "-m", "nbconvert", "--to", "html",
           f"--TemplateExporter.extra_template_basedirs={templates}", "--template", "matcalc",
           f"--HTMLExporter.mathjax_url={MATHJAX_URL}",
           "--ExtractOutputPreprocessor.enabled=True", "--output-dir", args.html] + nbs
    print("export: jupyter nbconvert --to html --template matcalc (lab, plots linked) "
          f"--HTMLExporter.mathjax_url='{MATHJAX_URL}' "
          f"--ExtractOutputPreprocessor.enabled=True --output-dir {args.html} ...")
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        print(r.stdout + r.stderr)
        print("export: nbconvert failed")
        return 1
    for path in nbs:
        html = os.path.join(args.html, os.path.basename(path)[:-6] + ".html")
        with open(html, encoding="utf-8") as f:
            text = f.read()
        # Links between notebooks point at the exported pages.
        text = re.sub(r'href="([\w.-]+)\.ipynb(#[^"]*)?"', r'href="\1.html\2"', text)
        if not args.no_live:
            text = livepages.link_static_page(text, os.path.basename(path)[:-6], nbs)
        with open(html, "w", encoding="utf-8") as f:
            f.write(text)
        print(f"ok   {html}")
    status = check_links(args, nbs)
    if not args.no_live:
        status |= livepages.export(nbs, os.path.join(args.html, "live"), MATHJAX_URL)
    return status


def check_links(args, nbs):
    """Links between notebooks must name a notebook that has a source.  A link to a
    notebook that is not executed yet is only noted (its page is not in the set)."""
    bad = 0
    for path in nbs:
        nb = nbformat.read(path, as_version=4)
        for n, cell in enumerate(nb.cells, 1):
            if cell.cell_type != "markdown":
                continue
            for target in re.findall(r"\]\(([\w.-]+)\.ipynb(?:#[^)]*)?\)", cell.source):
                name = os.path.basename(path)[:-6]
                if not os.path.exists(os.path.join(args.src, target + ".md")):
                    print(f"FAIL {name} cell {n}: link to {target}.ipynb, which has no source")
                    bad += 1
                elif not os.path.exists(os.path.join(args.nbdir, target + ".ipynb")):
                    print(f"NOTE {name} cell {n}: link to {target}.ipynb, not executed yet")
    return 1 if bad else 0


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("command", choices=["build", "check", "export"])
    p.add_argument("--only", nargs="*", help="notebook names (no extension)")
    p.add_argument("--src", default=os.path.join(NOTEBOOKS, "src"))
    p.add_argument("--nbdir", default=NOTEBOOKS)
    p.add_argument("--html", default=os.path.join(NOTEBOOKS, "html"))
    p.add_argument("--existing", action="store_true",
                   help="build: only the notebooks that already exist as .ipynb (after a kernel change)")
    p.add_argument("--failed", metavar="DIR",
                   help="build: write notebooks with failing cells to DIR, for inspection")
    p.add_argument("--no-live", action="store_true",
                   help="export: static pages only, no live pages (no WebAssembly build)")
    p.add_argument("--no-execute", action="store_true",
                   help="build: convert only (for a preview; do not commit the result)")
    args = p.parse_args(argv)
    return {"build": cmd_build, "check": cmd_check, "export": cmd_export}[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
