package syntax

import "strings"

// Completeness of a cell, as Jupyter's is_complete_request reports it.
const (
	Complete   = "complete"
	Incomplete = "incomplete"
	Invalid    = "invalid"
)

// IsComplete reports whether src is a complete cell. It is Incomplete
// when every error is met at the end of the input — an open bracket, a
// trailing operator, a declaration without its type — so that more lines
// could complete it; then indent is four spaces per open bracket. It is
// Invalid when an error comes before the end, and Complete otherwise.
func IsComplete(src string) (status, indent string) {
	_, err := Parse(src)
	if err == nil {
		return Complete, ""
	}
	for _, e := range err.(ErrorList) {
		if !e.Incomplete {
			return Invalid, ""
		}
	}
	l := newLexer(src)
	l.run()
	return Incomplete, strings.Repeat("    ", len(l.delims))
}
