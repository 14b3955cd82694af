#!/usr/bin/env bash
# The renderer test (run by notebooks/test.sh): every formula of every committed notebook
# (markdown and outputs) and of a corpus of fresh outputs (corpus/corpus.md: every
# function, command, verdict, magic, error and ODE result, executed now by this checkout's
# kernel) is typeset with KaTeX 0.16, MathJax 3.2 and MathJax 4 with JupyterLab's package
# set, in Node, errors and strict mode on (render.mjs). Any failure fails the test.
# The renderers come from npm, pinned by package-lock.json (npm ci).
set -euo pipefail
cd "$(dirname "$0")/../../.."
export PATH=/usr/local/go/bin:$PATH PYDEVD_DISABLE_FILE_VALIDATION=1
here=notebooks/tools/render
scratch=$(mktemp -d /tmp/render-test.XXXXXX)
trap 'rm -rf "$scratch"' EXIT

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
	echo "render: node and npm are needed (.ci/deps installs them)"
	exit 1
fi
# npm ci only when the lock changed since the last install (node_modules is not committed).
if ! cmp -s $here/package-lock.json $here/node_modules/.installed-lock.json 2>/dev/null; then
	(cd $here && npm ci --no-audit --no-fund --loglevel=error && cp package-lock.json node_modules/.installed-lock.json)
fi

go build -o "$scratch/matcalc" . && "$scratch/matcalc" install --prefix "$scratch/prefix" >/dev/null
export JUPYTER_PATH="$scratch/prefix/share/jupyter${JUPYTER_PATH:+:$JUPYTER_PATH}"
/usr/bin/python3 notebooks/tools/nbtools.py build --src $here/corpus --nbdir "$scratch/nb"
node $here/render.mjs notebooks/*.ipynb "$scratch"/nb/*.ipynb
