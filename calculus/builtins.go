package calculus

import (
	"sort"

	"github.com/matcalc/matcalc/calculus/builtin"
)

// builtins returns the language's functions and commands, read from the
// table of package builtin (the one place each is defined).
func builtins() map[string]builtin.Func {
	m := map[string]builtin.Func{}
	for _, f := range builtin.All() {
		if f.Callable() {
			m[f.Name] = f
		}
	}
	return m
}

// statementCommands returns the words that begin a command statement
// (layout numerator), from the table of package builtin.
func statementCommands() map[string]builtin.Func {
	m := map[string]builtin.Func{}
	for _, f := range builtin.All() {
		if f.Kind == builtin.Statement {
			m[f.Name] = f
		}
	}
	return m
}

// keywords returns the other words of the language.
func keywords() []string {
	return []string{"scalar", "vector", "matrix", "symmetric", "spd", "invertible", "diagonal", "orthogonal", "I", "numerator", "denominator", "on", "off", "numpy", "gonum"}
}

// languageNames returns the builtin names, commands and keywords, sorted.
func languageNames() []string {
	var names []string
	for n := range builtins() {
		names = append(names, n)
	}
	for n := range statementCommands() {
		names = append(names, n)
	}
	names = append(names, keywords()...)
	sort.Strings(names)
	return names
}

// aliases returns the names other tools use for the language's functions,
// for suggestions.
func aliases() map[string]string {
	return map[string]string{
		"trace": "tr", "determinant": "det", "inverse": "inv", "transpose": "x' or x^T",
		"identity": "eye", "logm": "log (elementwise) or logdet", "expmat": "expm",
		"transp": "x'", "t": "x'", "frobenius": "norm", "linsolve": "solve", "eigs": "eig",
		"eigen": "eig", "cholesky": "chol", "hadamard": ".*", "outer": "x*y'", "inner": "dot or <a, b>",
		"commutation": "K(m, n)", "vecperm": "K(m, n)",
	}
}
