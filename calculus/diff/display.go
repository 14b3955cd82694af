package diff

import (
	"sort"
	"strings"

	"github.com/matcalc/matcalc/calculus/expr"
)

// Display. A derivation's lines are rendered only when they are shown: the
// engine records each line as an expression and renders it, with the
// order its terms arose in, when Derivation.Steps (or Plain, LaTeX) asks.
// A caller that wants only the result (the evaluator's grad(…) in an
// expression, the numeric checks, the benchmarks against SymPy) does not pay
// for text it never reads. The order of terms on a line depends on the lines
// before it, so the engine keeps, in order, the events that fix it (a product
// rule's terms, a line's expansion of the one before), and rendering replays
// them up to each line.

// orderEvent fixes the written order of the terms of the sum n: either the
// keys given (the product rule's d(u) v + u d(v)), or, when keep is set, the
// order of prev with the pending differentials of sub expanded (keepOrder).
type orderEvent struct {
	n, prev expr.Node
	subs    []holeSub
	keys    []string
	keep    bool
}

// stepSource is what a recorded line needs to be rendered later: the engine
// that recorded it, the line's expression, the local rewrites, and how many
// order events come before each.
type stepSource struct {
	e       *engine
	node    expr.Node
	at      int // order events before the line
	local   []pendingRewrite
	localAt int      // order events before the rewrites
	consts  []string // constants named in the note, set as math in its LaTeX
	readOff *readOffOf
	lhsTeX  func() string // the LaTeX of the left side, when written later
}

// lastSource is the source of the last line recorded.
func (e *engine) lastSource() *stepSource { return e.steps[len(e.steps)-1].src }

// pendingRewrite is a Rewrite not yet rendered: d(u) became after.
type pendingRewrite struct{ u, after expr.Node }

// setOrder records that the terms of n are written in the order of keys.
func (e *engine) setOrder(n expr.Node, keys []string) {
	e.events = append(e.events, orderEvent{n: n, keys: keys})
}

// replay applies the order events up to at (from the start again when a
// line before those already replayed is rendered).
func (e *engine) replay(at int) {
	if at < e.replayed || e.termOrder == nil {
		e.termOrder, e.replayed = map[string][]string{}, 0
	}
	for ; e.replayed < at; e.replayed++ {
		ev := e.events[e.replayed]
		if ev.keep {
			sub := make(map[string]expr.Node, len(ev.subs))
			for _, h := range ev.subs {
				sub[h.name] = h.n
			}
			e.keepOrder(ev.prev, sub, ev.n)
		} else {
			e.termOrder[ev.n.Key()] = e.displayed(ev.n, ev.keys)
		}
	}
}

// fill renders a recorded line: its right side, its local rewrites and the
// LaTeX of its note.
func (s *Step) fill() {
	src := s.src
	if src == nil {
		return
	}
	e := src.e
	if len(src.local) > 0 {
		e.replay(src.localAt)
		s.Local = make([]Rewrite, 0, len(src.local))
		for _, r := range src.local {
			ap, al := e.render(r.after)
			s.Local = append(s.Local, Rewrite{Before: "d(" + r.u.String() + ")", After: ap,
				BeforeLaTeX: `{\rm d}\left(` + r.u.LaTeX() + `\right)`, AfterLaTeX: al})
		}
	}
	e.replay(src.at)
	s.Plain, s.LaTeX = e.render(src.node)
	if len(src.consts) > 0 {
		var p prose
		for i, name := range src.consts {
			if i > 0 {
				p.text(", ")
			}
			if sym, ok := e.symTeX[name]; ok { // (a nil map reads as empty)
				p.math(name, sym.LaTeX())
			} else {
				p.math(name, `\text{`+expr.TeXText(name)+`}`)
			}
		}
		p.text(" constant")
		s.NoteLaTeX = p.LaTeX()
	}
	if src.lhsTeX != nil {
		s.LHSLaTeX = src.lhsTeX()
	}
	if src.readOff != nil {
		s.ReadOff, s.ReadOffLaTeX = readOffText(src.readOff.rule, src.readOff.x, src.readOff.opts)
	}
	s.src = nil
}

// render renders n with its pending differentials written d(…), the
// terms of a sum in the order they arose (e.termOrder).
func (e *engine) render(n expr.Node) (string, string) {
	plain, latex := expr.RenderInOrder(n, e.termOrder[n.Key()])
	if !strings.Contains(plain, "\x00") {
		return plain, latex
	}
	for _, h := range e.holes {
		name, u := h.sym.Name(), h.u
		plain = strings.ReplaceAll(plain, name, "d("+u.String()+")")
		latex = strings.ReplaceAll(latex, `{\it `+name+`}`, `{\rm d}\left(`+u.LaTeX()+`\right)`)
	}
	return plain, latex
}

// orderOf returns the Keys of the terms' X of n in the order n is
// written in.
func (e *engine) orderOf(n expr.Node) []string {
	return e.displayed(n, e.termOrder[n.Key()])
}

// displayed returns the Keys of the terms' X of n in the order
// expr.RenderInOrder writes them given keys: those in keys first, in
// their order, the others in normal order, and positive terms before
// negative ones.
func (e *engine) displayed(n expr.Node, keys []string) []string {
	rank := map[string]int{}
	for i, k := range keys {
		if _, dup := rank[k]; !dup {
			rank[k] = i
		}
	}
	at := func(t expr.Term) int {
		if i, ok := rank[t.X.Key()]; ok {
			return i
		}
		return len(keys)
	}
	ts := sumTerms(n)
	sort.SliceStable(ts, func(i, j int) bool { return at(ts[i]) < at(ts[j]) })
	var pos, neg []string
	for _, t := range ts {
		if t.Coef.Sign() < 0 {
			neg = append(neg, t.X.Key())
		} else {
			pos = append(pos, t.X.Key())
		}
	}
	return append(pos, neg...)
}

// orderInside returns the order of the terms of s, which is t with the
// differentials of sub expanded: when t holds one of them and its
// expansion's terms went into terms of s (d(tr(XY)) = tr(dX Y) +
// tr(X dY)), the terms of s in the order of the terms they hold.
func (e *engine) orderInside(t expr.Node, sub map[string]expr.Node, s expr.Node) []string {
	normal := e.orderOf(s)
	hs := e.allPending(t)
	if len(hs) != 1 || sub[hs[0]] == nil || len(normal) < 2 {
		return normal
	}
	inner := e.orderOf(sub[hs[0]])
	at := map[string]int{}
	for _, t := range sumTerms(s) {
		at[t.X.Key()] = len(inner)
		expr.Inspect(t.X, func(m expr.Node) bool {
			for i, k := range inner {
				if m.Key() == k && i < at[t.X.Key()] {
					at[t.X.Key()] = i
				}
			}
			return true
		})
	}
	sort.SliceStable(normal, func(i, j int) bool { return at[normal[i]] < at[normal[j]] })
	return normal
}

// keepOrder records the order in which the terms of next, which is prev
// with the pending differentials of sub expanded, are written: each term
// of prev, in the order prev was written, is replaced by the terms it
// became, so that an expanded term keeps its place instead of moving
// before a still pending d(…) by the sort of the normal form. When the
// terms do not match one to one (like terms combined), next keeps its
// normal order.
func (e *engine) keepOrder(prev expr.Node, sub map[string]expr.Node, next expr.Node) {
	if _, ok := next.(*expr.Sum); !ok {
		return
	}
	if _, ok := e.termOrder[next.Key()]; ok {
		return
	}
	var cand []string
	for _, k := range e.orderOf(prev) {
		var t expr.Node
		for _, pt := range sumTerms(prev) {
			if pt.X.Key() == k {
				t = pt.X
				break
			}
		}
		if t == nil {
			continue
		}
		if h, ok := t.(*expr.Symbol); ok && sub[h.Name()] != nil {
			cand = append(cand, e.orderOf(sub[h.Name()])...)
			continue
		}
		s, err := expr.Substitute(t, sub)
		if err != nil {
			return
		}
		cand = append(cand, e.orderInside(t, sub, s)...)
	}
	seen := map[string]bool{}
	for _, k := range cand {
		seen[k] = true
	}
	for _, t := range sumTerms(next) {
		if !seen[t.X.Key()] {
			return
		}
	}
	e.termOrder[next.Key()] = e.displayed(next, cand)
}
