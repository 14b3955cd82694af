"""Every external command the repository runs comes from a package .ci/deps installs.

    /usr/bin/python3 .ci/cmdcheck.py [--packages FILE] [--verbose]
    /usr/bin/python3 .ci/cmdcheck.py --self-test

Finds the commands that the tracked shell scripts (and the bash/sh -c strings
and here-documents in them), the Python tools (subprocess argument lists,
`python3 -m MODULE`, imports), the Go tests (exec.Command, exec.LookPath) and
the Node scripts (child_process, /usr/bin paths) run; `jupyter SUB` counts as the command jupyter-SUB too. Each is resolved on
the PATH (or taken as the absolute path it is), its owner found with
`dpkg-query -S`, and the check fails, naming command, place and package,
unless that package is in .ci/deps's list (or FILE's), or in the
Depends/Pre-Depends closure of the list (not Recommends), or part of every
Debian system (Essential: yes, or Priority: required). Python modules are
checked the same way, by the file they load from with /usr/bin/python3.

Not from Debian and accepted, said in the output: Go's toolchain under
/usr/local/go; tools an npm package-lock.json in the repository pins (npx X,
node_modules/.bin/X). A command found nowhere fails, unless the scripts only
use it behind `command -v X`, shutil.which("X") or exec.LookPath("X")
(optional: reported, not failed).

--self-test: runs the check with jupyter-client taken out of the list and
fails unless that run fails naming jupyter-kernelspec and jupyter-client.
"""
import argparse
import ast
import json
import os
import re
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PY = "/usr/bin/python3"

BUILTINS = set("""
. : [ [[ ]] alias bg bind break builtin caller case cd command compgen complete continue
declare dirs disown do done echo elif else enable esac eval exec exit export false fc fg fi
for function getopts hash help history if in jobs kill let local logout mapfile popd printf
pushd pwd read readarray readonly return select set shift shopt source suspend test then
time times trap true type typeset ulimit umask unalias unset until wait while { } ! coproc
""".split())
# Commands that run their argument as a command: skip their options (and, for
# env, VAR=value words) and take the next word as a command too.
WRAPPERS = {"env", "sudo", "exec", "nice", "nohup", "timeout", "setpriv", "unshare",
            "xargs", "stdbuf", "chroot", "command", "time"}
# Options of those wrappers that take the next word as their argument.
WRAPPER_ARGS = {
    "unshare": {"--propagation", "-S", "--setuid", "-G", "--setgid", "-R", "--root", "-w", "--wd"},
    "timeout": {"-s", "--signal", "-k", "--kill-after"},
    "sudo": {"-u", "--user", "-g", "--group", "-C", "-D", "--chdir"},
    "xargs": {"-n", "-I", "-P", "-d", "-L", "-s", "-E", "-a"},
    "env": {"-u", "--unset", "-C", "--chdir", "-S"},
    "nice": {"-n"},
    "stdbuf": {"-i", "-o", "-e"},
}
SEPARATORS = {"$(", ";", "&&", "||", "|", "&", "(", ")", "{", "}", "\n", "!", "then", "do", "else",
              "elif", "if", "while", "until", ";;", "|&"}


class Use:
    """One place a command (or Python module) is used."""

    def __init__(self, name, where, optional=False):
        self.name, self.where, self.optional = name, where, optional


# ---------------------------------------------------------------- shell

def shell_words(text, line=1):
    """Yields (word, quoted, line) tokens of shell text, and separator tokens.

    Single-quoted strings come back as one word with quoted="'", so that the
    caller can parse `bash -c '...'`; $(...) and backticks are parsed as
    nested text (their words are yielded in place, bracketed by separators).
    """
    i, n = 0, len(text)
    word, quoted, start_line = "", "", line

    def flush():
        nonlocal word, quoted
        if word or quoted:
            yield (word, quoted, start_line)
        word, quoted = "", ""

    while i < n:
        c = text[i]
        if c == "\\" and i + 1 < n:
            if text[i + 1] == "\n":
                line += 1
            else:
                word += text[i + 1]
                quoted = quoted or "\\"
            i += 2
            continue
        if c == "#" and not word and not quoted:
            j = text.find("\n", i)
            i = n if j < 0 else j
            continue
        if c in " \t":
            yield from flush()
            i += 1
            continue
        if c == "\n":
            yield from flush()
            yield ("\n", "", line)
            line += 1
            i += 1
            continue
        if not word and not quoted:
            start_line = line
        if c == "'":
            j = text.find("'", i + 1)
            j = n if j < 0 else j
            body = text[i + 1:j]
            word += body
            quoted = quoted or "'"
            line += body.count("\n")
            i = j + 1
            continue
        if c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                if text[j] == "\\":
                    j += 1
                elif text.startswith("$(", j):
                    k = matching_paren(text, j + 1)
                    yield ("$(", "", line)
                    yield from shell_words(text[j + 2:k], line + text[i:j].count("\n"))
                    yield (")", "", line)
                    j = k
                j += 1
            body = text[i + 1:j]
            word += body
            quoted = quoted or '"'
            line += body.count("\n")
            i = j + 1
            continue
        if text.startswith("$(", i) and not text.startswith("$((", i):
            k = matching_paren(text, i + 1)
            yield from flush()
            yield ("$(", "", line)
            yield from shell_words(text[i + 2:k], line)
            yield (")", "", line)
            line += text[i:k].count("\n")
            word = "$SUBST"  # a word made of a substitution is not a command name
            i = k + 1
            continue
        if c == "`":
            j = text.find("`", i + 1)
            j = n if j < 0 else j
            yield from flush()
            yield ("$(", "", line)
            yield from shell_words(text[i + 1:j], line)
            yield (")", "", line)
            i = j + 1
            continue
        if c == "$" and i + 1 < n and text[i + 1] == "{":
            j = text.find("}", i)
            j = n if j < 0 else j
            word += text[i:j + 1]
            i = j + 1
            continue
        for op in ("&&", "||", ";;", "|&", ">>", "<<", "&>", ">&", ";", "|", "&", "(", ")",
                   ">", "<"):
            if text.startswith(op, i):
                if op in (">", "<", ">>", "<<", "&>", ">&") and word.isdigit():
                    word = ""
                yield from flush()
                yield (op, "", line)
                i += len(op)
                break
        else:
            word += c
            i += 1
    yield from flush()


def matching_paren(text, open_at):
    depth, i = 0, open_at
    while i < len(text):
        if text[i] == "(":
            depth += 1
        elif text[i] == ")":
            depth -= 1
            if depth == 0:
                return i
        elif text[i] == "'":
            i = text.find("'", i + 1)
            if i < 0:
                return len(text)
        i += 1
    return len(text)


HEREDOC = re.compile(r"<<-?\s*(['\"]?)(\w+)\1")


def split_heredocs(text):
    """Returns the script with here-document bodies blanked, and the bodies.

    Each body is (interpreter, text, first line): "python" when the command
    taking it is a Python, "sh" when it starts with a shell #! line or goes to
    bash/sh, else None (data)."""
    lines = text.split("\n")
    out, bodies, i = [], [], 0
    while i < len(lines):
        ln = lines[i]
        out.append(ln)
        m = HEREDOC.search(ln) if "<<" in ln and "<<<" not in ln else None
        i += 1
        if not m:
            continue
        tag, body, first = m.group(2), [], i + 1
        while i < len(lines) and lines[i].strip() != tag:
            body.append(lines[i])
            out.append("")
            i += 1
        if i < len(lines):
            out.append("")
            i += 1
        head = ln[:m.start()]
        if re.search(r"(python3?|\$py|\$PY)\b", head):
            kind = "python"
        elif body and re.match(r"#!.*\b(ba)?sh\b", body[0]) or re.search(r"\b(ba)?sh\s*(-\w+\s*)*$", head):
            kind = "sh"
        elif body and body[0].startswith("#!") and "python" in body[0]:
            kind = "python"
        elif re.search(r"\bcat\b", head) and any(w in "\n".join(body) for w in ("if [", "then", "echo ")):
            kind = "sh"  # a shell script written out by the script (a hook)
        else:
            kind = None
        bodies.append((kind, "\n".join(body), first))
    return "\n".join(out), bodies


def shell_uses(text, path, first_line=1, env=None):
    """Commands run by shell text, with `command -v` guards marked optional."""
    text, bodies = split_heredocs(text)
    env = dict(env or {})
    for m in re.finditer(r"^\s*(?:local\s+|export\s+|readonly\s+)?(\w+)=(\S*)", text, re.M):
        v = m.group(2).strip("'\"")
        d = re.fullmatch(r"\$\{\w+:-([^}$]*)\}", v)
        if d:
            v = d.group(1)
        if v and "$" not in v and "`" not in v and "(" not in v:
            env.setdefault(m.group(1), v)
    functions = set(re.findall(r"^\s*(?:function\s+)?([\w-]+)\s*\(\)", text, re.M))
    guarded = set(re.findall(r"command -v ([\w.+-]+)", text))
    uses = []
    toks = list(shell_words(text))
    at_start, skip_wrapper_opts = True, None
    array, case = False, None  # inside NAME=( ... ); case state: "subject", "pattern", "body"
    for k, (w, quoted, ln) in enumerate(toks):
        where = f"{path}:{first_line + ln - 1}"
        if array:
            array = not (w == ")" and not quoted)
            continue
        if not quoted and re.fullmatch(r"\w+(\[[^]]*\])?\+?=", w) and k + 1 < len(toks) \
                and toks[k + 1][0] == "(" and not toks[k + 1][1]:
            array = True
            continue
        if not quoted and w == "esac":
            case = None
            continue
        if case == "subject":
            case = "pattern" if w == "in" and not quoted else case
            continue
        if case == "pattern":
            if w == ")" and not quoted:
                case, at_start = "body", True
            continue
        if case == "body" and not quoted and w == ";;":
            case = "pattern"
            continue
        if at_start and not quoted and w == "case":
            case = "subject"
            continue
        if not quoted and w in SEPARATORS and (w != "!" or at_start):
            at_start, skip_wrapper_opts = True, None
            continue
        if not quoted and w in (">", "<", ">>", "<<", "&>", ">&"):
            continue  # the next word is a file; handled below by prev check
        prev = toks[k - 1][0] if k else ""
        if prev in (">", "<", ">>", "<<", "&>", ">&") and not toks[k - 1][1]:
            continue
        if not at_start:
            # `bash -c 'cmd'` / `sh -c "cmd"`: the string is a script.
            if prev == "-c" and runs_shell(toks, k - 2, env):
                uses += shell_uses(w, path, first_line + ln - 1, env)
            # find ... -exec CMD
            if prev in ("-exec", "-execdir", "-ok"):
                uses += [Use(resolve_var(w, env), where, w in guarded)] if plain_command(w) else []
            # jupyter SUB
            if k >= 1 and os.path.basename(resolve_var(prev, env) or "") == "jupyter" and \
                    re.fullmatch(r"[a-z][\w-]*", w) and toks[k - 1][2] == ln and not toks[k - 1][1] == "'":
                uses.append(Use("jupyter-" + w, where))
            # PY -m MODULE
            if prev == "-m" and k >= 2 and "python" in (resolve_var(toks[k - 2][0], env) or ""):
                uses.append(Use("module:" + w, where))
            if skip_wrapper_opts is None:
                continue
            # after a wrapper: skip its options and env assignments
            if prev in WRAPPER_ARGS.get(skip_wrapper_opts, ()) and not toks[k - 1][1]:
                continue
            if w.startswith("-") or re.match(r"^\w+=", w) or (
                    skip_wrapper_opts == "timeout" and re.fullmatch(r"[\d.]+[smhd]?", w)):
                continue
            skip_wrapper_opts = None
            if prev == "-v" and k >= 2 and toks[k - 2][0] == "command":
                continue
        at_start = False
        if re.match(r"^\w+=", w) and not quoted:
            at_start = True  # VAR=value cmd
            continue
        if w in BUILTINS and not quoted:
            if w in ("exec", "command", "time"):
                skip_wrapper_opts = w
            else:
                at_start = w in ("then", "do", "else", "!", "time")
            continue
        if re.fullmatch(r"\$\{\w+\[@\]\}", w):
            at_start = True  # "${wrapper[@]}" cmd: an optional prefix such as sudo
            continue
        name = resolve_var(w, env)
        if name is None or name in functions or not plain_command(name):
            continue
        base = os.path.basename(name)
        uses.append(Use(name, where, base in guarded))
        if base in WRAPPERS:
            skip_wrapper_opts = base
    for kind, body, first in bodies:
        if kind == "python":
            uses += python_uses(body, path, first)
        elif kind == "sh":
            uses += shell_uses(body, path, first, env)
    return uses


def runs_shell(toks, k, env):
    """True if the words before toks[k+1] (a -c) are `bash|sh [options...]`."""
    while k >= 0 and not toks[k][1] and toks[k][0] not in SEPARATORS:
        w = toks[k][0]
        if os.path.basename(resolve_var(w, env) or "") in ("bash", "sh"):
            return True
        if not (w.startswith("-") or w in ("pipefail", "errexit", "nounset")):
            return False
        k -= 1
    return False


def resolve_var(w, env):
    """A command word with its variable replaced by a literal value, or None."""
    m = re.fullmatch(r"\$\{?(\w+)\}?", w)
    if m:
        return env.get(m.group(1))
    if "$" in w:
        return None
    return w


def plain_command(name):
    """True for a word that names a command on the PATH or a system path."""
    if not name or "$" in name or "`" in name or "=" in name:
        return False
    if "/" in name:
        return name.startswith(("/usr/", "/bin/", "/sbin/", "/opt/"))
    return re.fullmatch(r"[\w.+-]+", name) is not None and not name[0].isdigit()


# ---------------------------------------------------------------- python

def python_uses(text, path, first_line=1):
    try:
        tree = ast.parse(text)
    except SyntaxError as e:
        return [Use(f"syntax-error:{e}", f"{path}:{first_line}")]
    uses, names = [], {}
    # Module-level NAME = "literal" or os.environ.get("X", "literal").
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            v = literal(node.value, {})
            if v:
                names[node.targets[0].id] = v
    in_try = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Try):
            for sub in node.body:
                for n in ast.walk(sub):
                    in_try.add(id(n))
    for node in ast.walk(tree):
        where = f"{path}:{first_line + getattr(node, 'lineno', 1) - 1}"
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and \
                re.fullmatch(r"/(usr/)?s?bin/[\w.+-]+", node.value):
            uses.append(Use(node.value, where))
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            mods = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module] if node.module and not node.level else []
            for m in mods:
                uses.append(Use("module:" + m, where, id(node) in in_try))
        if not isinstance(node, ast.Call):
            continue
        fn = dotted(node.func)
        if fn in ("shutil.which",) and node.args:
            v = literal(node.args[0], names)
            if v:
                uses.append(Use(v, where, optional=True))
        if fn.split(".")[-1] in ("run", "Popen", "call", "check_call", "check_output") \
                and fn.split(".")[0] in ("subprocess", "run", "Popen", "call", "check_call", "check_output") \
                and node.args:
            argv = node.args[0]
            if isinstance(argv, ast.List) and argv.elts:
                first = literal(argv.elts[0], names)
                if dotted(argv.elts[0]) == "sys.executable":
                    first = PY
                words = [literal(e, names) for e in argv.elts]
                if first:
                    uses.append(Use(first, where))
                    if os.path.basename(first) == "jupyter" and len(words) > 1 and words[1] \
                            and not words[1].startswith("-"):
                        uses.append(Use("jupyter-" + words[1], where))
                    if "python" in os.path.basename(first) and len(words) > 2 and words[1] == "-m" \
                            and words[2]:
                        uses.append(Use("module:" + words[2], where))
            else:
                s = literal(argv, names)
                if s:
                    uses += shell_uses(s, path, first_line + node.lineno - 1)
    return uses


def dotted(node):
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return dotted(node.value) + "." + node.attr
    return ""


def literal(node, names):
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Name):
        return names.get(node.id)
    if isinstance(node, ast.Call) and dotted(node.func) in ("os.environ.get", "os.getenv") \
            and len(node.args) == 2:
        return literal(node.args[1], names)
    return None


# ---------------------------------------------------------------- go

GO_EXEC = re.compile(r'exec\.(Command|LookPath|CommandContext)\((?:(?<=Context\()[\w.()]+,\s*)?("([^"]+)"|(\w+))')
GO_CONST = re.compile(r'(?:const|var)?\s*(\w+)\s*:?=\s*"([^"]+)"')


def go_uses(text, path):
    consts = dict(GO_CONST.findall(text))
    uses = []
    for m in GO_EXEC.finditer(text):
        ln = text.count("\n", 0, m.start()) + 1
        name = m.group(3) or consts.get(m.group(4) or "")
        if name and plain_command(name):
            uses.append(Use(name, f"{path}:{ln}", optional=m.group(1) == "LookPath"))
    # exec.LookPath guards make every use of that name in the file optional.
    guarded = {u.name for u in uses if u.optional}
    for u in uses:
        u.optional = u.optional or u.name in guarded
    return uses


# ---------------------------------------------------------------- javascript

JS_SPAWN = re.compile(r"""\b(spawn|spawnSync|execFile|execFileSync|exec|execSync|fork)\(\s*(['"`])([^'"`]+)\2""")
JS_PATH = re.compile(r"""(['"`])(/(?:usr/)?s?bin/[\w.+-]+)\1""")


def js_uses(text, path):
    """Commands a Node script starts (child_process) and /usr/bin paths it names."""
    uses = []
    for m in JS_SPAWN.finditer(text):
        ln = text.count("\n", 0, m.start()) + 1
        if m.group(1) in ("exec", "execSync"):
            uses += shell_uses(m.group(3), path, ln)
        elif m.group(1) != "fork":
            uses.append(Use(m.group(3), f"{path}:{ln}"))
    for m in JS_PATH.finditer(text):
        uses.append(Use(m.group(2), f"{path}:{text.count(chr(10), 0, m.start()) + 1}"))
    return uses


# ---------------------------------------------------------------- collect

def tracked_files():
    out = subprocess.run(["git", "-C", ROOT, "ls-files", "-z"], capture_output=True, check=True)
    return [p for p in out.stdout.decode().split("\0") if p and os.path.isfile(os.path.join(ROOT, p))]


def collect():
    uses, files = [], 0
    for rel in tracked_files():
        full = os.path.join(ROOT, rel)
        if "/testdata/fuzz/" in rel or rel.endswith((".ipynb", ".md", ".png", ".svg", ".json")):
            continue
        if rel.endswith("_test.go"):
            text = open(full, encoding="utf-8", errors="replace").read()
            if "os/exec" in text:
                uses += go_uses(text, rel)
                files += 1
            continue
        if rel.endswith(".go"):
            continue  # the product's own commands run on the user's machine, not in CI
        if rel.endswith((".js", ".mjs", ".cjs")) and "node_modules/" not in rel:
            uses += js_uses(open(full, encoding="utf-8").read(), rel)
            files += 1
            continue
        if rel.endswith(".py"):
            uses += python_uses(open(full, encoding="utf-8").read(), rel)
            files += 1
            continue
        with open(full, "rb") as f:
            head = f.readline()
        if rel.endswith(".sh") or re.match(rb"#!.*\b(ba)?sh\b", head):
            uses += shell_uses(open(full, encoding="utf-8").read(), rel)
            files += 1
    return uses, files


# ---------------------------------------------------------------- packages

def installed_packages():
    """name -> (depends names incl. all alternatives, essential/required, provides)."""
    fmt = "${Package}\t${Status}\t${Essential}\t${Priority}\t${Depends}\t${Pre-Depends}\t${Provides}\n"
    out = subprocess.run(["dpkg-query", "-W", "-f=" + fmt], capture_output=True, text=True, check=True)
    pkgs, providers = {}, {}
    for ln in out.stdout.splitlines():
        p = ln.split("\t")
        if len(p) < 7 or "installed" not in p[1].split()[-1:]:
            continue
        deps = [re.sub(r"[:\s(].*", "", a.strip()) for d in (p[4] + "," + p[5]).split(",")
                for a in d.split("|") if a.strip()]
        base = p[2] == "yes" or p[3] == "required"
        pkgs[p[0]] = (deps, base)
        for v in p[6].split(","):
            v = re.sub(r"[:\s(].*", "", v.strip())
            if v:
                providers.setdefault(v, []).append(p[0])
    return pkgs, providers


def closure(listed, pkgs, providers):
    """Installed packages pulled in by listed ones, through Depends/Pre-Depends
    (every installed alternative, and every installed provider of a virtual)."""
    seen, todo = {}, [(p, p) for p in listed]
    while todo:
        p, via = todo.pop()
        names = [p] if p in pkgs else providers.get(p, [])
        for q in names:
            if q in seen:
                continue
            seen[q] = via
            todo += [(d, via) for d in pkgs[q][0]]
    return seen


def owners(paths):
    """dpkg-query -S for each path (tried as given, resolved, and /bin <-> /usr/bin)."""
    cands = {}
    for p in paths:
        c = [p, os.path.realpath(p)]
        for x in list(c):
            if x.startswith("/usr/bin/") or x.startswith("/usr/sbin/") or x.startswith("/usr/lib/"):
                c.append(x[4:])
            elif x.startswith(("/bin/", "/sbin/", "/lib/")):
                c.append("/usr" + x)
        cands[p] = list(dict.fromkeys(c))
    every = sorted({x for c in cands.values() for x in c})
    out = subprocess.run(["dpkg-query", "-S", *every], capture_output=True, text=True)
    found = {}
    for ln in out.stdout.splitlines():
        pk, _, f = ln.partition(": ")
        if f in every and "diversion" not in pk:
            found.setdefault(f, [x.split(":")[0] for x in pk.split(", ")])
    return {p: next((found[x] for x in c if x in found), []) for p, c in cands.items()}


def npm_bins():
    """Command names that committed package-lock.json files pin (bin entries)."""
    bins = {}
    for rel in tracked_files():
        if os.path.basename(rel) != "package-lock.json":
            continue
        lock = json.load(open(os.path.join(ROOT, rel)))
        for key, meta in lock.get("packages", {}).items():
            b = meta.get("bin")
            if isinstance(b, dict):
                for name in b:
                    bins[name] = f"{rel} ({key.removeprefix('node_modules/')} {meta.get('version', '')})"
            elif isinstance(b, str) and key:
                name = key.split("/")[-1]
                bins[name] = f"{rel} ({name} {meta.get('version', '')})"
    return bins


def module_files(mods):
    """Where /usr/bin/python3 loads each module from ('' if not found, 'builtin')."""
    code = ("import importlib.util,json,sys\nr={}\nfor m in sys.argv[1:]:\n"
            " try:\n  s=importlib.util.find_spec(m)\n except Exception:\n  s=None\n"
            " r[m]='' if s is None else (s.origin if s.origin not in (None,'built-in','frozen') else 'builtin')\n"
            "print(json.dumps(r))")
    out = subprocess.run([PY, "-c", code, *mods], capture_output=True, text=True, check=True, cwd="/")
    return json.loads(out.stdout)


# ---------------------------------------------------------------- check

def check(listed, verbose=False):
    t0 = time.monotonic()
    uses, files = collect()
    pkgs, providers = installed_packages()
    ok_pkgs = closure(listed, pkgs, providers)
    npm = npm_bins()
    path_env = os.environ.get("PATH", "") + os.pathsep + "/usr/local/go/bin"
    by_name = {}
    for u in uses:
        by_name.setdefault(u.name, []).append(u)
    problems, notes, resolved = [], [], {}
    mods = sorted(n[7:] for n in by_name if n.startswith("module:"))
    mod_files = module_files([m for m in mods if m]) if mods else {}
    local_mods = {os.path.splitext(os.path.basename(p))[0] for p in tracked_files() if p.endswith(".py")}
    for name, us in sorted(by_name.items()):
        where = ", ".join(sorted({u.where for u in us})[:3]) + (" …" if len({u.where for u in us}) > 3 else "")
        optional = all(u.optional for u in us)
        if name.startswith("syntax-error:"):
            problems.append(f"{where}: cannot parse: {name[13:]}")
            continue
        if name.startswith("module:"):
            m = name[7:]
            top = m.split(".")[0]
            f = mod_files.get(m, "")
            if top in local_mods or f.startswith(ROOT):
                continue
            if f == "builtin":
                continue
            if not f:
                (notes if optional else problems).append(
                    f"python module {m} ({where}): not importable by {PY}" +
                    (" (optional: imported inside try)" if optional else ""))
                continue
            resolved[name] = (f, where, optional)
            continue
        if "/" in name:
            if not os.path.exists(name):
                (notes if optional or not name.startswith(("/usr/bin/", "/bin/", "/usr/sbin/", "/sbin/"))
                 else problems).append(f"{name} ({where}): not on this machine")
                continue
            resolved[name] = (name, where, optional)
            continue
        p = shutil.which(name, path=path_env)
        if p is None or "/node_modules/.bin/" in p:
            if name in npm:
                notes.append(f"{name} ({where}): from npm, pinned by {npm[name]}")
            elif optional:
                notes.append(f"{name} ({where}): optional (used behind a which/command -v/LookPath check), not installed")
            else:
                problems.append(f"command {name} ({where}): not found on the PATH after .ci/deps; "
                                "add the Debian package that provides it to .ci/deps")
            continue
        resolved[name] = (p, where, optional)
    own = owners(sorted({f for f, _, _ in resolved.values()}))
    counted = {"listed or pulled in": 0, "base system": 0, "other": 0}
    for name, (f, where, optional) in sorted(resolved.items()):
        what = ("python module " + name[7:]) if name.startswith("module:") else "command " + name
        pk = own.get(f, [])
        real = os.path.realpath(f)
        if not pk:
            if real.startswith("/usr/local/go/"):
                counted["other"] += 1
                notes.append(f"{what} ({where}): Go's toolchain at /usr/local/go (not a Debian package; README)")
                continue
            msg = (f"{what} ({where}) is {f}" + (f" -> {real}" if real != f else "") +
                   ": no Debian package owns it; scripts must run Debian's"
                   + (" /usr/bin/python3" if "python" in name else " commands, or npm tools pinned by a package-lock.json"))
            (notes if optional else problems).append(msg + (" (optional)" if optional else ""))
            continue
        good = [p for p in pk if p in ok_pkgs]
        if good:
            counted["listed or pulled in"] += 1
            if verbose:
                via = ok_pkgs[good[0]]
                print(f"  {what}: {f} in {good[0]}" + (f" (pulled in by {via})" if via != good[0] else " (listed)"))
            continue
        base = [p for p in pk if p in pkgs and pkgs[p][1]]
        if base:
            counted["base system"] += 1
            if verbose:
                print(f"  {what}: {f} in {base[0]} (Essential or Priority: required)")
            continue
        msg = (f"{what} ({where}) is {f}, from the Debian package {', '.join(pk)}, "
               "which .ci/deps neither lists nor pulls in (Depends/Pre-Depends)")
        if optional:
            notes.append(msg + ": optional here, so a fresh machine skips what uses it")
        else:
            problems.append(msg + f": add {pk[0]} to .ci/deps")
    dt = time.monotonic() - t0
    for n in notes:
        print("note:", n)
    for p in problems:
        print("FAIL:", p)
    print(f"cmdcheck: {len(by_name)} commands and modules used in {files} files; "
          f"{counted['listed or pulled in']} from .ci/deps's {len(listed)} packages or their "
          f"dependencies ({len(ok_pkgs)} packages), {counted['base system']} from the base system; "
          f"{len(problems)} problem(s); {dt:.1f} s")
    return 1 if problems else 0


def deps_list():
    out = subprocess.run(["bash", os.path.join(ROOT, ".ci", "deps"), "--list"],
                         capture_output=True, text=True, check=True)
    return out.stdout.split()


# What the parsers must find in small scripts: (kind, text, commands found; a
# trailing ? marks one found as optional).
PARSER_CASES = [
    ("sh", "pkgs=(\n\tgit # x\n\ttmux\n)\ncat f", {"cat"}),
    ("sh", 'case "$1" in\n--binary) b=$2; shift 2 ;;\n-h | --help) sed -n 2p "$0" ;;\nesac', {"sed"}),
    ("sh", "unshare --mount --propagation private env -i A=1 bash -euo pipefail -c 'mount --bind a b; jupyter kernelspec list'",
     {"unshare", "env", "bash", "mount", "jupyter", "jupyter-kernelspec"}),
    ("sh", "py=/usr/bin/python3\n$py -m unittest x && $py - <<'EOF'\nimport subprocess\nsubprocess.run(['tmux', 'ls'])\nEOF",
     {"/usr/bin/python3", "module:unittest", "module:subprocess", "tmux"}),
    ("sh", "if command -v qemu-aarch64 >/dev/null; then got=$(qemu-aarch64 x version); fi", {"qemu-aarch64?"}),
    ("sh", 'find . \\( -name a -o -path b \\) -prune -o -print0 | xargs -0r cp --parents -t d', {"find", "xargs", "cp"}),
    ("sh", "[ ! -e x ] && timeout -s KILL 5 readelf -l f", {"timeout", "readelf"}),
    ("sh", 'x="$(git describe --tags)"; sudo=(); "${sudo[@]}" apt-get install', {"git", "apt-get"}),
    ("py", "import os, shutil, subprocess, sys\nC = os.environ.get('C', '/usr/bin/chromium')\n"
           "subprocess.run([sys.executable, '-m', 'nbconvert'])\nsubprocess.Popen(['jupyter', 'notebook'])\n"
           "if shutil.which('tmux'): pass\ntry:\n    import yaml\nexcept ImportError:\n    pass",
     {"module:os", "module:shutil", "module:subprocess", "module:sys", "/usr/bin/chromium", "/usr/bin/python3",
      "module:nbconvert", "jupyter", "jupyter-notebook", "tmux?", "module:yaml?"}),
    ("go", 'const python = "/usr/bin/python3"\nexec.Command(python, "-c", "x")\n'
           'if _, err := exec.LookPath("tmux"); err == nil { exec.Command("tmux", "ls") }\n'
           'exec.CommandContext(ctx, "go", "run")', {"/usr/bin/python3", "tmux?", "go"}),
    ("js", "import { spawn } from 'node:child_process'\nspawn('jupyter', ['server'])\n"
           "const c = process.env.C || '/usr/bin/chromium'", {"jupyter", "/usr/bin/chromium"}),
]


def parser_self_test():
    bad = 0
    for kind, text, want in PARSER_CASES:
        uses = {"sh": lambda: shell_uses(text, "t"), "py": lambda: python_uses(text, "t"),
                "go": lambda: go_uses(text, "t"), "js": lambda: js_uses(text, "t")}[kind]()
        got = {}
        for u in uses:
            got[u.name] = got.get(u.name, True) and u.optional
        got = {n + ("?" if o else "") for n, o in got.items()}
        if got != want:
            bad += 1
            print(f"cmdcheck self-test: FAIL: {kind} {text!r}:\n  found {sorted(got)}\n  want  {sorted(want)}")
    return bad


def self_test():
    if parser_self_test():
        return 1
    print(f"cmdcheck self-test: ok: the parsers find what {len(PARSER_CASES)} small scripts run")
    listed = [p for p in deps_list() if p != "jupyter-client"]
    if len(listed) == len(deps_list()):
        print("cmdcheck self-test: FAIL: jupyter-client is not in .ci/deps's list")
        return 1
    r = subprocess.run([PY, os.path.abspath(__file__), "--packages", "-"], input="\n".join(listed),
                       capture_output=True, text=True)
    lines = [ln for ln in r.stdout.splitlines() if ln.startswith("FAIL:")]
    hit = [ln for ln in lines if "jupyter-kernelspec" in ln and "jupyter-client" in ln]
    if r.returncode == 0 or not hit:
        print(r.stdout + r.stderr)
        print("cmdcheck self-test: FAIL: with jupyter-client out of the list the check did not "
              "fail naming jupyter-kernelspec and jupyter-client")
        return 1
    print(f"cmdcheck self-test: ok: without jupyter-client in the list it fails: {hit[0][6:]}")
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--packages", help="file with the package list ('-' = stdin); default: .ci/deps --list")
    ap.add_argument("--self-test", action="store_true")
    ap.add_argument("--verbose", "-v", action="store_true")
    a = ap.parse_args()
    if a.self_test:
        return self_test()
    if a.packages:
        text = sys.stdin.read() if a.packages == "-" else open(a.packages).read()
        listed = text.split()
    else:
        listed = deps_list()
    return check(listed, a.verbose)


if __name__ == "__main__":
    sys.exit(main())
