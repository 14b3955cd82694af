#!/usr/bin/env bash
# CI check of docker/ on a machine without a Docker engine (issue 6).
#
#   docker/test.sh
#
# 1. Lints: shellcheck on docker/*.sh (when installed), hadolint on the
#    Dockerfile (when installed), and docker/lint_dockerfile.py always, with
#    its self-test (broken variants of the Dockerfile it must reject).
# 2. Builds matcalc exactly as the Dockerfile does (static, -trimpath,
#    -X main.version) and checks it is static and prints its version.
# 3. Runs docker/install.sh, the Dockerfile's own install step, against
#    Debian's Jupyter with every path in a temporary directory, then proves
#    `jupyter kernelspec list` sees the kernel and that jupyter_client can
#    start it and execute a cell (docker/kernel_check.py, which also prints the
#    kernel's idle VmRSS).
# 4. Runs the before-notebook.d hook install.sh wrote, as a student (uid 1000)
#    and as root, into empty homes; a second run must not overwrite.
# 5. As root: runs the Dockerfile's final stage itself (its COPY and RUN lines,
#    verbatim) in a private mount namespace and starts the kernel as uid 1000
#    (docker/simulate_image.sh).
# 6. Checks the JupyterHub and Zero-to-JupyterHub examples parse and say what
#    the README says.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
py=/usr/bin/python3
step() { printf '\n== docker/test.sh: %s\n' "$*"; }
export PATH="$PATH:/usr/local/go/bin"
die() { echo "docker/test.sh: FAIL: $*" >&2; exit 1; }

tmp=$(mktemp -d /tmp/matcalc-docker-test.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
chmod 0755 "$tmp"
# Keep the user's own Jupyter dirs (and any matcalc kernelspec in them) out.
export JUPYTER_CONFIG_DIR="$tmp/jupyter-config" JUPYTER_DATA_DIR="$tmp/jupyter-data"
export JUPYTER_RUNTIME_DIR="$tmp/jupyter-runtime" PYDEVD_DISABLE_FILE_VALIDATION=1

step "lint"
if command -v shellcheck >/dev/null; then
	shellcheck "$here"/*.sh || die "shellcheck found problems in docker/*.sh"
	echo "shellcheck: ok"
else
	echo "shellcheck: not installed, skipped (apt-get install shellcheck)"
fi
if command -v hadolint >/dev/null; then
	hadolint "$here/Dockerfile" || die "hadolint found problems in docker/Dockerfile"
	echo "hadolint: ok"
else
	echo "hadolint: not installed (Debian has no package), docker/lint_dockerfile.py only"
fi
"$py" "$here/lint_dockerfile.py" "$root" || die "docker/Dockerfile lint"
"$py" "$here/lint_dockerfile.py" --self-test "$root" || die "docker/lint_dockerfile.py misses a broken Dockerfile"

step "build as the Dockerfile does"
version="test-$(git -C "$root" describe --tags --always --dirty 2>/dev/null || echo unknown)"
(cd "$root" && CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=$version" \
	-o "$tmp/build/matcalc" .) || die "go build of matcalc"
if readelf -l "$tmp/build/matcalc" | grep -q INTERP; then
	die "matcalc is dynamically linked"
fi
got=$("$tmp/build/matcalc" version) || die "matcalc version failed"
[ "$got" = "matcalc $version" ] || die "matcalc version printed '$got', want 'matcalc $version'"
echo "static binary, $(stat -c %s "$tmp/build/matcalc") bytes, version $got"

step "install.sh: which notebook files reach the home (fixture)"
# A fixture with everything notebooks/ may hold: notebooks in subfolders, an
# image beside them, exported HTML, build tools and scripts.
fx="$tmp/fixture-notebooks"
mkdir -p "$fx/html" "$fx/tools" "$fx/src" "$fx/part2/img" "$fx/.ipynb_checkpoints"
cat >"$fx/intro.ipynb" <<'EOF'
{"cells": [{"cell_type": "code", "execution_count": null, "id": "c1", "metadata": {},
  "outputs": [], "source": ["%who"]}],
 "metadata": {"kernelspec": {"display_name": "matcalc", "language": "matcalc", "name": "matcalc"}},
 "nbformat": 4, "nbformat_minor": 5}
EOF
cp "$fx/intro.ipynb" "$fx/part2/second.ipynb"
cp "$fx/intro.ipynb" "$fx/.ipynb_checkpoints/intro-checkpoint.ipynb"
cp "$fx/intro.ipynb" "$fx/tools/selftest.ipynb"
echo '<svg/>' >"$fx/part2/img/figure.svg"
echo '<html></html>' >"$fx/html/intro.html"
echo '# intro' >"$fx/src/intro.md"
echo 'echo build' >"$fx/build.sh"
echo 'print()' >"$fx/tools/build.py"
PATH="/usr/bin:$PATH" bash "$here/install.sh" \
	--binary "$tmp/build/matcalc" --bindir "$tmp/fx/bin" --prefix "$tmp/fx/prefix" \
	--notebooks "$fx" --share "$tmp/fx/share" --home "$tmp/fx/home" >/dev/null ||
	die "install.sh with the fixture notebooks"
want="./intro.ipynb ./part2/img/figure.svg ./part2/second.ipynb "
for d in "$tmp/fx/home/matcalc-notebooks" "$tmp/fx/share/notebooks"; do
	got=$(cd "$d" && find . -type f | sort | tr '\n' ' ')
	[ "$got" = "$want" ] || die "$d got notebook files '$got', want '$want'"
done
echo "only $want"

step "install.sh into a temporary prefix (Debian's Jupyter)"
if [ -d "$root/notebooks" ] && [ -n "$(find "$root/notebooks" -name '*.ipynb' -not -path "$root/notebooks/html/*" -not -path "$root/notebooks/tools/*" -not -path "$root/notebooks/src/*" | head -1)" ]; then
	notebooks="$root/notebooks"
else
	notebooks="$fx" # no course notebooks yet
fi
owner_args=()
if [ "$(id -u)" = 0 ]; then owner_args=(--owner 1000:100); fi
PATH="/usr/bin:$PATH" bash "$here/install.sh" \
	--binary "$tmp/build/matcalc" \
	--bindir "$tmp/bin" \
	--prefix "$tmp/prefix" \
	--name matcalc \
	--notebooks "$notebooks" \
	--share "$tmp/share" \
	--home "$tmp/home" \
	"${owner_args[@]}" \
	--hook-dir "$tmp/before-notebook.d" || die "install.sh"

export JUPYTER_PATH="$tmp/prefix/share/jupyter"
/usr/bin/jupyter kernelspec list | tee "$tmp/kernelspecs.txt"
awk '$1 == "matcalc" { print $2 }' "$tmp/kernelspecs.txt" | grep -qx "$tmp/prefix/share/jupyter/kernels/matcalc" ||
	die "jupyter kernelspec list does not show matcalc at $tmp/prefix/share/jupyter/kernels/matcalc"
[ -f "$tmp/home/matcalc-notebooks/$(cd "$notebooks" && find . -name '*.ipynb' -not -path './html/*' -not -path './tools/*' -not -path './src/*' | head -1)" ] ||
	die "notebooks were not copied into the home"
if [ "$(id -u)" = 0 ]; then
	bad=$(find "$tmp/home/matcalc-notebooks" \( -not -uid 1000 -o -not -gid 100 \) | head -3)
	[ -z "$bad" ] || die "not owned by 1000:100 in the home: $bad"
	echo "notebooks in the home owned by 1000:100"
fi
# The editors: classic Notebook loads the kernelspec's kernel.js; JupyterLab 4 and
# Notebook 7 read the settings overrides beside the kernels (the image's app dir).
[ -f "$tmp/prefix/share/jupyter/kernels/matcalc/kernel.js" ] || die "no kernel.js in the kernelspec"
/usr/bin/python3 - "$tmp/prefix/share/jupyter/lab/settings/overrides.json" <<'PY' || die "JupyterLab settings overrides"
import json, sys
o = json.load(open(sys.argv[1]))
for plugin, key in [("@jupyterlab/notebook-extension:tracker", "codeCellConfig"),
                    ("@jupyterlab/console-extension:tracker", "promptCellConfig"),
                    ("@jupyterlab/fileeditor-extension:plugin", "editorConfig")]:
    assert o[plugin][key]["autoClosingBrackets"] is False, (plugin, key, o)
print(f"editor settings: {sys.argv[1]} turns auto-closing off in cells, console, editor")
PY

step "matcalc install --sys-prefix follows the jupyter on the PATH, not python3 (issue 17)"
# A python3 without Jupyter first on the PATH (as pyenv's is on these machines) must not
# decide the prefix: the kernelspec goes where Debian's /usr/bin/jupyter looks, and the
# kernel still runs after the binary it was installed from is deleted. As root, in a
# private mount namespace over a scratch copy of /usr/share/jupyter; elsewhere skipped.
if [ "$(id -u)" = 0 ] && unshare --mount --propagation private true 2>/dev/null; then
	mkdir -p "$tmp/sp/decoy" "$tmp/sp/build"
	printf '#!/bin/sh\necho /decoy/prefix\n' >"$tmp/sp/decoy/python3"
	chmod +x "$tmp/sp/decoy/python3"
	cp -a /usr/share/jupyter "$tmp/sp/share-jupyter"
	cp "$tmp/build/matcalc" "$tmp/sp/build/matcalc"
	# shellcheck disable=SC2016  # expanded by the inner bash
	unshare --mount --propagation private env -u JUPYTER_PATH SP="$tmp/sp" HERE="$here" \
		PATH="$tmp/sp/decoy:/usr/bin:/bin" bash -euo pipefail -c '
mount --bind "$SP/share-jupyter" /usr/share/jupyter
[ "$(command -v python3)" = "$SP/decoy/python3" ] || { echo "the decoy python3 is not first on the PATH"; exit 1; }
"$SP/build/matcalc" install --sys-prefix | tee "$SP/out"
grep -q "for /usr/bin/jupyter (Python /usr/bin/python3, sys.prefix /usr)" "$SP/out"
jupyter kernelspec list | awk "\$1 == \"matcalc\" { print \$2 }" | grep -qx /usr/share/jupyter/kernels/matcalc
rm -rf "$SP/build"
/usr/bin/python3 "$HERE/kernel_check.py" matcalc "%who" >/dev/null
/usr/share/jupyter/kernels/matcalc/matcalc uninstall --sys-prefix
' || die "matcalc install --sys-prefix did not install where /usr/bin/jupyter looks"
	echo "--sys-prefix: /usr/share/jupyter/kernels/matcalc, listed by /usr/bin/jupyter with a decoy python3 first on the PATH; runs after the build was deleted"
else
	echo "not root or no mount namespace: skipped"
fi

step "jupyter_client: start the kernel and execute a cell"
"$py" "$here/kernel_check.py" matcalc '%who' || die "kernel start/execute through jupyter_client"

step "before-notebook.d hook restores the notebooks into an empty home"
hook="$tmp/before-notebook.d/matcalc-notebooks.sh"
[ -f "$hook" ] || die "install.sh wrote no hook"
bash -n "$hook" || die "the hook is not valid bash"
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
	mkdir -p "$tmp/student"
	chown 1000:100 "$tmp/student"
	# As the student, the way Zero-to-JupyterHub starts the container (uid 1000).
	setpriv --reuid=1000 --regid=100 --clear-groups env HOME="$tmp/student" \
		bash -c "set +e; source '$hook'" || die "the hook failed as uid 1000"
	[ -n "$(find "$tmp/student/matcalc-notebooks" -name '*.ipynb')" ] ||
		die "the hook (uid 1000) did not copy the notebooks"
	# As root, the way start.sh runs hooks when the container starts as root.
	mkdir -p "$tmp/roothome/jovyan"
	(cd / && NB_USER="../$tmp/roothome/jovyan" NB_UID=1000 NB_GID=100 \
		bash -c "set +e; source '$hook'") || die "the hook failed as root"
	[ -d "$tmp/roothome/jovyan/matcalc-notebooks" ] || die "the hook (root) did not copy the notebooks"
	bad=$(find "$tmp/roothome/jovyan/matcalc-notebooks" \( -not -uid 1000 -o -not -gid 100 \) | head -3)
	[ -z "$bad" ] || die "the hook (root) copied notebooks not owned by 1000:100: $bad"
	# A second start must not overwrite what the student changed.
	f=$(find "$tmp/student/matcalc-notebooks" -name '*.ipynb' | head -1)
	echo "student work" >"$f"
	setpriv --reuid=1000 --regid=100 --clear-groups env HOME="$tmp/student" \
		bash -c "set +e; source '$hook'" || die "the hook failed on a second start"
	[ "$(cat "$f")" = "student work" ] || die "the hook overwrote the student's notebook"
	echo "hook: ok as uid 1000 and as root; a second start keeps the student's work"
else
	HOME="$tmp/student" bash -c "set +e; source '$hook'" || die "the hook failed"
	[ -n "$(find "$tmp/student/matcalc-notebooks" -name '*.ipynb')" ] || die "the hook did not copy the notebooks"
	echo "hook: ok as $(id -un)"
fi

step "the Dockerfile's final stage, simulated on the host (mount namespace)"
if [ "$(id -u)" = 0 ]; then
	bash "$here/simulate_image.sh" "$tmp/build/matcalc" || die "simulated image build (docker/simulate_image.sh)"
else
	echo "not root: skipped (docker/simulate_image.sh needs a mount namespace and chown)"
fi

step "hub examples"
"$py" - "$here" <<'EOF' || die "hub examples"
import sys, types, yaml
here = sys.argv[1]

class Cfg(dict):
    def __getattr__(self, k):
        if k.startswith("__"):
            raise AttributeError(k)
        return self.setdefault(k, Cfg())
    def __setattr__(self, k, v):
        self[k] = v

c = Cfg()
src = open(f"{here}/jupyterhub_config.py").read()
exec(compile(src, "jupyterhub_config.py", "exec"), {"get_config": lambda: c, "__name__": "__main__"})
ds = c.DockerSpawner
assert c.JupyterHub.spawner_class == "dockerspawner.DockerSpawner", "spawner_class is not DockerSpawner"
assert str(ds.image).startswith("matcalc-notebook:"), f"DockerSpawner.image {ds.image!r}"
assert ds.mem_limit, "DockerSpawner.mem_limit unset"
assert any(v == "/home/jovyan" or (isinstance(v, dict) and v.get("bind") == "/home/jovyan")
           for v in dict(ds.volumes).values()), "no volume on /home/jovyan"
assert "cmd" not in ds, "DockerSpawner.cmd must not replace the image's start scripts"
print(f"jupyterhub_config.py: ok (image {ds.image}, mem_limit {ds.mem_limit})")

v = yaml.safe_load(open(f"{here}/z2jh-values.yaml"))
su = v["singleuser"]
assert su["image"]["name"] and su["image"]["tag"], "singleuser.image name/tag"
assert su["image"]["tag"] != "latest", "singleuser.image.tag must be pinned"
mem = su["memory"]
assert mem["guarantee"] and mem["limit"], "singleuser.memory guarantee/limit"
assert su.get("cmd") in (None,), "singleuser.cmd must stay unset (the image's start scripts)"
print(f"z2jh-values.yaml: ok (image {su['image']['name']}:{su['image']['tag']}, "
      f"memory {mem['guarantee']}..{mem['limit']})")
EOF

printf '\ndocker/test.sh: all checks passed\n'
