package kernel

import (
	"encoding/json"
	"image/png"
	"os"
	"path/filepath"
	"testing"
)

func TestInstallUninstall(t *testing.T) {
	dir := t.TempDir()
	spec, err := NewSpec("matcalc")
	if err != nil {
		t.Fatal(err)
	}
	got, err := Install(dir, "matcalc", spec)
	if err != nil {
		t.Fatal(err)
	}
	if got != filepath.Join(dir, "matcalc") {
		t.Errorf("installed in %s", got)
	}
	b, err := os.ReadFile(filepath.Join(got, "kernel.json"))
	if err != nil {
		t.Fatal(err)
	}
	var kj map[string]any
	if err := json.Unmarshal(b, &kj); err != nil {
		t.Fatal(err)
	}
	argv, _ := kj["argv"].([]any)
	if len(argv) != 4 || !filepath.IsAbs(argv[0].(string)) || argv[1] != "kernel" || argv[2] != "-f" || argv[3] != "{connection_file}" {
		t.Errorf("argv %v", argv)
	}
	for k, want := range map[string]string{"display_name": "matcalc", "language": "matcalc", "interrupt_mode": "message"} {
		if kj[k] != want {
			t.Errorf("%s = %v, want %s", k, kj[k], want)
		}
	}
	for _, size := range []int{32, 64} {
		f, err := os.Open(filepath.Join(got, "logo-"+itoa(size)+"x"+itoa(size)+".png"))
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
	if _, err := Uninstall(dir, "matcalc"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(got); !os.IsNotExist(err) {
		t.Errorf("%s still there after uninstall", got)
	}
	if _, err := Uninstall(dir, "matcalc"); err == nil {
		t.Error("uninstalling twice succeeded")
	}
	for _, bad := range []string{"", "..", "a/b", "mat calc", "matcalc²", `a\b`} {
		if _, err := Install(dir, bad, spec); err == nil {
			t.Errorf("Install(%q) succeeded", bad)
		}
	}
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

func TestKernelsDir(t *testing.T) {
	t.Setenv("JUPYTER_DATA_DIR", "/data/jupyter")
	t.Setenv("CONDA_PREFIX", "/opt/conda")
	tests := []struct {
		scope  Scope
		prefix string
		want   string
	}{
		{User, "", "/data/jupyter/kernels"},
		{SysPrefix, "", "/opt/conda/share/jupyter/kernels"},
		{Prefix, "/p", "/p/share/jupyter/kernels"},
		{System, "", "/usr/local/share/jupyter/kernels"},
	}
	for _, tc := range tests {
		got, err := KernelsDir(tc.scope, tc.prefix)
		if err != nil || got != tc.want {
			t.Errorf("KernelsDir(%d, %q) = %q, %v; want %q", tc.scope, tc.prefix, got, err, tc.want)
		}
	}
	if _, err := KernelsDir(Prefix, ""); err == nil {
		t.Error("--prefix without a directory succeeded")
	}
}
