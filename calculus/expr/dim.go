package expr

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Dim is a symbolic dimension: a positive integer coefficient times a
// product of named dimensions, such as 3, n, or m*n (the rows of kron and
// vec). Dims are small comparable values: two Dims are equal exactly when
// == says so. The zero Dim is invalid; build Dims with Int, Named and Mul.
type Dim struct {
	k     int64  // integer coefficient, ≥ 1 for a valid Dim
	names string // sorted factor names joined by "*", "" for an integer
}

// Int returns the integer dimension n (n ≥ 1 for a meaningful shape).
func Int(n int64) Dim { return Dim{k: n} }

// Named returns the dimension called name, such as n.
func Named(name string) Dim { return Dim{k: 1, names: name} }

// Mul returns the product d·e.
func (d Dim) Mul(e Dim) Dim {
	var names []string
	if d.names != "" {
		names = append(names, strings.Split(d.names, "*")...)
	}
	if e.names != "" {
		names = append(names, strings.Split(e.names, "*")...)
	}
	sort.Strings(names)
	return Dim{k: d.k * e.k, names: strings.Join(names, "*")}
}

// Value returns the dimension as an integer and true when it has no named
// factor.
func (d Dim) Value() (int64, bool) { return d.k, d.names == "" }

// IsOne reports whether d is the integer 1.
func (d Dim) IsOne() bool { return d.k == 1 && d.names == "" }

// IsValid reports whether d was built by Int (with n ≥ 1), Named or Mul.
func (d Dim) IsValid() bool { return d.k >= 1 }

// Names returns the named factors of d in sorted order, with repetition.
func (d Dim) Names() []string {
	if d.names == "" {
		return nil
	}
	return strings.Split(d.names, "*")
}

// String renders d as valid matcalc input: "3", "n", "m*n", "2*n".
func (d Dim) String() string {
	switch {
	case d.names == "":
		return strconv.FormatInt(d.k, 10)
	case d.k == 1:
		return d.names
	default:
		return strconv.FormatInt(d.k, 10) + "*" + d.names
	}
}

// Eval returns the integer value of d, looking named factors up with
// lookup. It fails when a name is unbound or the value overflows.
func (d Dim) Eval(lookup func(name string) (int, bool)) (int, error) {
	if !d.IsValid() {
		return 0, errors.New("invalid dimension")
	}
	v := d.k
	for _, n := range d.Names() {
		x, ok := lookup(n)
		if !ok {
			return 0, fmt.Errorf("dimension %s has no value", n)
		}
		if x < 0 || (x != 0 && v > (1<<31)/int64(x)) {
			return 0, fmt.Errorf("dimension %s = %d is out of range", d, x)
		}
		v *= int64(x)
	}
	return int(v), nil
}

// Shape is the shape of an expression: Rows×Cols. A column vector has one
// column, a scalar is 1×1.
type Shape struct {
	Rows, Cols Dim
}

// ScalarShape is the shape 1×1.
func ScalarShape() Shape { return Shape{Int(1), Int(1)} }

// VectorShape returns the column shape n×1.
func VectorShape(n Dim) Shape { return Shape{n, Int(1)} }

// MatrixShape returns the shape m×n.
func MatrixShape(m, n Dim) Shape { return Shape{m, n} }

// IsScalar reports whether s is 1×1.
func (s Shape) IsScalar() bool { return s.Rows.IsOne() && s.Cols.IsOne() }

// IsColumn reports whether s is a column vector n×1 with n ≠ 1.
func (s Shape) IsColumn() bool { return s.Cols.IsOne() && !s.Rows.IsOne() }

// IsRow reports whether s is a row vector 1×n with n ≠ 1.
func (s Shape) IsRow() bool { return s.Rows.IsOne() && !s.Cols.IsOne() }

// IsSquare reports whether s has as many rows as columns.
func (s Shape) IsSquare() bool { return s.Rows == s.Cols }

// T returns the transposed shape.
func (s Shape) T() Shape { return Shape{s.Cols, s.Rows} }

// String renders s as "m×n".
func (s Shape) String() string { return s.Rows.String() + "×" + s.Cols.String() }
