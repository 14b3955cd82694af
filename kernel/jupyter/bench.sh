#!/usr/bin/env bash
# Builds matcalc, installs its kernelspec into a temporary prefix, and runs
# bench.py against it and ipykernel (python3-ipykernel). Arguments go to
# bench.py (--starts N --rtts N).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
(cd "$root" && go build -o "$tmp/bin/matcalc" .)
"$tmp/bin/matcalc" install --prefix "$tmp/prefix" >/dev/null
export JUPYTER_PATH="$tmp/prefix/share/jupyter"
export JUPYTER_RUNTIME_DIR="$tmp/runtime"
export PYDEVD_DISABLE_FILE_VALIDATION=1
/usr/bin/python3 "$here/bench.py" "$@" 2> >(grep -v 'frozen modules\|Debugger warning\|Xfrozen_modules\|PYDEVD_DISABLE\|^0.00s' >&2)
