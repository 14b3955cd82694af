#!/usr/bin/env bash
# The README's main command: build the matcalc binary, install its Jupyter kernel for the
# user, execute every notebook source (notebooks/src/*.md -> notebooks/*.ipynb, with
# outputs) and write the HTML set (notebooks/html/, MathJax beside it, renders offline).
#   notebooks/build.sh                # everything
#   notebooks/build.sh --only 09-ode  # one notebook (names without .md)
# A notebook with a failing cell is reported and not written; the exit status is then 1.
# Works as root and as a normal user (nothing here needs root).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
export PATH=/usr/local/go/bin:$PATH PYDEVD_DISABLE_FILE_VALIDATION=1
py=/usr/bin/python3

echo "== build the matcalc binary: $root/matcalc"
go build -o matcalc .
echo "== install the matcalc Jupyter kernel for $(id -un)"
./matcalc install --user

status=0
echo "== execute the notebooks (notebooks/src/*.md -> notebooks/*.ipynb)"
$py notebooks/tools/nbtools.py build "$@" || status=1
echo "== export HTML (notebooks/*.ipynb -> notebooks/html/)"
$py notebooks/tools/nbtools.py export "$@" || status=1
echo
if [ $status = 0 ]; then
	echo "build.sh: done: every notebook executed and exported."
else
	echo "build.sh: FAILED: some notebooks did not build or export (see FAIL above)."
fi
if [ -f notebooks/html/index.html ]; then
	echo "The HTML: $root/notebooks/html/index.html (open it in a browser; it renders offline)"
fi
exit $status
