package linalg

import (
	"math"
	"math/big"
	"strconv"
	"strings"
)

// FloatDigits is the number of significant digits String and LaTeX show
// of a float entry.
const FloatDigits = 10

// String formats m as a matcalc literal: a scalar as its number, a
// matrix as `[1, 2; 3, 4]` (entries separated by ", ", rows by "; ").
// Exact entries print as integers or fractions (4/3, -1/2); float
// entries with FloatDigits significant digits (0.3333333333, 1.5e-07).
// The result is valid matcalc input.
func (m *Matrix) String() string {
	return m.format(FloatDigits)
}

// Text is String with float entries shown to the given number of
// significant digits (-1: the fewest digits that read back exactly).
func (m *Matrix) Text(digits int) string { return m.format(digits) }

func (m *Matrix) format(digits int) string {
	if m.IsScalar() {
		return m.entryText(0, digits)
	}
	var b strings.Builder
	b.WriteByte('[')
	for i := 0; i < m.r; i++ {
		if i > 0 {
			b.WriteString("; ")
		}
		for j := 0; j < m.c; j++ {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteString(m.entryText(i*m.c+j, digits))
		}
	}
	b.WriteByte(']')
	return b.String()
}

func (m *Matrix) entryText(k, digits int) string {
	if m.q != nil {
		return m.q[k].RatString()
	}
	return FormatFloat(m.f[k], digits)
}

// FormatFloat formats v with the given significant digits (-1: shortest
// exact) as matcalc input: "2", "0.5", "1.5e-07", "Inf", "NaN".
// Negative zero prints as 0.
func FormatFloat(v float64, digits int) string {
	switch {
	case math.IsNaN(v):
		return "NaN"
	case math.IsInf(v, 1):
		return "Inf"
	case math.IsInf(v, -1):
		return "-Inf"
	case v == 0:
		return "0"
	}
	return strconv.FormatFloat(v, 'g', digits, 64)
}

// FormatRat formats an exact rational as matcalc input: "3", "-4/3".
func FormatRat(q *big.Rat) string { return q.RatString() }

// LaTeX formats m as TeX math-mode content: a scalar as its number, a
// matrix as a bmatrix; fractions as \frac{4}{3}, float exponents as
// 1.5 \times 10^{-7}.
func (m *Matrix) LaTeX() string {
	if m.IsScalar() {
		return m.entryLaTeX(0)
	}
	var b strings.Builder
	b.WriteString(`\begin{bmatrix}`)
	for i := 0; i < m.r; i++ {
		if i > 0 {
			b.WriteString(` \\`)
		}
		for j := 0; j < m.c; j++ {
			if j > 0 {
				b.WriteString(" &")
			}
			b.WriteByte(' ')
			b.WriteString(m.entryLaTeX(i*m.c + j))
		}
	}
	b.WriteString(` \end{bmatrix}`)
	return b.String()
}

func (m *Matrix) entryLaTeX(k int) string {
	if m.q != nil {
		return RatLaTeX(&m.q[k])
	}
	return FloatLaTeX(m.f[k], FloatDigits)
}

// RatLaTeX formats an exact rational in TeX: "3", "-\frac{4}{3}".
func RatLaTeX(q *big.Rat) string {
	if q.IsInt() {
		return q.Num().String()
	}
	num := new(big.Int).Abs(q.Num())
	s := `\frac{` + num.String() + `}{` + q.Denom().String() + `}`
	if q.Sign() < 0 {
		return "-" + s
	}
	return s
}

// FloatLaTeX formats a float in TeX with the given significant digits:
// "0.5", "1.5 \times 10^{-7}", "\infty", "\mathrm{NaN}".
func FloatLaTeX(v float64, digits int) string {
	switch {
	case math.IsNaN(v):
		return `\mathrm{NaN}`
	case math.IsInf(v, 1):
		return `\infty`
	case math.IsInf(v, -1):
		return `-\infty`
	}
	s := FormatFloat(v, digits)
	mant, exp, ok := strings.Cut(s, "e")
	if !ok {
		return s
	}
	e, err := strconv.Atoi(exp)
	if err != nil {
		return s
	}
	return mant + ` \times 10^{` + strconv.Itoa(e) + `}`
}
