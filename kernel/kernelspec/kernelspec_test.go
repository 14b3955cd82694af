package kernelspec

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// fakeKernel writes an executable script that prints its argv, standing in
// for the kernel binary.
func fakeKernel(t *testing.T, dir string) string {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "matcalc")
	if err := os.WriteFile(p, []byte("#!/bin/sh\necho fake kernel \"$@\"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

func readSpec(t *testing.T, dir string) map[string]any {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "kernel.json"))
	if err != nil {
		t.Fatal(err)
	}
	var kj map[string]any
	if err := json.Unmarshal(b, &kj); err != nil {
		t.Fatal(err)
	}
	return kj
}

func TestInstallUninstall(t *testing.T) {
	dir := t.TempDir()
	spec, err := New(fakeKernel(t, filepath.Join(dir, "build")), "matcalc", "matcalc")
	if err != nil {
		t.Fatal(err)
	}
	kernels := filepath.Join(dir, "kernels")
	in, err := Install(kernels, "matcalc", spec, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if in.Dir != filepath.Join(kernels, "matcalc") {
		t.Errorf("installed in %s", in.Dir)
	}
	kj := readSpec(t, in.Dir)
	argv, _ := kj["argv"].([]any)
	if len(argv) != 4 || argv[0] != filepath.Join(in.Dir, "matcalc") || argv[1] != "kernel" || argv[2] != "-f" || argv[3] != "{connection_file}" {
		t.Errorf("argv %v, want the copy %s first", argv, filepath.Join(in.Dir, "matcalc"))
	}
	for k, want := range map[string]string{"display_name": "matcalc", "language": "matcalc", "interrupt_mode": "message"} {
		if kj[k] != want {
			t.Errorf("%s = %v, want %s", k, kj[k], want)
		}
	}
	for _, size := range []int{32, 64} {
		f, err := os.Open(filepath.Join(in.Dir, fmt.Sprintf("logo-%dx%d.png", size, size)))
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		if b := img.Bounds(); b.Dx() != size || b.Dy() != size {
			t.Errorf("logo %d is %v", size, b)
		}
	}
	// kernel.js: an AMD module for classic Notebook that turns quote
	// closing off (its behaviour is tested in a browser by
	// kernel/jupyter/test_editor.py).
	js, err := os.ReadFile(filepath.Join(in.Dir, "kernel.js"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"define([", "onload", "'autoCloseBrackets', pairs", "var pairs = '()[]{}';"} {
		if !bytes.Contains(js, []byte(want)) {
			t.Errorf("kernel.js lacks %q", want)
		}
	}
	if _, err := Uninstall(kernels, "matcalc"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(in.Dir); !os.IsNotExist(err) {
		t.Errorf("%s still there after uninstall", in.Dir)
	}
	if _, err := Uninstall(kernels, "matcalc"); err == nil {
		t.Error("uninstalling twice succeeded")
	}
	for _, bad := range []string{"", "..", "a/b", "mat calc", "matcalc²", `a\b`} {
		if _, err := Install(kernels, bad, spec, Options{}); err == nil {
			t.Errorf("Install(%q) succeeded", bad)
		}
	}
}

// TestInstallSurvivesMove installs from a build directory, deletes it, and
// runs what kernel.json says: the copy must still run (issue 10).
func TestInstallSurvivesMove(t *testing.T) {
	dir := t.TempDir()
	build := filepath.Join(dir, "checkout")
	spec, err := New(fakeKernel(t, build), "matcalc", "matcalc")
	if err != nil {
		t.Fatal(err)
	}
	in, err := Install(filepath.Join(dir, "kernels"), "matcalc", spec, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !in.Copied || strings.HasPrefix(in.Binary, build) {
		t.Fatalf("kernel runs %s (copied %v): inside the build directory", in.Binary, in.Copied)
	}
	if err := os.RemoveAll(build); err != nil {
		t.Fatal(err)
	}
	argv := readSpec(t, in.Dir)["argv"].([]any)
	out, err := exec.Command(argv[0].(string), "kernel", "-f", "conn.json").CombinedOutput()
	if err != nil || string(out) != "fake kernel kernel -f conn.json\n" {
		t.Fatalf("after the build directory was deleted, %s: %q, %v", argv[0], out, err)
	}
	// Installing again over a copy (also from the copy itself) keeps it whole.
	spec2, _ := New(in.Binary, "matcalc", "matcalc")
	if _, err := Install(filepath.Join(dir, "kernels"), "matcalc", spec2, Options{}); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(in.Binary).CombinedOutput(); err != nil || string(out) != "fake kernel\n" {
		t.Fatalf("reinstalled from the copy: %q, %v", out, err)
	}
	if left, _ := filepath.Glob(filepath.Join(in.Dir, ".install-*")); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

func TestInstallInPlace(t *testing.T) {
	dir := t.TempDir()
	bin := fakeKernel(t, filepath.Join(dir, "bin"))
	spec, _ := New(bin, "matcalc", "matcalc")
	in, err := Install(filepath.Join(dir, "kernels"), "mc", spec, Options{InPlace: true})
	if err != nil {
		t.Fatal(err)
	}
	if in.Copied || in.Binary != bin || readSpec(t, in.Dir)["argv"].([]any)[0] != bin {
		t.Errorf("in place: %+v, argv %v", in, readSpec(t, in.Dir)["argv"])
	}
	if _, err := os.Stat(filepath.Join(in.Dir, "matcalc")); !os.IsNotExist(err) {
		t.Error("--in-place copied the binary")
	}
}

func TestDataDir(t *testing.T) {
	t.Setenv("JUPYTER_DATA_DIR", "/data/jupyter")
	jup := &Jupyter{Prefix: "/opt/conda"}
	tests := []struct {
		scope  Scope
		prefix string
		want   string
	}{
		{User, "", "/data/jupyter"},
		{SysPrefix, "", "/opt/conda/share/jupyter"},
		{Prefix, "/p", "/p/share/jupyter"},
		{System, "", "/usr/local/share/jupyter"},
	}
	for _, tc := range tests {
		got, err := DataDir(tc.scope, tc.prefix, jup)
		if err != nil || got != tc.want {
			t.Errorf("DataDir(%d, %q) = %q, %v; want %q", tc.scope, tc.prefix, got, err, tc.want)
		}
	}
	if _, err := DataDir(Prefix, "", nil); err == nil {
		t.Error("--prefix without a directory succeeded")
	}
	if _, err := DataDir(SysPrefix, "", nil); err == nil {
		t.Error("--sys-prefix without a Jupyter succeeded")
	}
}

// fakeJupyter makes, in dir, a stand-in Python that answers sys.prefix and
// jupyter_core's data path (-c) and, run on a console script, answers
// --paths --json; and a jupyter console script for it in pip's #!/bin/sh
// trampoline form (as pip writes for a long Python path).
func fakeJupyter(t *testing.T, dir, prefix string, data []string) (jupyter, python string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	d, _ := json.Marshal(data)
	python = filepath.Join(dir, "python3")
	script := fmt.Sprintf(`#!/bin/sh
if [ "$1" = -c ]; then
	case "$2" in
	*jupyter_core*) echo '{"prefix": "%s", "data": %s}' ;;
	*sys.prefix*) echo '%s' ;;
	*) exit 1 ;;
	esac
	exit 0
fi
shift # the console script
[ "$1 $2" = "--paths --json" ] && echo '{"runtime": [], "data": %s}'
`, prefix, d, prefix, d)
	if err := os.WriteFile(python, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	jupyter = filepath.Join(dir, "jupyter")
	js := fmt.Sprintf("#!/bin/sh\n'''exec' \"%s\" \"$0\" \"$@\"\n' '''\n", python)
	if err := os.WriteFile(jupyter, []byte(js), 0o755); err != nil {
		t.Fatal(err)
	}
	return jupyter, python
}

// TestFindJupyter: the Python first on the PATH (a pyenv one, say) is not
// the one running Jupyter: --sys-prefix must follow the jupyter command.
func TestFindJupyter(t *testing.T) {
	dir := t.TempDir()
	data := []string{"/home/u/.local/share/jupyter", "/env/share/jupyter", "/usr/share/jupyter"}
	jupyter, python := fakeJupyter(t, filepath.Join(dir, "env", "bin"), "/env", data)
	// A decoy python3 first on the PATH, as pyenv's shim is here.
	decoy := filepath.Join(dir, "decoy")
	os.MkdirAll(decoy, 0o755)
	os.WriteFile(filepath.Join(decoy, "python3"), []byte("#!/bin/sh\necho /decoy\n"), 0o755)
	t.Setenv("PATH", decoy+":"+filepath.Dir(jupyter)+":/usr/bin:/bin")

	j, err := FindJupyter("", "")
	if err != nil {
		t.Fatal(err)
	}
	if j.Command != jupyter || j.Python != python || j.Prefix != "/env" || strings.Join(j.DataPath, ":") != strings.Join(data, ":") {
		t.Errorf("FindJupyter = %+v", j)
	}
	dd, _ := DataDir(SysPrefix, "", j)
	if dd != "/env/share/jupyter" || !j.OnDataPath(dd) || j.OnDataPath("/tmp/x/share/jupyter") {
		t.Errorf("sys-prefix data dir %s, on the path %v", dd, j.OnDataPath(dd))
	}
	if !strings.Contains(j.String(), jupyter) || !strings.Contains(j.String(), "sys.prefix /env") {
		t.Errorf("String() = %q", j.String())
	}
	// --jupyter names it explicitly.
	if j, err := FindJupyter(jupyter, ""); err != nil || j.Prefix != "/env" {
		t.Errorf("FindJupyter(--jupyter) = %+v, %v", j, err)
	}
	// --python: the Python says both.
	j, err = FindJupyter("", python)
	if err != nil || j.Prefix != "/env" || j.Command != "" || len(j.DataPath) != 3 {
		t.Errorf("FindJupyter(--python) = %+v, %v", j, err)
	}
	// A Python without Jupyter is refused, naming it.
	if _, err := FindJupyter("", filepath.Join(decoy, "python3")); err == nil || !strings.Contains(err.Error(), "has no Jupyter") {
		t.Errorf("a Python without jupyter_core: %v", err)
	}
	// No jupyter on the PATH: refused, naming the options.
	t.Setenv("PATH", decoy)
	if _, err := FindJupyter("", ""); err == nil || !strings.Contains(err.Error(), "--jupyter PATH or --python PATH") {
		t.Errorf("no jupyter on the PATH: %v", err)
	}
}

func TestInterpreter(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("PATH", "/usr/bin:/bin")
	tests := []struct{ script, want, err string }{
		{"#!/opt/py/bin/python3.11\nimport x\n", "/opt/py/bin/python3.11", ""},
		{"#!/usr/bin/env sh\n", "/usr/bin/sh", ""},
		{"#!/bin/sh\n'''exec' \"/very/long/bin/python\" \"$0\" \"$@\"\n' '''\n", "/very/long/bin/python", ""},
		{"#!/bin/sh\necho hi\n", "", "not a Python console script"},
		{"\x7fELF", "", "does not start with a #! line"},
	}
	for i, tc := range tests {
		p := filepath.Join(dir, fmt.Sprint(i))
		os.WriteFile(p, []byte(tc.script), 0o755)
		got, err := interpreter(p)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%q: got %q, %v; want error %q", tc.script, got, err, tc.err)
			}
			continue
		}
		if err != nil || (got != tc.want && !(tc.want == "/usr/bin/sh" && got == "/bin/sh")) {
			t.Errorf("%q: got %q, %v; want %q", tc.script, got, err, tc.want)
		}
	}
}

func TestLogoDeterministic(t *testing.T) {
	var a, b bytes.Buffer
	png.Encode(&a, Logo(64))
	png.Encode(&b, Logo(64))
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("the logo differs between two draws")
	}
}
