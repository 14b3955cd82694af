#!/usr/bin/env bash
# Builds matcalc, installs its kernelspec into a temporary prefix, and runs
# the Jupyter-side tests against it: the official conformance suite
# (jupyter_kernel_test), a scripted jupyter console session, an nbclient
# notebook run, and interrupt/shutdown through jupyter_client, in both
# interrupt modes (message, and signal: SIGINT to the process group); and
# the restart and stop_on_error probes of issue 15 (test_restart.py); and
# classic Notebook's editor with the kernelspec's kernel.js (test_editor.py).
# Needs Debian's python3-jupyter-kernel-test, python3-nbclient,
# jupyter-console (see .ci/deps).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

PY=/usr/bin/python3
(cd "$root" && go build -o "$tmp/bin/matcalc" .)
"$tmp/bin/matcalc" install --prefix "$tmp/prefix" >/dev/null
# The kernelspec runs its own copy of the binary: every test below runs with the
# build deleted, as after a moved or deleted checkout (issue 10).
rm -rf "$tmp/bin"
kernels="$tmp/prefix/share/jupyter/kernels"
# A second spec that is interrupted with SIGINT, as signal-mode clients do.
mkdir -p "$kernels/matcalc-signal"
cp "$kernels/matcalc/"logo-* "$kernels/matcalc-signal/"
sed 's/"interrupt_mode": "message"/"interrupt_mode": "signal"/' \
	"$kernels/matcalc/kernel.json" >"$kernels/matcalc-signal/kernel.json"

export JUPYTER_PATH="$tmp/prefix/share/jupyter"
export JUPYTER_RUNTIME_DIR="$tmp/runtime"
export JUPYTER_DATA_DIR="$tmp/data"
export JUPYTER_CONFIG_DIR="$tmp/config"
export PYDEVD_DISABLE_FILE_VALIDATION=1
# Debian's jupyter_client imports the debugger's frozen-modules check.
export PYTHONWARNINGS=ignore

jupyter kernelspec list >"$tmp/specs"
grep -q "^  matcalc " "$tmp/specs" || { echo "kernelspec not found" >&2; exit 1; }

cd "$here"
echo "== conformance (jupyter_kernel_test)"
$PY -m unittest test_conformance
echo "== clients (console, nbclient, interrupt, shutdown)"
$PY -m unittest test_clients
echo "== clients, signal interrupt mode"
MATCALC_KERNEL=matcalc-signal $PY -m unittest test_clients.InterruptShutdownTest
echo "== restart then execute, stop_on_error bursts under load (50 rounds each)"
MATCALC_ROUNDS=50 $PY -m unittest test_restart
echo "== classic Notebook's editor: kernel.js keeps quotes as typed (selenium)"
$PY -m unittest test_editor
echo "kernel/jupyter: all passed"
