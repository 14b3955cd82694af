package calculus

import (
	"fmt"

	"github.com/matcalc/matcalc/calculus/builtin"
	"github.com/matcalc/matcalc/calculus/expr"
	"github.com/matcalc/matcalc/calculus/syntax"
)

// The static check runs before a cell: it follows the cell's declarations
// and assignments and finds the shape of every expression without
// building it, so that a shape error anywhere in the cell is reported
// before any statement runs. It is deliberately lenient: whatever it
// cannot decide (a size that depends on a value, the result of a command)
// has an unknown shape and is left to the statement itself, whose errors
// have the same wording.

// sh is a shape that may be unknown (the zero sh).
type sh struct {
	s     expr.Shape
	known bool
}

func knownShape(s expr.Shape) sh { return sh{s: s, known: true} }

// checker holds the shapes the cell has declared so far.
type checker struct {
	c     *cell
	names map[string]sh // symbols and named expressions declared in the cell
	dims  map[string]bool
}

// checkShapes checks every statement of file.
func (c *cell) checkShapes(file *syntax.File) error {
	k := &checker{c: c, names: make(map[string]sh, len(file.Stmts)), dims: map[string]bool{}}
	for _, st := range file.Stmts {
		if err := k.stmt(st); err != nil {
			return err
		}
	}
	return nil
}

func (k *checker) stmt(st syntax.Stmt) error {
	switch st := st.(type) {
	case *syntax.DeclStmt:
		var dims []expr.Dim
		for _, a := range st.Args {
			d, _ := staticDim(a)
			dims = append(dims, d)
			for _, name := range dimNamesOf(a) {
				k.dims[name] = true
			}
		}
		s := sh{}
		switch {
		case st.Type.Name == "scalar" && len(dims) == 0:
			s = knownShape(expr.ScalarShape())
		case st.Type.Name == "vector" && len(dims) == 1 && dims[0].IsValid():
			s = knownShape(expr.VectorShape(dims[0]))
		case st.Type.Name == "matrix" && len(dims) == 1 && dims[0].IsValid():
			s = knownShape(expr.MatrixShape(dims[0], dims[0]))
		case st.Type.Name == "matrix" && len(dims) == 2 && dims[0].IsValid() && dims[1].IsValid():
			s = knownShape(expr.MatrixShape(dims[0], dims[1]))
		}
		for _, id := range st.Names {
			k.names[id.Name] = s
		}
	case *syntax.AssignStmt:
		name := st.Name.Name
		if call, ok := st.Value.(*syntax.Call); ok {
			if f, ok := k.c.in.fns[call.Fun.Name]; ok && f.Kind == builtin.Command {
				k.names[name] = sh{}
				return nil
			}
		}
		s, err := k.shape(st.Value)
		if err != nil {
			return err
		}
		if k.isDim(name) {
			return nil
		}
		if old, ok := k.lookup(name); ok && old.known && k.declared(name) {
			return nil // a value for a declared symbol: checked when it runs
		}
		if _, isNum := st.Value.(*syntax.Number); isNum {
			if _, ok := k.lookup(name); !ok {
				k.dims[name] = true
				return nil
			}
		}
		k.names[name] = s
	case *syntax.ExprStmt:
		if call, ok := st.X.(*syntax.Call); ok {
			if f, ok := k.c.in.fns[call.Fun.Name]; ok && f.Kind == builtin.Command {
				return nil
			}
		}
		_, err := k.shape(st.X)
		return err
	}
	return nil
}

func (k *checker) isDim(name string) bool {
	if k.dims[name] {
		return true
	}
	_, bound := k.c.env.dims[name]
	return bound || k.c.env.dimNames[name]
}

// declared reports whether name is a declared (not implicit) symbol.
func (k *checker) declared(name string) bool {
	if _, ok := k.names[name]; ok {
		return false
	}
	s, ok := k.c.env.syms[name]
	return ok && !s.implicit
}

func (k *checker) lookup(name string) (sh, bool) {
	if s, ok := k.names[name]; ok {
		return s, true
	}
	if s, ok := k.c.env.syms[name]; ok {
		return knownShape(s.sym.Shape()), true
	}
	if n, ok := k.c.env.named[name]; ok {
		return knownShape(n.node.Shape()), true
	}
	return sh{}, false
}

// shape returns the shape of x, or an error for a clear shape mismatch
// at an operator.
func (k *checker) shape(x syntax.Expr) (sh, error) {
	c := k.c
	switch x := x.(type) {
	case *syntax.Number:
		return knownShape(expr.ScalarShape()), nil
	case *syntax.Ident:
		if s, ok := k.lookup(x.Name); ok {
			return s, nil
		}
		if k.isDim(x.Name) {
			return knownShape(expr.ScalarShape()), nil
		}
		return sh{}, nil
	case *syntax.Paren:
		return k.shape(x.X)
	case *syntax.Unary:
		return k.shape(x.X)
	case *syntax.Postfix:
		a, err := k.shape(x.X)
		if err != nil || !a.known {
			return sh{}, err
		}
		if x.Op == syntax.QUOTE {
			return knownShape(a.s.T()), nil
		}
		if !a.s.IsSquare() {
			return sh{}, c.errorAt(ShapeError, x.OpPos, "%s", (&expr.ShapeError{Op: "invert", Left: c.text(x.X), LeftShape: a.s, Detail: "only a square matrix has an inverse"}).Error())
		}
		return a, nil
	case *syntax.Binary:
		return k.binary(x)
	case *syntax.Inner:
		a, b, err := k.operands(x.X, x.Y)
		if err != nil {
			return sh{}, err
		}
		if a.known && b.known && a.s != b.s {
			return sh{}, c.errorAt(ShapeError, x.Pos(), "%s", (&expr.ShapeError{Op: "take the inner product of", Left: c.text(x.X), LeftShape: a.s, Right: c.text(x.Y), RightShape: b.s}).Error())
		}
		return knownShape(expr.ScalarShape()), nil
	case *syntax.Call:
		return k.call(x)
	case *syntax.Matrix:
		for _, row := range x.Rows {
			for _, e := range row {
				if _, err := k.shape(e); err != nil {
					return sh{}, err
				}
			}
		}
	}
	return sh{}, nil
}

func (k *checker) call(x *syntax.Call) (sh, error) {
	var first sh
	for i, a := range x.Args {
		s, err := k.shape(a)
		if err != nil {
			return sh{}, err
		}
		if i == 0 {
			first = s
		}
	}
	if len(x.Args) != 1 || !first.known {
		return sh{}, nil
	}
	f, ok := builtin.Lookup(x.Fun.Name)
	if !ok || !f.Callable() {
		return sh{}, nil
	}
	if s := first.s; f.Vector && !s.Rows.IsOne() && !s.Cols.IsOne() {
		e := &expr.ShapeError{Op: "take " + f.Name + " of", Left: k.c.text(x.Args[0]), LeftShape: s, Detail: f.Name + " needs a vector"}
		return sh{}, k.c.errorAt(ShapeError, x.Pos(), "%s", e.Error())
	}
	switch f.Shape {
	case builtin.ShapeScalar:
		return knownShape(expr.ScalarShape()), nil
	case builtin.ShapeSame:
		return first, nil
	}
	return sh{}, nil
}

// operands returns the shapes of the two operands of a binary operation
// or an inner product.
func (k *checker) operands(l, r syntax.Expr) (a, b sh, err error) {
	if a, err = k.shape(l); err != nil {
		return sh{}, sh{}, err
	}
	if b, err = k.shape(r); err != nil {
		return sh{}, sh{}, err
	}
	return a, b, nil
}

func (k *checker) binary(x *syntax.Binary) (sh, error) {
	c := k.c
	a, b, err := k.operands(x.X, x.Y)
	if err != nil {
		return sh{}, err
	}
	if !a.known || !b.known {
		return sh{}, nil
	}
	as, bs := a.s, b.s
	shapeErr := func(op, detail string) error {
		e := &expr.ShapeError{Op: op, Left: c.text(x.X), LeftShape: as, Right: c.text(x.Y), RightShape: bs, Detail: detail}
		return c.errorAt(ShapeError, x.OpPos, "%s", e.Error())
	}
	switch x.Op {
	case syntax.ADD, syntax.SUB, syntax.EMUL, syntax.EQUO:
		switch {
		case as.IsScalar():
			return b, nil
		case bs.IsScalar():
			return a, nil
		case as != bs && !k.sameNumerically(as, bs):
			if x.Op == syntax.ADD || x.Op == syntax.SUB {
				return sh{}, shapeErr("add", "")
			}
			return sh{}, shapeErr("combine elementwise", "")
		}
		return a, nil
	case syntax.MUL:
		switch {
		case as.IsScalar():
			return b, nil
		case bs.IsScalar():
			return a, nil
		case as.Cols != bs.Rows && !k.equalDims(as.Cols, bs.Rows):
			return sh{}, shapeErr("multiply", fmt.Sprintf("inner dimensions %s and %s differ", as.Cols, bs.Rows))
		}
		return knownShape(expr.MatrixShape(as.Rows, bs.Cols)), nil
	case syntax.QUO:
		if !bs.IsScalar() {
			return sh{}, c.errorAt(ShapeError, x.OpPos, "cannot divide by %s (%s): only division by a scalar is defined; use ./ for elementwise division or inv(…)", c.text(x.Y), bs)
		}
		return a, nil
	case syntax.POW:
		if !as.IsScalar() && !as.IsSquare() && !k.equalDims(as.Rows, as.Cols) {
			return sh{}, c.errorAt(ShapeError, x.OpPos, "cannot raise %s (%s) to a power: it is not square (use .^ for an elementwise power)", c.text(x.X), as)
		}
		return a, nil
	case syntax.EPOW:
		return a, nil
	}
	return sh{}, nil
}

// equalDims reports whether two dimensions have the same number under
// the dimensions bound so far.
func (k *checker) equalDims(a, b expr.Dim) bool {
	x, err1 := a.Eval(k.c.env.lookupDim)
	y, err2 := b.Eval(k.c.env.lookupDim)
	return err1 == nil && err2 == nil && x == y
}

func (k *checker) sameNumerically(a, b expr.Shape) bool {
	return k.equalDims(a.Rows, b.Rows) && k.equalDims(a.Cols, b.Cols)
}
