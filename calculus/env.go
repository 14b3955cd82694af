package calculus

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"unicode"

	"github.com/matcalc/matcalc/calculus/diff"
	"github.com/matcalc/matcalc/calculus/expr"
	"github.com/matcalc/matcalc/calculus/linalg"
)

// symbol is a declared name: its symbolic form, how it was declared, and
// its value when one was given.
type symbol struct {
	sym   *expr.Symbol
	kind  string   // "scalar", "vector" or "matrix"
	dims  []string // the declared dimensions as written ("m", "3")
	value *linalg.Matrix
	// implicit is set for a symbol created by assigning a value to a new
	// name (M = [1 2; 3 4]).
	implicit bool
}

// decl renders the declaration as matcalc input: "matrix(m, n) symmetric".
func (s *symbol) decl() string {
	d := s.kind
	if len(s.dims) > 0 {
		d += "(" + strings.Join(s.dims, ", ") + ")"
	}
	if p := s.sym.Props(); p != 0 {
		d += " " + p.String()
	}
	return d
}

// declLaTeX renders decl as math: \text{matrix}(n_{1}, n_{1})\ \text{symmetric}.
func (s *symbol) declLaTeX() string {
	d := `\text{` + expr.TeXText(s.kind) + `}`
	if len(s.dims) > 0 {
		ds := make([]string, len(s.dims))
		for i, n := range s.dims {
			ds[i] = dimLaTeX(n)
		}
		d += "(" + strings.Join(ds, ", ") + ")"
	}
	if p := s.sym.Props(); p != 0 {
		d += `\ \text{` + expr.TeXText(p.String()) + `}`
	}
	return d
}

// dimLaTeX renders a dimension: a name as a symbol's name is (n_{1}), a
// product factor by factor (m \cdot n), anything else as text.
func dimLaTeX(d string) string {
	if f := strings.Split(d, "*"); len(f) > 1 {
		for i := range f {
			f[i] = dimLaTeX(f[i])
		}
		return strings.Join(f, ` \cdot `)
	}
	for _, r := range d {
		if !(r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r)) {
			return `\text{` + expr.TeXText(d) + `}`
		}
	}
	return expr.NameLaTeX(d)
}

// named is a named symbolic expression (f = norm(A*x - b)^2).
type named struct {
	node expr.Node
	der  *diff.Derivation // the derivation it came from (g = grad(f, x)), or nil
}

// env is the state one Interpreter keeps between cells.
type env struct {
	dims     map[string]int  // dimensions bound to numbers
	dimNames map[string]bool // every name used as a dimension
	syms     map[string]*symbol
	named    map[string]*named
	order    []string // symbols and named expressions, in order of definition

	layout string // "denominator" (default) or "numerator"
	verify bool   // check results numerically (default on)
}

func newEnv() *env {
	return &env{
		dims:     map[string]int{},
		dimNames: map[string]bool{},
		syms:     map[string]*symbol{},
		named:    map[string]*named{},
		layout:   "denominator",
		verify:   true,
	}
}

// clone returns a copy of e that can change without changing e. Values
// and expressions are immutable and shared.
func (e *env) clone() *env {
	c := *e
	c.dims = maps.Clone(e.dims)
	c.dimNames = maps.Clone(e.dimNames)
	c.syms = make(map[string]*symbol, len(e.syms))
	for n, s := range e.syms {
		cp := *s
		c.syms[n] = &cp
	}
	c.named = maps.Clone(e.named)
	c.order = slices.Clone(e.order)
	return &c
}

// define records name in the order of definition, once.
func (e *env) define(name string) {
	for i, n := range e.order {
		if n == name {
			e.order = append(e.order[:i], e.order[i+1:]...)
			break
		}
	}
	e.order = append(e.order, name)
}

// forget removes name wherever it is defined.
func (e *env) forget(name string) {
	delete(e.syms, name)
	delete(e.named, name)
	for i, n := range e.order {
		if n == name {
			e.order = append(e.order[:i], e.order[i+1:]...)
			break
		}
	}
}

// lookupDim is the lookup expr.Dim.Eval needs.
func (e *env) lookupDim(name string) (int, bool) {
	v, ok := e.dims[name]
	return v, ok
}

// shapeText renders a symbolic shape, with the numbers of bound
// dimensions: "m×n (2×3)".
func (e *env) shapeText(s expr.Shape) string {
	t := s.String()
	r, err1 := s.Rows.Eval(e.lookupDim)
	c, err2 := s.Cols.Eval(e.lookupDim)
	if err1 == nil && err2 == nil {
		if n := fmt.Sprintf("%d×%d", r, c); n != t {
			t += " (" + n + ")"
		}
	}
	return t
}

// who renders the environment for %who.
func (e *env) who() Output {
	var b, l strings.Builder
	if len(e.dims) == 0 && len(e.dimNames) == 0 && len(e.order) == 0 {
		return Output{Kind: Display, Plain: "nothing is declared", LaTeX: `\text{nothing is declared}`}
	}
	var dims []string
	for n := range e.dimNames {
		dims = append(dims, n)
	}
	for n := range e.dims {
		if !e.dimNames[n] {
			dims = append(dims, n)
		}
	}
	sort.Strings(dims)
	l.WriteString(`\begin{array}{lll}`)
	if len(dims) > 0 {
		var parts, lparts []string
		for _, n := range dims {
			if v, ok := e.dims[n]; ok {
				parts = append(parts, fmt.Sprintf("%s = %d", n, v))
				lparts = append(lparts, fmt.Sprintf("%s = %d", dimLaTeX(n), v))
			} else {
				parts = append(parts, n+" (no value)")
				lparts = append(lparts, dimLaTeX(n)+`\ \text{(no value)}`)
			}
		}
		fmt.Fprintf(&b, "dimensions: %s\n", strings.Join(parts, ", "))
		fmt.Fprintf(&l, `\text{dimensions} & %s & \\`, strings.Join(lparts, ",\\ "))
	}
	for _, name := range e.order {
		if s, ok := e.syms[name]; ok {
			fmt.Fprintf(&b, "%s : %s", name, s.decl())
			fmt.Fprintf(&l, `%s & %s`, s.sym.LaTeX(), s.declLaTeX())
			if s.value != nil {
				fmt.Fprintf(&b, " = %s", s.value)
				fmt.Fprintf(&l, ` & = %s`, s.value.LaTeX())
			} else {
				l.WriteString(` & `)
			}
			b.WriteByte('\n')
			l.WriteString(`\\`)
		} else if n, ok := e.named[name]; ok {
			fmt.Fprintf(&b, "%s = %s    # %s\n", name, n.node, n.node.Shape())
			fmt.Fprintf(&l, `%s & = %s & \\`, expr.NameLaTeX(name), n.node.LaTeX())
		}
	}
	fmt.Fprintf(&b, "layout %s, verify %s", e.layout, onOff(e.verify))
	fmt.Fprintf(&l, `\text{layout %s, verify %s} & & \end{array}`, e.layout, onOff(e.verify))
	return Output{Kind: Display, Plain: b.String(), LaTeX: l.String()}
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}
