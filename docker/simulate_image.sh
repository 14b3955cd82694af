#!/usr/bin/env bash
# Run the final stage of docker/Dockerfile on the host, without a Docker engine.
#
#   docker/simulate_image.sh BINARY      (as root; called by docker/test.sh)
#
# In a private mount namespace, empty directories are bind-mounted over the
# paths the image build writes to (/usr/local/bin, /usr/local/share, /opt,
# /home, /tmp) and a
# copy of Debian's /usr/share/jupyter (sys.prefix of Debian's Python is /usr)
# over itself. The Dockerfile's COPY lines are staged into that fake root
# (through Dockerfile.dockerignore; COPY --from=build takes BINARY), its ENV is the Docker Stacks one
# (NB_USER=jovyan NB_UID=1000 NB_GID=100), and its RUN lines are run verbatim
# with /bin/sh -c as root, in order, as `docker build` would. Then, as the image
# will be used: `jupyter kernelspec list` must list matcalc at the system-wide
# path running /usr/local/bin/matcalc, the notebooks in /home/jovyan must be
# owned by 1000:100, the build's /tmp files gone, and docker/kernel_check.py
# must start the kernel and execute a cell as uid 1000 with HOME=/home/jovyan,
# then every code cell of each notebook shipped in ~/matcalc-notebooks (a cell
# tagged raises-exception may fail), one kernel per notebook.
# Nothing outside the namespace is changed; the temporary tree is removed.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
die() { echo "simulate_image.sh: FAIL: $*" >&2; exit 1; }

binary=${1:?usage: simulate_image.sh BINARY}
binary=$(cd "$(dirname "$binary")" && pwd)/$(basename "$binary")
[ "$(id -u)" = 0 ] || die "needs root (mount namespace, chown)"
unshare --mount --propagation private true 2>/dev/null ||
	die "cannot create a mount namespace here (unshare --mount)"

sim=$(mktemp -d /tmp/matcalc-image-sim.XXXXXX)
trap 'rm -rf "$sim"' EXIT
chmod 0755 "$sim"
fake="$sim/root"
mounts=(/usr/local/bin /usr/local/share /opt /home /tmp)
for m in "${mounts[@]}"; do mkdir -p "$fake$m"; done
chmod 1777 "$fake/tmp"
cp -a /usr/share/jupyter "$sim/share-jupyter"

# What the base image provides: the jovyan home, before-notebook.d, and a
# fix-permissions with Docker Stacks' documented effect (group NB_GID, g+rwX,
# setgid directories).
mkdir -p "$fake/home/jovyan" "$fake/usr/local/bin/before-notebook.d"
chown 1000:100 "$fake/home/jovyan"
cat >"$fake/usr/local/bin/fix-permissions" <<'EOF'
#!/bin/bash
# stand-in for Docker Stacks' fix-permissions (simulate_image.sh)
set -e
for d in "$@"; do
	chgrp -R "${NB_GID}" -- "$d"
	chmod -R g+rwX -- "$d"
	find "$d" -type d -exec chmod g+s -- {} +
done
EOF
chmod 0755 "$fake/usr/local/bin/fix-permissions"

# The final stage's COPY and RUN lines, in order.
/usr/bin/python3 - "$root" "$binary" "$fake" "$sim/run.sh" "${mounts[@]}" <<'EOF'
import os, shlex, shutil, sys
root, binary, fake, out, mounts = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:]
sys.path.insert(0, os.path.join(root, "docker"))
from lint_dockerfile import instructions, ignored, load_ignore
rules = load_ignore(os.path.join(root, "docker", "Dockerfile.dockerignore"))

def context_filter(d, names):
    """What the build context would not contain (the dockerignore)."""
    return [x for x in names if ignored(rules, os.path.relpath(os.path.join(d, x), root))]
ins = instructions(open(os.path.join(root, "docker", "Dockerfile")).read())
last_from = max(i for i, (_, kw, _) in enumerate(ins) if kw == "FROM")
runs, user = [], None
for n, kw, a in ins[last_from + 1:]:
    if kw == "USER":
        user = a
        continue
    if user != "root" and kw in ("COPY", "ADD", "RUN"):
        sys.exit(f"Dockerfile:{n}: {kw} not as root; simulate_image.sh only runs root steps")
    if kw in ("COPY", "ADD"):
        if runs:
            sys.exit(f"Dockerfile:{n}: COPY after a RUN; simulate_image.sh stages COPYs first")
        words = a.split()
        src_from = [w for w in words if w.startswith("--from=")]
        words = [w for w in words if not w.startswith("--")]
        srcs, dest = words[:-1], words[-1]
        if not any(dest == m or dest.startswith(m + "/") for m in mounts):
            sys.exit(f"Dockerfile:{n}: COPY to {dest}, outside {mounts}")
        for s in srcs:
            src = binary if src_from else os.path.join(root, s)
            target = fake + dest
            if dest.endswith("/"):
                target = os.path.join(target, os.path.basename(s))
            os.makedirs(os.path.dirname(target), exist_ok=True)
            if os.path.isdir(src):
                shutil.copytree(src, target, dirs_exist_ok=True, symlinks=True,
                                ignore=None if src_from else context_filter)
            else:
                shutil.copy2(src, target)
    elif kw == "RUN":
        runs.append((n, a))
with open(out, "w") as f:
    f.write("set -e\n")
    for n, a in runs:
        f.write(f"echo '== Dockerfile:{n}: RUN ...'\n/bin/sh -c {shlex.quote(a)}\n")
print(f"simulate_image.sh: staged the COPYs, {len(runs)} RUN step(s)")
EOF

# Inside the namespace: mount, build (as root), then use (as uid 1000).
# shellcheck disable=SC2016  # expanded by the inner bash
unshare --mount --propagation private env -i \
	PATH=/usr/local/bin:/usr/bin:/bin NB_USER=jovyan NB_UID=1000 NB_GID=100 \
	HOME=/home/jovyan SHELL=/bin/bash LANG=C.UTF-8 PYDEVD_DISABLE_FILE_VALIDATION=1 \
	SIM="$sim" FAKE="$fake" HERE="$here" \
	bash -euo pipefail -c '
die() { echo "simulate_image.sh: FAIL: $*" >&2; exit 1; }
mount --bind "$SIM/share-jupyter" /usr/share/jupyter
for m in /usr/local/bin /usr/local/share /opt /home; do mount --bind "$FAKE$m" "$m"; done
cp "$SIM/run.sh" "$FAKE/tmp/.run.sh"
cp "$HERE/kernel_check.py" "$FAKE/tmp/.kernel_check.py"
mount --bind "$FAKE/tmp" /tmp

bash /tmp/.run.sh || die "a RUN step of the Dockerfile failed"

echo "== checks on the built tree"
[ -x /usr/local/bin/matcalc ] || die "no /usr/local/bin/matcalc"
[ ! -e /tmp/matcalc-install ] || die "/tmp/matcalc-install left in the image"
list=$(jupyter kernelspec list) || die "jupyter kernelspec list failed"
echo "$list"
kdir=$(echo "$list" | awk "\$1 == \"matcalc\" { print \$2 }")
[ "$kdir" = /usr/share/jupyter/kernels/matcalc ] ||
	die "kernelspec at \"$kdir\", want the system-wide /usr/share/jupyter/kernels/matcalc"
grep -q "\"/usr/local/bin/matcalc\"" "$kdir/kernel.json" || die "kernel.json does not run /usr/local/bin/matcalc"
[ -f /usr/local/bin/before-notebook.d/matcalc-notebooks.sh ] || die "no before-notebook.d hook"
[ -d /home/jovyan/matcalc-notebooks ] || die "no /home/jovyan/matcalc-notebooks"
bad=$(find /home/jovyan/matcalc-notebooks \( -not -uid 1000 -o -not -gid 100 \) | head -3)
[ -z "$bad" ] || die "not owned by 1000:100: $bad"
echo "tree ok: binary, system-wide kernelspec, hook, notebooks owned by 1000:100, /tmp clean"

echo "== as USER \${NB_UID} (1000) with HOME=/home/jovyan"
setpriv --reuid=1000 --regid=100 --clear-groups env HOME=/home/jovyan \
	/usr/bin/python3 /tmp/.kernel_check.py matcalc "%who" || die "kernel as uid 1000"
cd /home/jovyan/matcalc-notebooks
for nb in $(find . -name "*.ipynb" | sort); do
	echo "== as uid 1000: every code cell of the shipped ~/matcalc-notebooks/${nb#./}"
	setpriv --reuid=1000 --regid=100 --clear-groups env HOME=/home/jovyan \
		/usr/bin/python3 /tmp/.kernel_check.py matcalc "$nb" | grep -v "kernelspec\|kernel_info" ||
		die "shipped notebook $nb does not run as uid 1000"
done
' || die "the simulated image build or its use failed"
echo "simulate_image.sh: ok"
