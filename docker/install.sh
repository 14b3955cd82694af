#!/usr/bin/env bash
# Install matcalc into a Jupyter environment: the binary, its kernelspec,
# the course notebooks and a start-up hook that gives each student a copy.
#
# The Dockerfile runs this script as root inside quay.io/jupyter/base-notebook;
# docker/test.sh runs the very same script on the host against Debian's Jupyter
# with every path pointed into a temporary directory. Nothing here knows which
# of the two it is in: all paths come from the options.
#
# Usage:
#   install.sh --binary FILE --bindir DIR (--sys-prefix | --prefix DIR)
#              [--name NAME] [--notebooks DIR --share DIR --home DIR]
#              [--owner UID:GID] [--hook-dir DIR] [--fix-permissions]
#
#   --binary FILE       the matcalc binary to install
#   --bindir DIR        where it goes (the kernelspec's argv points here)
#   --sys-prefix        kernelspec into the prefix of the Python that runs
#                       $JUPYTER (image)
#   --prefix DIR        kernelspec into DIR/share/jupyter/kernels (CI)
#   --name NAME         kernelspec name (default matcalc)
#   --notebooks DIR     course notebooks to ship: the *.ipynb files and the
#                       images and data beside them (png, svg, jpg, gif, csv),
#                       keeping subfolders; not DIR/html (exported HTML), nor
#                       DIR/tools, DIR/src and scripts (how they are made)
#   --share DIR         pristine copy of them goes to DIR/notebooks
#   --home DIR          the student's home: notebooks go to DIR/matcalc-notebooks
#   --owner UID:GID     owner of the copy in --home (needs root)
#   --hook-dir DIR      write DIR/matcalc-notebooks.sh, a Docker Stacks
#                       before-notebook.d hook that restores the notebooks into
#                       a home that a hub volume has hidden
#   --fix-permissions   run the image's fix-permissions on what was installed
#
# Environment: JUPYTER (default: jupyter) is the command used to check that the
# kernelspec is visible.
set -euo pipefail

die() { echo "install.sh: $*" >&2; exit 1; }

binary="" bindir="" mode="" prefix="" name="matcalc"
notebooks="" share="" home="" owner="" hookdir="" fixperm=0
while [ $# -gt 0 ]; do
	case "$1" in
	--binary) binary=${2:?}; shift 2 ;;
	--bindir) bindir=${2:?}; shift 2 ;;
	--sys-prefix) mode=sys-prefix; shift ;;
	--prefix) mode=prefix; prefix=${2:?}; shift 2 ;;
	--name) name=${2:?}; shift 2 ;;
	--notebooks) notebooks=${2:?}; shift 2 ;;
	--share) share=${2:?}; shift 2 ;;
	--home) home=${2:?}; shift 2 ;;
	--owner) owner=${2:?}; shift 2 ;;
	--hook-dir) hookdir=${2:?}; shift 2 ;;
	--fix-permissions) fixperm=1; shift ;;
	-h | --help) sed -n '2,30p' "$0"; exit 0 ;;
	*) die "unknown option: $1 (see --help)" ;;
	esac
done
[ -n "$binary" ] || die "--binary is required"
[ -n "$bindir" ] || die "--bindir is required"
[ -n "$mode" ] || die "one of --sys-prefix or --prefix DIR is required"
[ -f "$binary" ] || die "no binary at $binary"
if [ -n "$notebooks" ]; then
	[ -d "$notebooks" ] || die "no notebooks directory at $notebooks"
	if [ -z "$share" ] || [ -z "$home" ]; then die "--notebooks needs --share and --home"; fi
fi
jupyter=${JUPYTER:-jupyter}

# 1. The binary. Absolute path: the kernelspec's argv must not depend on PATH.
mkdir -p "$bindir"
bindir=$(cd "$bindir" && pwd)
install -m 0755 "$binary" "$bindir/matcalc"
exe="$bindir/matcalc"
version=$("$exe" version) || die "$exe version failed"
echo "install.sh: installed $exe ($version)"

# 2. The kernelspec, through matcalc's own installer; its argv runs $exe where
#    it is (--in-place), the lasting place this script installed it to.
if [ "$mode" = sys-prefix ]; then
	"$exe" install --sys-prefix --jupyter "$jupyter" --in-place --name "$name"
else
	mkdir -p "$prefix"
	prefix=$(cd "$prefix" && pwd)
	"$exe" install --prefix "$prefix" --in-place --name "$name"
	export JUPYTER_PATH="$prefix/share/jupyter${JUPYTER_PATH:+:$JUPYTER_PATH}"
fi

# 3. Jupyter must see it, with an absolute argv[0] that is our binary, and
#    (in the image) outside the home directory, which hubs hide under a volume.
kdir=$("$jupyter" kernelspec list | awk -v n="$name" '$1 == n { print $2 }')
[ -n "$kdir" ] || die "'$jupyter kernelspec list' does not list '$name'"
[ -f "$kdir/kernel.json" ] || die "no kernel.json in $kdir"
grep -q "\"$exe\"" "$kdir/kernel.json" ||
	die "$kdir/kernel.json does not run $exe: $(tr -d '\n' <"$kdir/kernel.json")"
if [ "$mode" = prefix ]; then
	case "$kdir" in "$prefix"/*) ;; *) die "kernelspec at $kdir, not under $prefix" ;; esac
fi
if [ -n "$home" ]; then
	case "$kdir" in "$home" | "$home"/*) die "kernelspec at $kdir is inside $home: a hub volume would hide it" ;; esac
fi
echo "install.sh: kernelspec '$name' at $kdir"

# 3b. The editors of JupyterLab 4 and Notebook 7, which read the settings
#     overrides of the Jupyter data directory the kernelspec is in: no
#     auto-closing of brackets and quotes in notebook cells, the console and
#     the file editor, as the kernelspec's kernel.js does in classic Notebook
#     (' is matcalc's transpose). They are defaults: a student's own setting
#     still wins. Plugin ids and keys are JupyterLab 4's settings schemas'.
overrides="$(dirname "$(dirname "$kdir")")/lab/settings/overrides.json"
ours='{
  "@jupyterlab/notebook-extension:tracker": {
    "codeCellConfig": { "autoClosingBrackets": false }
  },
  "@jupyterlab/console-extension:tracker": {
    "promptCellConfig": { "autoClosingBrackets": false }
  },
  "@jupyterlab/fileeditor-extension:plugin": {
    "editorConfig": { "autoClosingBrackets": false }
  }
}'
if [ -e "$overrides" ] && [ "$(cat "$overrides")" != "$ours" ]; then
	die "$overrides exists: add matcalc's settings to it by hand (install.sh, step 3b)"
fi
mkdir -p "$(dirname "$overrides")"
printf '%s\n' "$ours" >"$overrides"
chmod 0644 "$overrides"
echo "install.sh: JupyterLab/Notebook 7 editor settings in $overrides"

# 4. The notebooks: a pristine copy in $share, a working copy in $home.
if [ -n "$notebooks" ]; then
	mkdir -p "$share/notebooks" "$home/matcalc-notebooks"
	for dest in "$share/notebooks" "$home/matcalc-notebooks"; do
		(cd "$notebooks" && find . \( -path ./html -o -path ./tools -o -path ./src \
			-o -name .ipynb_checkpoints -o -name __pycache__ \) -prune -o -type f \
			\( -name '*.ipynb' -o -name '*.png' -o -name '*.svg' -o -name '*.jpg' \
			-o -name '*.jpeg' -o -name '*.gif' -o -name '*.csv' \) -print0 |
			xargs -0r cp --parents -t "$dest")
	done
	chmod -R a+rX "$share"
	if [ -n "$owner" ]; then
		chown -R "$owner" "$home/matcalc-notebooks"
	fi
	echo "install.sh: $(find "$share/notebooks" -name '*.ipynb' | wc -l) notebooks in $share/notebooks and $home/matcalc-notebooks"
fi

# 5. The start-up hook. Docker Stacks' start.sh sources before-notebook.d/*.sh
#    as root or as the user, with errexit off; a hub may have mounted an empty
#    volume over the home. Copy the notebooks in when they are missing; never
#    overwrite a student's work.
if [ -n "$hookdir" ]; then
	[ -n "$notebooks" ] || die "--hook-dir needs --notebooks"
	mkdir -p "$hookdir"
	cat >"$hookdir/matcalc-notebooks.sh" <<EOF
# matcalc: give the student a copy of the course notebooks (written by install.sh).
if [ "\$(id -u)" = 0 ]; then
	matcalc_home="/home/\${NB_USER:-jovyan}"
else
	matcalc_home="\${HOME:-/home/jovyan}"
fi
if [ -d "\$matcalc_home" ] && [ ! -e "\$matcalc_home/matcalc-notebooks" ]; then
	if cp -R "$share/notebooks" "\$matcalc_home/matcalc-notebooks"; then
		if [ "\$(id -u)" = 0 ]; then
			chown -R "\${NB_UID:-1000}:\${NB_GID:-100}" "\$matcalc_home/matcalc-notebooks"
		fi
		echo "matcalc: copied the course notebooks into \$matcalc_home/matcalc-notebooks"
	else
		echo "matcalc: WARNING: could not copy the course notebooks into \$matcalc_home" >&2
	fi
fi
unset matcalc_home
EOF
	chmod 0644 "$hookdir/matcalc-notebooks.sh"
	echo "install.sh: start-up hook $hookdir/matcalc-notebooks.sh"
fi

# 6. Docker Stacks convention: group ${NB_GID}-writable after installs.
if [ "$fixperm" = 1 ]; then
	command -v fix-permissions >/dev/null || die "--fix-permissions: no fix-permissions command"
	fix-permissions "$kdir"
	if [ -n "$home" ]; then fix-permissions "$home"; fi
fi
echo "install.sh: done"
