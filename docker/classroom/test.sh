#!/usr/bin/env bash
# The classroom test of CI: a real JupyterHub (Debian's jupyterhub 3.0 and
# configurable-http-proxy) on 127.0.0.1 with 10 students on classic Notebook
# 6.4 servers, every course notebook run by every student at once through
# the proxy and the kernel websocket and compared with the committed one,
# while a kernel is killed mid-cell, a server is killed, the hub restarts
# and an idle kernel is culled (docker/classroom/faults.py). About a minute
# on 2 cores. Needs jupyterhub and node-configurable-http-proxy (.ci/deps).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
export PATH=/usr/local/go/bin:$PATH

(cd "$root" && go build -o "$tmp/bin/matcalc" .)
"$tmp/bin/matcalc" install --prefix "$tmp/prefix" >/dev/null 2>&1
export PYTHONWARNINGS=ignore
start=$(date +%s)
/usr/bin/python3 "$here/driver.py" --students "${CLASS_STUDENTS:-10}" --faults \
	--jupyter-path "$tmp/prefix/share/jupyter" --dir "$tmp/class" --deadline 300
echo "docker/classroom: passed in $(($(date +%s) - start)) s"
