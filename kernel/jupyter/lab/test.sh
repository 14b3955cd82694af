#!/usr/bin/env bash
# JupyterLab's own code against matcalc (CI runs this from .ci/test):
#   1. @jupyterlab/services 7 (JupyterLab 4: the v1 binary websocket protocol)
#      and 6 (JupyterLab 3: JSON frames), in Node with ws, drive the kernel
#      through Debian's Jupyter Server: kernelspecs, session and kernel start,
#      execute with LaTeX output, complete, inspect, is_complete, interrupt,
#      restart, shutdown (services.mjs);
#   2. every output of every committed notebook rendered by @jupyterlab/rendermime
#      with JupyterLab's MathJax 3 typesetter, bundled by esbuild into a page
#      that headless Chromium opens (build.mjs, render.mjs): no render error;
#      one screenshot per notebook in notebooks/html/lab-*.png (and $ARTIFACTS);
#      and JupyterLab's editor finds a highlighting mode for language_info.
# The npm packages are pinned by package-lock.json and installed here (npm ci).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
export PATH=/usr/local/go/bin:$PATH
PY=/usr/bin/python3
tmp="$(mktemp -d)"
server=""
cleanup() {
	if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
	rm -rf "$tmp"
}
trap cleanup EXIT
step() { printf '\n== lab: %s\n' "$*"; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f s", b - a }'; }

command -v node >/dev/null || { echo "lab: node is not installed (.ci/deps: nodejs)" >&2; exit 1; }
t=$(now)
step "npm ci (package-lock.json: @jupyterlab/services 7.6.6 and 6.6.8, rendermime 4.6.6, esbuild, playwright-core, ws)"
(cd "$here" && npm ci --prefer-offline --no-audit --no-fund --loglevel=error)
echo "npm ci: $(since "$t")"

(cd "$root" && go build -o "$tmp/bin/matcalc" .)
"$tmp/bin/matcalc" install --prefix "$tmp/prefix" >/dev/null
export JUPYTER_PATH="$tmp/prefix/share/jupyter"
export JUPYTER_RUNTIME_DIR="$tmp/runtime" JUPYTER_DATA_DIR="$tmp/data" JUPYTER_CONFIG_DIR="$tmp/config"
export PYDEVD_DISABLE_FILE_VALIDATION=1 PYTHONWARNINGS=ignore

t=$(now)
step "Jupyter Server (Debian's python3-jupyter-server) with the matcalc kernelspec"
port=$($PY -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
token=$($PY -c 'import secrets; print(secrets.token_hex(16))')
mkdir -p "$tmp/root"
$PY -m jupyter_server --ServerApp.ip=127.0.0.1 --ServerApp.port="$port" --ServerApp.port_retries=0 \
	--ServerApp.token="$token" --ServerApp.open_browser=False --ServerApp.allow_root=True \
	--ServerApp.root_dir="$tmp/root" >"$tmp/server.log" 2>&1 &
server=$!
base="http://127.0.0.1:$port/"
for _ in $(seq 100); do
	$PY -c "import urllib.request, sys; urllib.request.urlopen(sys.argv[1])" "${base}api/status?token=$token" 2>/dev/null && break
	kill -0 "$server" 2>/dev/null || { cat "$tmp/server.log"; echo "lab: the server exited" >&2; exit 1; }
	sleep 0.1
done
echo "server up at $base: $(since "$t")"

status=0
for pkg in @jupyterlab/services services6; do
	t=$(now)
	step "$pkg"
	(cd "$here" && node services.mjs "$pkg" "$base" "$token") || status=1
	echo "$pkg: $(since "$t")"
done
kill "$server"; wait "$server" 2>/dev/null || true; server=""
if [ "$status" != 0 ]; then
	echo "--- server log"; tail -40 "$tmp/server.log"
	exit 1
fi

t=$(now)
step "rendermime page (esbuild bundle) in headless Chromium"
(cd "$here" && node build.mjs)
shots="$root/notebooks/html"
(cd "$here" && node render.mjs "$root/notebooks" "$shots")
echo "render: $(since "$t")"
if [ -n "${ARTIFACTS:-}" ]; then
	mkdir -p "$ARTIFACTS"
	cp "$shots"/lab-*.png "$ARTIFACTS"/
	echo "screenshots copied to $ARTIFACTS"
fi
echo "lab: all passed"
