#!/usr/bin/env bash
# The README's main command: build the matcalc binary, install its Jupyter kernel,
# execute every notebook source (notebooks/src/*.md -> notebooks/*.ipynb, with outputs)
# and write the HTML set (notebooks/html/, MathJax beside it, renders offline).
#   notebooks/build.sh                # everything
#   notebooks/build.sh --only 09-ode  # one notebook (names without .md)
# A notebook with a failing cell is reported and not written; the exit status is then 1.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=/usr/local/go/bin:$PATH PYDEVD_DISABLE_FILE_VALIDATION=1
py=/usr/bin/python3

echo "== build the matcalc binary and install the kernel"
go build -o matcalc .
./matcalc install --user

status=0
echo "== execute the notebooks"
$py notebooks/tools/nbtools.py build "$@" || status=1
echo "== export HTML"
$py notebooks/tools/nbtools.py export "$@" || status=1
[ -f notebooks/html/index.html ] && echo "open notebooks/html/index.html"
exit $status
