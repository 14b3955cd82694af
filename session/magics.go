package session

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/matcalc/matcalc/calculus"
	"github.com/matcalc/matcalc/kernel/lang"
)

// cellState is what the lines of one cell share.
type cellState struct {
	out     *resultSink
	n       int
	payload []map[string]any
}

// resultSink passes a cell's outputs on, holding back the latest value:
// it becomes the cell's result (execute_result, Out[n]) when nothing is
// shown after it and the cell succeeds, and a display_data otherwise.
type resultSink struct {
	out     lang.Sink
	n       int
	pending *lang.Bundle
}

func (r *resultSink) release() {
	if r.pending != nil {
		r.out.Display(*r.pending)
		r.pending = nil
	}
}

func (r *resultSink) Input(n int) { r.out.Input(n) }

func (r *resultSink) Stream(name, text string) {
	r.release()
	r.out.Stream(name, text)
}

// note streams text without releasing the value held back: %time's
// report comes before the cell's result, as in IPython.
func (r *resultSink) note(name, text string) { r.out.Stream(name, text) }

func (r *resultSink) Display(b lang.Bundle) {
	r.release()
	r.out.Display(b)
}

func (r *resultSink) Result(_ int, b lang.Bundle) {
	r.release()
	r.pending = &b
}

func (r *resultSink) Clear(wait bool) {
	r.release()
	r.out.Clear(wait)
}

// finish shows the value held back, as the result when ok, and returns
// the plain text of the result shown ("" when none).
func (r *resultSink) finish(ok bool) string {
	if r.pending == nil {
		return ""
	}
	if !ok {
		r.release()
		return ""
	}
	b := *r.pending
	r.pending = nil
	r.out.Result(r.n, b)
	plain, _ := b.Data["text/plain"].(string)
	return plain
}

// magicInfo documents one magic command.
type magicInfo struct {
	usage string
	doc   string
}

// magicDocs returns the documentation of the magics a line of a cell may
// start with: a new table each time, as there is no package-level one.
func magicDocs() map[string]magicInfo {
	return map[string]magicInfo{
		"%who":   {"%who", "List the declared symbols with their shapes, properties and values."},
		"%reset": {"%reset", "Forget every declaration, value and setting."},
		"%time":  {"%time [code]", "Run the rest of the line and the cell's following lines, then print the wall time they took."},
		"%sleep": {"%sleep S", "Wait S seconds (a decimal number); an interrupt stops the wait."},
		"%echo":  {"%echo TEXT", "Print TEXT on standard output."},
		"%warn":  {"%warn TEXT", "Print TEXT on standard error (a warning in a notebook)."},
		"%clear": {"%clear", "Clear the cell's output shown so far."},
		"%help":  {"%help [NAME]", "Show help on a name, a function or a magic in the pager; with no name, on matcalc."},
	}
}

// magicNames returns the magics, sorted.
func magicNames() []string {
	docs := magicDocs()
	names := make([]string, 0, len(docs))
	for n := range docs {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// magic runs one magic line (other than %time, which takes the rest of
// the cell).
func (s *Session) magic(ctx context.Context, name, arg string, at magicLine, st *cellState) error {
	switch name {
	case "%who":
		who := s.in.Who()
		if strings.TrimSpace(who.Plain) == "" {
			who.Plain = "Nothing declared."
		}
		st.out.Display(bundle(who))
	case "%reset":
		s.in.Reset()
		st.out.Stream("stdout", "Environment reset.\n")
	case "%sleep":
		d, err := strconv.ParseFloat(arg, 64)
		if err != nil || d < 0 || d > 86400 {
			return at.errorAt(arg, "%%sleep wants a number of seconds between 0 and 86400, got %q", arg)
		}
		t := time.NewTimer(time.Duration(d * float64(time.Second)))
		defer t.Stop()
		select {
		case <-ctx.Done():
			return fmt.Errorf("session: %%sleep: %w", ctx.Err())
		case <-t.C:
		}
	case "%echo":
		st.out.Stream("stdout", arg+"\n")
	case "%warn":
		st.out.Stream("stderr", arg+"\n")
	case "%clear":
		st.out.Clear(false)
	case "%help":
		text, ok := s.help(arg)
		if !ok {
			return at.errorAt(arg, "%%help: nothing is known about %q", arg)
		}
		st.payload = append(st.payload, map[string]any{
			"source": "page",
			"data":   map[string]any{"text/plain": text},
			"start":  0,
		})
	default:
		return at.errorAt(name, "unknown magic %s%s (known: %s)", name, suggestMagic(name), strings.Join(magicNames(), " "))
	}
	return nil
}

// suggestMagic returns ": did you mean %NAME?" for a misspelt magic, or
// "" when no magic is close.
func suggestMagic(name string) string {
	if c := calculus.Closest(name, magicNames()); c != "" {
		return ": did you mean " + c + "?"
	}
	return ""
}

// help returns the help text on name, or on matcalc when name is empty.
func (s *Session) help(name string) (string, bool) {
	if name == "" {
		var b strings.Builder
		b.WriteString(s.Info().Banner + "\n\nMagics (at the start of a line):\n")
		docs := magicDocs()
		for _, n := range magicNames() {
			fmt.Fprintf(&b, "  %-14s %s\n", docs[n].usage, docs[n].doc)
		}
		b.WriteString("\nNames known here: " + strings.Join(s.in.Names(), " ") + "\n")
		return b.String(), true
	}
	if m, ok := magicDocs()[name]; ok {
		return m.usage + "\n\n" + m.doc + "\n", true
	}
	if o, ok := s.in.Describe(name); ok {
		return o.Plain, true
	}
	return "", false
}
