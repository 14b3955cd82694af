package kernel

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
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
	// SysPrefix installs under the Python environment's prefix
	// ($CONDA_PREFIX, $VIRTUAL_ENV, or python3's sys.prefix).
	SysPrefix
	// Prefix installs under a given prefix: PREFIX/share/jupyter.
	Prefix
	// System installs under /usr/local/share/jupyter.
	System
)

// KernelsDir returns the kernels directory of a scope; prefix is used by
// Prefix only.
func KernelsDir(scope Scope, prefix string) (string, error) {
	switch scope {
	case User:
		if d := os.Getenv("JUPYTER_DATA_DIR"); d != "" {
			return filepath.Join(d, "kernels"), nil
		}
		if d := os.Getenv("XDG_DATA_HOME"); d != "" {
			return filepath.Join(d, "jupyter", "kernels"), nil
		}
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("kernel: user kernels directory: %w", err)
		}
		return filepath.Join(home, ".local", "share", "jupyter", "kernels"), nil
	case SysPrefix:
		p := os.Getenv("CONDA_PREFIX")
		if p == "" {
			p = os.Getenv("VIRTUAL_ENV")
		}
		if p == "" {
			out, err := exec.Command("python3", "-c", "import sys; print(sys.prefix)").Output()
			if err != nil {
				return "", fmt.Errorf("kernel: --sys-prefix: no $CONDA_PREFIX or $VIRTUAL_ENV, and python3 failed: %w", err)
			}
			p = strings.TrimSpace(string(out))
		}
		return filepath.Join(p, "share", "jupyter", "kernels"), nil
	case Prefix:
		if prefix == "" {
			return "", errors.New("kernel: --prefix needs a directory")
		}
		abs, err := filepath.Abs(prefix)
		if err != nil {
			return "", fmt.Errorf("kernel: --prefix %s: %w", prefix, err)
		}
		return filepath.Join(abs, "share", "jupyter", "kernels"), nil
	case System:
		return "/usr/local/share/jupyter/kernels", nil
	}
	return "", fmt.Errorf("kernel: unknown scope %d", scope)
}

// NewSpec returns the kernelspec that runs binary (made absolute) with
// `kernel -f {connection_file}`.
func NewSpec(binary string) (*Spec, error) {
	abs, err := filepath.Abs(binary)
	if err != nil {
		return nil, fmt.Errorf("kernel: binary path: %w", err)
	}
	if r, err := filepath.EvalSymlinks(abs); err == nil {
		abs = r
	}
	return &Spec{
		Argv:          []string{abs, "kernel", "-f", "{connection_file}"},
		DisplayName:   "matcalc",
		Language:      "matcalc",
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
		return fmt.Errorf("kernel: invalid kernel name %q: use letters, digits, '.', '_' and '-' (Jupyter lists no other)", name)
	}
	return nil
}

// Install writes spec, with the two logos, to kernelsDir/name and returns
// that directory.
func Install(kernelsDir, name string, spec *Spec) (string, error) {
	if err := checkName(name); err != nil {
		return "", err
	}
	dir := filepath.Join(kernelsDir, name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("kernel: install: %w", err)
	}
	b, err := json.MarshalIndent(spec, "", "  ")
	if err != nil {
		return "", fmt.Errorf("kernel: install: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "kernel.json"), append(b, '\n'), 0o644); err != nil {
		return "", fmt.Errorf("kernel: install: %w", err)
	}
	for _, size := range []int{32, 64} {
		var buf bytes.Buffer
		if err := png.Encode(&buf, Logo(size)); err != nil {
			return "", fmt.Errorf("kernel: install: logo: %w", err)
		}
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("logo-%dx%d.png", size, size)), buf.Bytes(), 0o644); err != nil {
			return "", fmt.Errorf("kernel: install: %w", err)
		}
	}
	return dir, nil
}

// Uninstall removes kernelsDir/name and returns that directory.
func Uninstall(kernelsDir, name string) (string, error) {
	if err := checkName(name); err != nil {
		return "", err
	}
	dir := filepath.Join(kernelsDir, name)
	if _, err := os.Stat(filepath.Join(dir, "kernel.json")); err != nil {
		return "", fmt.Errorf("kernel: uninstall: no kernelspec in %s: %w", dir, err)
	}
	if err := os.RemoveAll(dir); err != nil {
		return "", fmt.Errorf("kernel: uninstall: %w", err)
	}
	return dir, nil
}

// Logo draws matcalc's logo, a white nabla ∇ on a rounded blue square, at
// size×size pixels.
func Logo(size int) image.Image {
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	bg := color.NRGBA{0x1f, 0x5f, 0xa8, 0xff}
	s := float64(size)
	radius := 0.18 * s
	// Nabla: an inverted triangle outline.
	ax, ay := 0.20*s, 0.24*s // top left
	bx, by := 0.80*s, 0.24*s // top right
	cx, cy := 0.50*s, 0.80*s // bottom
	stroke := 0.10 * s
	const sub = 4 // supersampling per axis
	for y := 0; y < size; y++ {
		for x := 0; x < size; x++ {
			var inBox, inMark int
			for j := 0; j < sub; j++ {
				for i := 0; i < sub; i++ {
					px := float64(x) + (float64(i)+0.5)/sub
					py := float64(y) + (float64(j)+0.5)/sub
					if !inRoundedSquare(px, py, s, radius) {
						continue
					}
					inBox++
					outer := inTriangle(px, py, ax, ay, bx, by, cx, cy)
					d := math.Min(distSeg(px, py, ax, ay, bx, by), math.Min(distSeg(px, py, bx, by, cx, cy), distSeg(px, py, cx, cy, ax, ay)))
					if outer && d <= stroke || !outer && d <= stroke*0.15 {
						inMark++
					}
				}
			}
			if inBox == 0 {
				continue
			}
			t := float64(inMark) / float64(inBox)
			mix := func(a uint8) uint8 { return uint8(math.Round(float64(a)*(1-t) + 255*t)) }
			img.SetNRGBA(x, y, color.NRGBA{mix(bg.R), mix(bg.G), mix(bg.B), uint8(math.Round(255 * float64(inBox) / (sub * sub)))})
		}
	}
	return img
}

func inRoundedSquare(x, y, s, r float64) bool {
	cx := math.Min(math.Max(x, r), s-r)
	cy := math.Min(math.Max(y, r), s-r)
	return (x-cx)*(x-cx)+(y-cy)*(y-cy) <= r*r
}

func inTriangle(px, py, ax, ay, bx, by, cx, cy float64) bool {
	d1 := (px-bx)*(ay-by) - (ax-bx)*(py-by)
	d2 := (px-cx)*(by-cy) - (bx-cx)*(py-cy)
	d3 := (px-ax)*(cy-ay) - (cx-ax)*(py-ay)
	neg := d1 < 0 || d2 < 0 || d3 < 0
	pos := d1 > 0 || d2 > 0 || d3 > 0
	return !(neg && pos)
}

func distSeg(px, py, ax, ay, bx, by float64) float64 {
	dx, dy := bx-ax, by-ay
	t := ((px-ax)*dx + (py-ay)*dy) / (dx*dx + dy*dy)
	t = math.Max(0, math.Min(1, t))
	qx, qy := ax+t*dx-px, ay+t*dy-py
	return math.Hypot(qx, qy)
}
