// Package kernelspec installs and removes a Jupyter kernelspec: kernel.json,
// the two logos, kernel.js (classic Notebook's editor settings) and, unless
// told otherwise, a copy of the kernel's binary beside them, so that the
// kernel keeps working when the checkout or build directory it was
// installed from is moved or deleted. It finds where a scope's kernels live
// the way the Jupyter in use sees it (see Jupyter).
//
// The wire protocol (package kernel) knows nothing of installation; the
// kernel's display name and language come from the caller (the session's
// Info), the logos are matcalc's ∇.
package kernelspec

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"image/png"
	"io"
	"os"
	"path/filepath"
)

// Spec is the content of a kernelspec's kernel.json.
type Spec struct {
	Argv          []string          `json:"argv"`
	DisplayName   string            `json:"display_name"`
	Language      string            `json:"language"`
	InterruptMode string            `json:"interrupt_mode"`
	Env           map[string]string `json:"env,omitempty"`
	Metadata      map[string]any    `json:"metadata,omitempty"`
}

// Scope says where a kernelspec is installed.
type Scope int

const (
	// User installs under the user's Jupyter data directory
	// ($JUPYTER_DATA_DIR, or $XDG_DATA_HOME/jupyter, or
	// ~/.local/share/jupyter).
	User Scope = iota
	// SysPrefix installs under the prefix of the Python that runs the
	// Jupyter in use: PREFIX/share/jupyter (see Jupyter).
	SysPrefix
	// Prefix installs under a given prefix: PREFIX/share/jupyter.
	Prefix
	// System installs under /usr/local/share/jupyter.
	System
)

// DataDir returns the Jupyter data directory (…/share/jupyter, whose
// kernels/ holds kernelspecs) of a scope. prefix is used by Prefix only;
// jup, by SysPrefix only (it must then be non-nil).
func DataDir(scope Scope, prefix string, jup *Jupyter) (string, error) {
	switch scope {
	case User:
		if d := os.Getenv("JUPYTER_DATA_DIR"); d != "" {
			return filepath.Abs(d)
		}
		if d := os.Getenv("XDG_DATA_HOME"); d != "" {
			return filepath.Join(d, "jupyter"), nil
		}
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("kernelspec: user data directory: %w", err)
		}
		return filepath.Join(home, ".local", "share", "jupyter"), nil
	case SysPrefix:
		if jup == nil || jup.Prefix == "" {
			return "", errors.New("kernelspec: --sys-prefix: no Jupyter found to take the prefix of")
		}
		return filepath.Join(jup.Prefix, "share", "jupyter"), nil
	case Prefix:
		if prefix == "" {
			return "", errors.New("kernelspec: --prefix needs a directory")
		}
		abs, err := filepath.Abs(prefix)
		if err != nil {
			return "", fmt.Errorf("kernelspec: --prefix %s: %w", prefix, err)
		}
		return filepath.Join(abs, "share", "jupyter"), nil
	case System:
		return "/usr/local/share/jupyter", nil
	}
	return "", fmt.Errorf("kernelspec: unknown scope %d", scope)
}

// New returns the kernelspec that runs binary (made absolute, symlinks
// resolved) with `kernel -f {connection_file}`, shown as displayName, for
// language.
func New(binary, displayName, language string) (*Spec, error) {
	abs, err := filepath.Abs(binary)
	if err != nil {
		return nil, fmt.Errorf("kernelspec: binary path: %w", err)
	}
	if r, err := filepath.EvalSymlinks(abs); err == nil {
		abs = r
	}
	return &Spec{
		Argv:          []string{abs, "kernel", "-f", "{connection_file}"},
		DisplayName:   displayName,
		Language:      language,
		InterruptMode: "message",
		Metadata:      map[string]any{"debugger": false},
	}, nil
}

// checkName refuses a kernelspec name Jupyter would not list: it must be
// made of ASCII letters, digits, '.', '_' and '-' (jupyter_client's
// kernelspec name pattern), and not be "." or "..".
func checkName(name string) error {
	ok := name != "" && name != "." && name != ".."
	for _, r := range name {
		ok = ok && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-')
	}
	if !ok {
		return fmt.Errorf("kernelspec: invalid kernel name %q: use letters, digits, '.', '_' and '-' (Jupyter lists no other)", name)
	}
	return nil
}

// Options says how Install treats the kernel's binary.
type Options struct {
	// InPlace keeps argv[0] pointing at the binary where it is, for a
	// binary installed in a place that lasts (an image's /usr/local/bin).
	// By default the binary is copied into the kernelspec directory and
	// argv[0] points at the copy.
	InPlace bool
}

// Installed says what Install wrote.
type Installed struct {
	// Dir is the kernelspec directory, kernelsDir/name.
	Dir string
	// Binary is the binary kernel.json runs: the copy in Dir, or the
	// original with Options.InPlace.
	Binary string
	// Copied is true when Binary is a copy made by Install.
	Copied bool
}

// kernelJS is kernel.js, which classic Notebook loads from the
// kernelspec: it turns off the auto-closing of quotes (' is the
// transpose) in matcalc's code cells.
//
//go:embed kernel.js
var kernelJS []byte

// Install writes spec, with the two logos and kernel.js, to kernelsDir/name. Unless
// opt.InPlace, it first copies spec.Argv[0] into that directory (replacing
// an earlier copy atomically, so a running kernel is not disturbed) and
// points argv[0] at the copy.
func Install(kernelsDir, name string, spec *Spec, opt Options) (*Installed, error) {
	if err := checkName(name); err != nil {
		return nil, err
	}
	if len(spec.Argv) == 0 {
		return nil, errors.New("kernelspec: install: empty argv")
	}
	dir := filepath.Join(kernelsDir, name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("kernelspec: install: %w", err)
	}
	in := &Installed{Dir: dir, Binary: spec.Argv[0]}
	if !opt.InPlace {
		dst := filepath.Join(dir, filepath.Base(spec.Argv[0]))
		if err := copyExecutable(spec.Argv[0], dst); err != nil {
			return nil, fmt.Errorf("kernelspec: install: copy the kernel binary: %w", err)
		}
		s := *spec
		s.Argv = append([]string{dst}, spec.Argv[1:]...)
		spec = &s
		in.Binary, in.Copied = dst, true
	}
	b, err := json.MarshalIndent(spec, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("kernelspec: install: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "kernel.json"), append(b, '\n'), 0o644); err != nil {
		return nil, fmt.Errorf("kernelspec: install: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "kernel.js"), kernelJS, 0o644); err != nil {
		return nil, fmt.Errorf("kernelspec: install: %w", err)
	}
	for _, size := range []int{32, 64} {
		var buf bytes.Buffer
		if err := png.Encode(&buf, Logo(size)); err != nil {
			return nil, fmt.Errorf("kernelspec: install: logo: %w", err)
		}
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("logo-%dx%d.png", size, size)), buf.Bytes(), 0o644); err != nil {
			return nil, fmt.Errorf("kernelspec: install: %w", err)
		}
	}
	return in, nil
}

// copyExecutable copies src to dst (mode 0755) through a temporary file
// renamed over dst, so that a kernel running the old copy keeps running.
// Copying a file onto itself leaves it as it is.
func copyExecutable(src, dst string) error {
	if a, err := os.Stat(src); err == nil {
		if b, err := os.Stat(dst); err == nil && os.SameFile(a, b) {
			return nil
		}
	}
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	tmp, err := os.CreateTemp(filepath.Dir(dst), ".install-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // after a successful rename there is nothing to remove
	if _, err := io.Copy(tmp, in); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o755); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), dst)
}

// Uninstall removes kernelsDir/name (with the binary copied there) and
// returns that directory.
func Uninstall(kernelsDir, name string) (string, error) {
	if err := checkName(name); err != nil {
		return "", err
	}
	dir := filepath.Join(kernelsDir, name)
	if _, err := os.Stat(filepath.Join(dir, "kernel.json")); err != nil {
		return "", fmt.Errorf("kernelspec: uninstall: no kernelspec in %s: %w", dir, err)
	}
	if err := os.RemoveAll(dir); err != nil {
		return "", fmt.Errorf("kernelspec: uninstall: %w", err)
	}
	return dir, nil
}
