package session

import (
	"github.com/matcalc/matcalc/kernel/lang"
)

// sessionNumber is the number history entries carry: one session per
// kernel process.
const sessionNumber = 1

// History implements lang.Session: "tail" returns the last N cells,
// "range" the cells Start ≤ line < Stop of the current session (session 0
// or 1), "search" the cells whose input matches the glob Pattern (* any
// text, ? one character, \ escapes), the last N of them. Unique keeps only
// the latest of equal inputs.
func (s *Session) History(req lang.HistoryRequest) []lang.HistoryEntry {
	var picked []entry
	switch req.Access {
	case "tail":
		picked = s.history
		if req.Unique {
			picked = unique(picked)
		}
		picked = last(picked, req.N)
	case "range":
		if req.Session != 0 && req.Session != sessionNumber {
			return nil
		}
		for _, e := range s.history {
			if e.line >= req.Start && (req.Stop <= 0 || e.line < req.Stop) {
				picked = append(picked, e)
			}
		}
	case "search":
		pat := req.Pattern
		if pat == "" {
			pat = "*"
		}
		for _, e := range s.history {
			if glob(pat, e.input) {
				picked = append(picked, e)
			}
		}
		if req.Unique {
			picked = unique(picked)
		}
		picked = last(picked, req.N)
	default:
		return nil
	}
	out := make([]lang.HistoryEntry, 0, len(picked))
	for _, e := range picked {
		he := lang.HistoryEntry{Session: sessionNumber, Line: e.line, Input: e.input}
		if req.Output {
			he.Output = e.output
		}
		out = append(out, he)
	}
	return out
}

// last returns the last n entries (all when n ≤ 0).
func last(es []entry, n int) []entry {
	if n > 0 && len(es) > n {
		return es[len(es)-n:]
	}
	return es
}

// unique keeps the latest entry of each distinct input, in order.
func unique(es []entry) []entry {
	latest := map[string]int{}
	for i, e := range es {
		latest[e.input] = i
	}
	var out []entry
	for i, e := range es {
		if latest[e.input] == i {
			out = append(out, e)
		}
	}
	return out
}

// glob reports whether s matches pattern as a whole: * matches any text
// (newlines included), ? any one character, \c the character c.
func glob(pattern, s string) bool {
	p, t := []rune(pattern), []rune(s)
	// Iterative matching with backtracking to the last star.
	pi, ti := 0, 0
	star, mark := -1, 0
	for ti < len(t) {
		switch {
		case pi < len(p) && p[pi] == '*':
			star, mark = pi, ti
			pi++
		case pi < len(p) && p[pi] == '\\' && pi+1 < len(p) && p[pi+1] == t[ti]:
			pi += 2
			ti++
		case pi < len(p) && p[pi] != '\\' && (p[pi] == '?' || p[pi] == t[ti]):
			pi++
			ti++
		case star >= 0:
			pi = star + 1
			mark++
			ti = mark
		default:
			return false
		}
	}
	for pi < len(p) && p[pi] == '*' {
		pi++
	}
	return pi == len(p)
}
