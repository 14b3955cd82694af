package kernelspec

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// Jupyter is the Jupyter installation a kernelspec is installed for: where
// its Python's prefix is and which data directories it reads kernelspecs
// from.
type Jupyter struct {
	// Command is the jupyter command asked (absolute), or "" when the
	// installation was found through its Python only.
	Command string
	// Python is the Python that runs it.
	Python string
	// Prefix is that Python's sys.prefix.
	Prefix string
	// DataPath is its data path, in order (`jupyter --paths --json`,
	// "data"): each holds kernels/.
	DataPath []string
}

// String names the installation, as in "/usr/bin/jupyter (Python
// /usr/bin/python3, sys.prefix /usr)".
func (j *Jupyter) String() string {
	if j.Command == "" {
		return fmt.Sprintf("the Jupyter of Python %s (sys.prefix %s)", j.Python, j.Prefix)
	}
	return fmt.Sprintf("%s (Python %s, sys.prefix %s)", j.Command, j.Python, j.Prefix)
}

// OnDataPath reports whether dataDir (a …/share/jupyter) is on the data
// path, comparing cleaned paths with symlinks resolved.
func (j *Jupyter) OnDataPath(dataDir string) bool {
	want := canonical(dataDir)
	for _, d := range j.DataPath {
		if canonical(d) == want {
			return true
		}
	}
	return false
}

func canonical(p string) string {
	p = filepath.Clean(p)
	if r, err := filepath.EvalSymlinks(p); err == nil {
		return r
	}
	return p
}

const queryTimeout = 60 * time.Second

// pyQuery prints sys.prefix and jupyter_core's data path, as JSON.
const pyQuery = `import json, sys
from jupyter_core.paths import jupyter_path
print(json.dumps({"prefix": sys.prefix, "data": jupyter_path()}))`

// FindJupyter finds the Jupyter in use. With python (a path), it is the
// Jupyter that Python runs (it must import jupyter_core). Otherwise it is
// the jupyter command — jupyterCmd if given, else `jupyter` on the PATH —
// whose data path comes from `jupyter --paths --json` and whose Python is
// the one its #! line runs.
func FindJupyter(jupyterCmd, python string) (*Jupyter, error) {
	ctx, cancel := context.WithTimeout(context.Background(), queryTimeout)
	defer cancel()
	if python != "" {
		py, err := exec.LookPath(python)
		if err != nil {
			return nil, fmt.Errorf("kernelspec: --python %s: %w", python, err)
		}
		py, _ = filepath.Abs(py)
		var q struct {
			Prefix string   `json:"prefix"`
			Data   []string `json:"data"`
		}
		if err := runJSON(ctx, &q, py, "-c", pyQuery); err != nil {
			return nil, fmt.Errorf("kernelspec: Python %s has no Jupyter (jupyter_core does not import): %w", py, err)
		}
		return &Jupyter{Python: py, Prefix: q.Prefix, DataPath: q.Data}, nil
	}
	name := jupyterCmd
	if name == "" {
		name = "jupyter"
	}
	cmd, err := exec.LookPath(name)
	if err != nil {
		if jupyterCmd == "" {
			return nil, fmt.Errorf("kernelspec: no jupyter command on the PATH: say which Jupyter with --jupyter PATH or --python PATH (the Python that runs it), or install with --user or --prefix DIR")
		}
		return nil, fmt.Errorf("kernelspec: --jupyter %s: %w", jupyterCmd, err)
	}
	cmd, _ = filepath.Abs(cmd)
	var paths struct {
		Data []string `json:"data"`
	}
	if err := runJSON(ctx, &paths, cmd, "--paths", "--json"); err != nil {
		return nil, fmt.Errorf("kernelspec: %s --paths --json: %w", cmd, err)
	}
	py, err := interpreter(cmd)
	if err != nil {
		return nil, fmt.Errorf("kernelspec: which Python runs %s: %w; say it with --python PATH", cmd, err)
	}
	out, err := exec.CommandContext(ctx, py, "-c", "import sys; print(sys.prefix)").Output()
	if err != nil {
		return nil, fmt.Errorf("kernelspec: %s (the Python of %s): %w", py, cmd, err)
	}
	return &Jupyter{Command: cmd, Python: py, Prefix: strings.TrimSpace(string(out)), DataPath: paths.Data}, nil
}

func runJSON(ctx context.Context, v any, name string, args ...string) error {
	var stderr bytes.Buffer
	c := exec.CommandContext(ctx, name, args...)
	c.Stderr = &stderr
	out, err := c.Output()
	if err != nil {
		if msg := strings.TrimSpace(stderr.String()); msg != "" {
			lines := strings.Split(msg, "\n")
			return fmt.Errorf("%w: %s", err, lines[len(lines)-1])
		}
		return err
	}
	if err := json.Unmarshal(out, v); err != nil {
		return fmt.Errorf("unexpected output %q: %w", truncate(string(out), 200), err)
	}
	return nil
}

func truncate(s string, n int) string {
	if len(s) > n {
		for n > 0 && !utf8.RuneStart(s[n]) {
			n-- // never half a character
		}
		return s[:n] + "…"
	}
	return s
}

// pipExec matches the line pip writes under #!/bin/sh when the Python's
// path is too long for a #! line: three quotes, exec, a quote, then
// "/very/long/bin/python" "$0" "$@".
var pipExec = regexp.MustCompile(`^'''exec' "?([^" ]+)"? "\$0" "\$@"`)

// interpreter returns the Python a console script runs, from its #! line:
// #!/path/python, #!/usr/bin/env python3 (looked up on the PATH, as env
// would), or pip's #!/bin/sh trampoline.
func interpreter(script string) (string, error) {
	f, err := os.Open(script)
	if err != nil {
		return "", err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 4096), 4096)
	if !sc.Scan() || !strings.HasPrefix(sc.Text(), "#!") {
		return "", fmt.Errorf("%s does not start with a #! line", script)
	}
	words := strings.Fields(strings.TrimPrefix(sc.Text(), "#!"))
	if len(words) == 0 {
		return "", fmt.Errorf("%s has an empty #! line", script)
	}
	prog := words[0]
	switch filepath.Base(prog) {
	case "env":
		rest := words[1:]
		for len(rest) > 0 && (strings.HasPrefix(rest[0], "-") || strings.Contains(rest[0], "=")) {
			rest = rest[1:]
		}
		if len(rest) == 0 {
			return "", fmt.Errorf("%s: #!%s names no program", script, prog)
		}
		return exec.LookPath(rest[0])
	case "sh", "bash":
		for i := 0; i < 3 && sc.Scan(); i++ {
			if m := pipExec.FindStringSubmatch(sc.Text()); m != nil {
				return m[1], nil
			}
		}
		return "", fmt.Errorf("%s is a shell script, not a Python console script", script)
	}
	return prog, nil
}
