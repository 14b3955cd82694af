"""Static checks of docker/Dockerfile for a machine without a Docker engine.

Usage: python3 docker/lint_dockerfile.py REPO_ROOT
       python3 docker/lint_dockerfile.py --self-test REPO_ROOT

Checks (each failure says what and where):
- every base image is pinned: a tag that is not "latest" (or a digest);
- the Go image's version is go.mod's `go` version;
- the final stage is quay.io/jupyter/base-notebook or minimal-notebook, runs
  install.sh as root, keeps the image's ENTRYPOINT/CMD, and ends as ${NB_UID};
- the build is static and versioned: CGO_ENABLED=0, -trimpath,
  -X main.version=;
- every install.sh option the Dockerfile uses is one install.sh accepts;
- every COPY source exists in the repository and survives
  docker/Dockerfile.dockerignore, as do go.mod, go.sum and every .go file.
"""

import os
import re
import sys

failures = []


def fail(msg):
    failures.append(msg)


def instructions(text):
    """(line number, KEYWORD, arguments) with continuations joined."""
    out, buf, start = [], "", 0
    for n, line in enumerate(text.splitlines(), 1):
        s = line.strip()
        if not buf and (not s or s.startswith("#")):
            continue
        if not buf:
            start = n
        if s.endswith("\\"):
            buf += s[:-1] + " "
            continue
        buf += s
        kw, _, args = buf.partition(" ")
        out.append((start, kw.upper(), args.strip()))
        buf = ""
    return out


def pattern_regex(p):
    p = os.path.normpath(p.strip()).lstrip("/")
    rx, i = "", 0
    while i < len(p):
        if p.startswith("**/", i):
            rx += "(.*/)?"  # "**/x" also matches "x"
            i += 3
        elif p.startswith("**", i):
            rx += ".*"
            i += 2
        elif p[i] == "*":
            rx += "[^/]*"
            i += 1
        elif p[i] == "?":
            rx += "[^/]"
            i += 1
        else:
            rx += re.escape(p[i])
            i += 1
    return re.compile(rx + "$")


def load_ignore(path):
    rules = []
    with open(path) as f:
        for line in f:
            s = line.strip()
            if not s or s.startswith("#"):
                continue
            neg = s.startswith("!")
            rules.append((neg, pattern_regex(s[1:] if neg else s)))
    return rules


def ignored(rules, rel):
    """Docker's rule: the last pattern matching the path or a parent wins."""
    parts = rel.split("/")
    candidates = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    result = False
    for neg, rx in rules:
        if any(rx.match(c) for c in candidates):
            result = not neg
    return result


def lint(root):
    """Return (failures, summary) for the repository at root."""
    failures.clear()
    dockerfile = os.path.join(root, "docker", "Dockerfile")
    ignore = os.path.join(root, "docker", "Dockerfile.dockerignore")
    text = open(dockerfile).read()
    ins = instructions(text)

    # ARG defaults before the first FROM are what ${X} in FROM expands to.
    args = {}
    for n, kw, a in ins:
        if kw == "FROM":
            break
        if kw == "ARG" and "=" in a:
            k, v = a.split("=", 1)
            args[k] = v

    def expand(s):
        return re.sub(r"\$\{?(\w+)\}?", lambda m: args.get(m.group(1), m.group(0)), s)

    stages, cur = [], None
    for n, kw, a in ins:
        if kw == "FROM":
            words = [w for w in a.split() if not w.startswith("--")]
            image = expand(words[0])
            alias = words[2] if len(words) >= 3 and words[1].upper() == "AS" else None
            cur = {"line": n, "image": image, "alias": alias, "body": []}
            stages.append(cur)
        elif cur is not None:
            cur["body"].append((n, kw, a))
    if len(stages) < 2:
        fail("Dockerfile: want a multi-stage build (build stage + final stage)")
    names = {s["alias"] for s in stages if s["alias"]}

    for s in stages:
        img = s["image"]
        if img in names or img == "scratch":
            continue
        if "$" in img:
            fail(f"Dockerfile:{s['line']}: base image {img!r} has no ARG default")
            continue
        name, _, digest = img.partition("@")
        last = name.rsplit("/", 1)[-1]
        tag = last.split(":", 1)[1] if ":" in last else ""
        if not digest and (not tag or tag == "latest"):
            fail(f"Dockerfile:{s['line']}: base image {img!r} is not pinned (tag or digest)")

    gomod = open(os.path.join(root, "go.mod")).read()
    m = re.search(r"^go\s+(\S+)", gomod, re.M)
    go_images = [s for s in stages if s["image"].split("/")[-1].startswith("golang:")]
    if not go_images:
        fail("Dockerfile: no golang build stage")
    elif m and not go_images[0]["image"].split(":", 1)[1].startswith(m.group(1)):
        fail(f"Dockerfile:{go_images[0]['line']}: Go image {go_images[0]['image']!r} "
             f"is not go.mod's go {m.group(1)}")

    final = stages[-1]
    if not re.match(r"quay\.io/jupyter/(base|minimal)-notebook:", final["image"]):
        fail(f"Dockerfile:{final['line']}: final stage {final['image']!r} is not "
             "quay.io/jupyter/base-notebook or minimal-notebook")
    users = [(n, a) for n, kw, a in final["body"] if kw == "USER"]
    if not users or users[-1][1] not in ("${NB_UID}", "$NB_UID"):
        fail("Dockerfile: the final stage must end with USER ${NB_UID}, "
             f"found {users[-1][1] if users else 'no USER'}")
    for n, kw, a in final["body"]:
        if kw in ("ENTRYPOINT", "CMD"):
            fail(f"Dockerfile:{n}: {kw} in the final stage replaces the image's start scripts")
    user, ran_install = None, False
    for n, kw, a in final["body"]:
        if kw == "USER":
            user = a
        if kw == "RUN" and "install.sh" in a:
            ran_install = True
            if user != "root":
                fail(f"Dockerfile:{n}: install.sh must run as USER root (is {user})")
            opts = set(re.findall(r"(?<!\S)(--[a-z][a-z-]*)", a))
            script = open(os.path.join(root, "docker", "install.sh")).read()
            accepted = set(re.findall(r"^\s*(--[a-z][a-z-]*)\)", script, re.M))
            for o in sorted(opts - accepted):
                fail(f"Dockerfile:{n}: install.sh has no option {o}")
            for o in ("--sys-prefix", "--fix-permissions", "--owner"):
                if o not in opts:
                    fail(f"Dockerfile:{n}: install.sh is run without {o}")
    if not ran_install:
        fail("Dockerfile: the final stage does not RUN docker/install.sh")

    build_runs = " ".join(a for s in stages[:-1] for n, kw, a in s["body"] if kw == "RUN")
    for needle in ("CGO_ENABLED=0", "-trimpath", "-X main.version=", "-s -w"):
        if needle not in build_runs:
            fail(f"Dockerfile: the build stage's go build lacks {needle}")

    if not os.path.exists(ignore):
        fail("docker/Dockerfile.dockerignore is missing")
        rules = []
    else:
        rules = load_ignore(ignore)
    for s in stages:
        for n, kw, a in s["body"]:
            if kw not in ("COPY", "ADD") or "--from=" in a:
                continue
            srcs = [w for w in a.split() if not w.startswith("--")][:-1]
            for src in srcs:
                src = os.path.normpath(src)
                if src == ".":
                    continue
                if not os.path.exists(os.path.join(root, src)):
                    fail(f"Dockerfile:{n}: COPY source {src} does not exist in the repository")
                elif ignored(rules, src):
                    fail(f"Dockerfile:{n}: COPY source {src} is excluded by Dockerfile.dockerignore")
    needed = ["go.mod", "go.sum"]
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for f in filenames:
            if f.endswith(".go"):
                needed.append(os.path.relpath(os.path.join(dirpath, f), root))
    for rel in needed:
        if ignored(rules, rel):
            fail(f"Dockerfile.dockerignore excludes {rel}, which the build needs")
    for rel in (".git/HEAD", "dist/x", "notebooks/html/x.html", "notebooks/tools/x.py", "docker/Dockerfile"):
        if not ignored(rules, rel):
            fail(f"Dockerfile.dockerignore should exclude {rel}")

    summary = (f"{len(stages)} stages; bases "
               + ", ".join(s["image"] for s in stages if s["image"] not in names))
    return list(failures), summary


# Each mutation of a good tree must be caught with this message: a lint that
# cannot fail proves nothing.
MUTATIONS = [
    ("docker/Dockerfile", "base-notebook:2025-08-25", "base-notebook:latest", "is not pinned"),
    ("docker/Dockerfile", "ARG GO_IMAGE=golang:1.26.8", "ARG GO_IMAGE=golang", "is not pinned"),
    ("docker/Dockerfile", "ARG GO_IMAGE=golang:1.26.8", "ARG GO_IMAGE=golang:1.25.3", "is not go.mod's go"),
    ("docker/Dockerfile", "\nUSER ${NB_UID}", "\nUSER root", "must end with USER ${NB_UID}"),
    ("docker/Dockerfile", "\nUSER ${NB_UID}", "\nCMD [\"bash\"]\nUSER ${NB_UID}", "replaces the image's start scripts"),
    ("docker/Dockerfile", "\nUSER root\n", "\n", "must run as USER root"),
    ("docker/Dockerfile", "CGO_ENABLED=0 ", "", "lacks CGO_ENABLED=0"),
    ("docker/Dockerfile", "go build -trimpath", "go build", "lacks -trimpath"),
    ("docker/Dockerfile", "--fix-permissions", "--fix-permissions --frobnicate", "has no option --frobnicate"),
    ("docker/Dockerfile", "        --sys-prefix \\\n", "", "run without --sys-prefix"),
    ("docker/Dockerfile", "COPY notebooks ", "COPY notebookz ", "does not exist in the repository"),
    ("docker/Dockerfile.dockerignore", "\ndocker\n", "\ndocker\nnotebooks\n", "is excluded by Dockerfile.dockerignore"),
    ("docker/Dockerfile.dockerignore", "\ndist\n", "\ndist\ngo.sum\n", "excludes go.sum"),
    ("docker/Dockerfile.dockerignore", "\n.git\n", "\n", "should exclude .git/HEAD"),
]


def self_test(root):
    import shutil
    import tempfile
    bad = 0
    with tempfile.TemporaryDirectory() as t:
        for rel in ("go.mod", "go.sum", "docker/Dockerfile", "docker/Dockerfile.dockerignore", "docker/install.sh"):
            os.makedirs(os.path.dirname(os.path.join(t, rel)) or t, exist_ok=True)
            shutil.copy(os.path.join(root, rel), os.path.join(t, rel))
        os.makedirs(os.path.join(t, "notebooks"))
        got, _ = lint(t)
        if got:
            print(f"lint_dockerfile: self-test: the unmutated copy fails: {got}", file=sys.stderr)
            return 1
        for rel, old, new, want in MUTATIONS:
            path = os.path.join(t, rel)
            good = open(path).read()
            if old not in good:
                print(f"lint_dockerfile: self-test: {rel} no longer contains {old!r}; update MUTATIONS",
                      file=sys.stderr)
                bad += 1
                continue
            open(path, "w").write(good.replace(old, new, 1))
            got, _ = lint(t)
            open(path, "w").write(good)
            if not any(want in g for g in got):
                print(f"lint_dockerfile: self-test: {rel}: {old!r} -> {new!r} not caught "
                      f"(want {want!r}, got {got})", file=sys.stderr)
                bad += 1
    print(f"lint_dockerfile: self-test: {len(MUTATIONS) - bad}/{len(MUTATIONS)} mutations caught")
    return 1 if bad else 0


def main():
    if sys.argv[1] == "--self-test":
        sys.exit(self_test(sys.argv[2]))
    got, summary = lint(sys.argv[1])
    if got:
        for f in got:
            print(f"lint_dockerfile: FAIL: {f}", file=sys.stderr)
        sys.exit(1)
    print(f"lint_dockerfile: ok ({summary})")


if __name__ == "__main__":
    main()
