#!/usr/bin/env bash
# Every test of the notebooks (CI runs this from .ci/test):
#   1. the tooling's self-test: build, check, export, browser test and live Notebook run of a
#      small notebook in a scratch folder (matcalc's kernel; ipykernel only while matcalc
#      cannot run cells at all, said loudly);
#   2. check: every committed notebooks/*.ipynb is its source built, executes afresh with no
#      error, and gives the committed outputs (up to timings and measured errors);
#   3. export every notebook to HTML and assert in headless Chromium that MathJax typeset it,
#      and that no derivation or verdict is wider than a 900-pixel column (width_test.py);
#      render every formula of the notebooks and of a corpus of fresh outputs with KaTeX,
#      MathJax 3 and MathJax 4, strict (tools/render/test.sh);
#   4. the live pages (notebooks/html/live/, matcalc in WebAssembly): headless Chromium runs
#      every cell of every page and compares the outputs with the committed notebooks, and
#      tests the window.matcalc API; a screenshot per page in notebooks/html/live-shots/;
#   5. classic Notebook 6.4 + selenium runs all cells of one notebook live; its screenshot is
#      kept in notebooks/html/ (and copied to $ARTIFACTS when that is set).
# The matcalc kernel is built from this checkout and installed in a scratch folder.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=/usr/local/go/bin:$PATH PYDEVD_DISABLE_FILE_VALIDATION=1
py=/usr/bin/python3
tools=notebooks/tools
step() { printf '\n=== notebooks: %s\n' "$*"; }
loud() { printf '\n!!!!!!!!!! %s\n\n' "$*"; }

have_kernel() { jupyter kernelspec list 2>/dev/null | grep -q '^ *matcalc ' ||
	$py -c 'import jupyter_client.kernelspec as k,sys; sys.exit("matcalc" not in k.find_kernel_specs())'; }

scratch=$(mktemp -d /tmp/nb-test.XXXXXX)
trap 'rm -rf "$scratch"' EXIT

step "matcalc kernel, built from this checkout"
# Installed under a scratch prefix that JUPYTER_PATH puts first, so the tests run this
# checkout's kernel whatever else is installed, and install nothing for the user.
if [ -f main.go ] && go build -o "$scratch/matcalc" . &&
	"$scratch/matcalc" install --prefix "$scratch/prefix"; then
	export JUPYTER_PATH="$scratch/prefix/share/jupyter${JUPYTER_PATH:+:$JUPYTER_PATH}"
else
	loud "cannot build or install the matcalc kernel from this checkout"
fi
have_kernel && echo "matcalc kernel: installed" || echo "matcalc kernel: NOT installed"

shopt -s nullglob
notebooks=() # the course notebooks: those with a source (not a scratch Untitled.ipynb)
for f in notebooks/*.ipynb; do
	if [ -f "notebooks/src/$(basename "$f" .ipynb).md" ]; then notebooks+=("$f"); fi
done
coded=()
for f in "${notebooks[@]}"; do grep -q '"cell_type": "code"' "$f" && coded+=("$f"); done
committed=${#notebooks[@]} with_code=${#coded[@]}

step "tooling self-test"
$py $tools/test_normalise.py
selftest() { # $1 = folder of self-test sources; set -e does not apply inside an if
	rm -rf "$scratch/nb" "$scratch/html" && mkdir -p "$scratch/nb"
	$py $tools/nbtools.py build --src "$1" --nbdir "$scratch/nb" >"$scratch/build.log" 2>&1
	local rc=$?
	cat "$scratch/build.log"
	[ $rc = 0 ] || return 1
	# A teacher's scratch notebook and Jupyter's autosaves beside the course ones are left
	# alone (issue 10): this one is not even valid, and must not fail the check or export.
	mkdir -p "$scratch/nb/.ipynb_checkpoints"
	echo '{"not": "a notebook"}' >"$scratch/nb/Untitled.ipynb"
	cp "$scratch/nb/Untitled.ipynb" "$scratch/nb/.ipynb_checkpoints/Untitled-checkpoint.ipynb"
	$py $tools/nbtools.py check --src "$1" --nbdir "$scratch/nb" || return 1
	$py $tools/nbtools.py export --src "$1" --nbdir "$scratch/nb" --html "$scratch/html" || return 1
	$py $tools/browser_test.py "$scratch/html" "$scratch/nb" || return 1
	$py $tools/live_test.py "$scratch/nb/selftest.ipynb" notebooks/html/live-selftest.png || return 1
}
fallback=0
if have_kernel; then
	if selftest $tools/selftest/matcalc; then
		echo "self-test: ok with the matcalc kernel"
	elif [ "$with_code" = 0 ] && grep -q "not implemented" "$scratch/build.log"; then
		fallback=1
	else
		echo "self-test: FAIL with the matcalc kernel (see above)"
		exit 1
	fi
elif [ "$with_code" = 0 ]; then
	fallback=1
else
	echo "self-test: FAIL: notebooks with code cells are committed but no matcalc kernel is installed"
	exit 1
fi
if [ $fallback = 1 ]; then
	loud "THE MATCALC KERNEL CANNOT RUN CELLS YET (language not implemented, or no kernel): the tooling's self-test runs against ipykernel instead"
	selftest $tools/selftest/python || { echo "self-test: FAIL with ipykernel"; exit 1; }
	echo "self-test: ok with ipykernel"
fi

step "check the committed notebooks ($committed, $with_code with code cells)"
if [ "$committed" = 0 ]; then
	loud "NO EXECUTED NOTEBOOKS ARE COMMITTED YET: only the tooling's self-test ran"
else
	$py $tools/nbtools.py check
	step "export HTML and check that MathJax typesets every page"
	$py $tools/nbtools.py export
	$py $tools/browser_test.py notebooks/html notebooks
	step "no derivation or verdict wider than a 900-pixel content column (Chromium)"
	$py $tools/width_test.py notebooks/html
	step "every formula in KaTeX 0.16, MathJax 3.2 and MathJax 4, strict (tools/render)"
	bash $tools/render/test.sh
	step "live pages: every cell run in the browser (WebAssembly), outputs compared"
	$py $tools/live_pages_test.py notebooks/html notebooks
	# The ODE notebook has derivations, plots and exact results: the most to go wrong live.
	live=${NB_LIVE:-}
	[ -z "$live" ] && [ -f notebooks/09-matrix-ode.ipynb ] && live=notebooks/09-matrix-ode.ipynb
	[ -z "$live" ] && live=${coded[0]:-}
	if [ -n "$live" ]; then
		step "run $live live in Notebook 6.4"
		$py $tools/live_test.py "$live" "notebooks/html/live-$(basename "$live" .ipynb).png"
	else
		loud "no committed notebook has code cells: the live Notebook run covered the self-test only"
	fi
fi
if [ -n "${ARTIFACTS:-}" ]; then
	mkdir -p "$ARTIFACTS"
	cp notebooks/html/live-*.png "$ARTIFACTS"/
	echo "screenshots copied to $ARTIFACTS"
fi
echo "notebooks: all tests passed"
