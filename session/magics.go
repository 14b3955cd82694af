package session

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/matcalc/matcalc/calculus"
	"github.com/matcalc/matcalc/calculus/builtin"
	"github.com/matcalc/matcalc/calculus/syntax"
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
	usage   string
	doc     string
	example string // a cell that runs as it stands
}

// text is the magic's help: usage, what it does, an example.
func (m magicInfo) text() string {
	return m.usage + " — magic (at the start of a line)\n    " + m.doc +
		"\nexample (a cell that runs):\n    " + strings.ReplaceAll(m.example, "\n", "\n    ")
}

// magicDocs returns the documentation of the magics a line of a cell may
// start with: a new table each time, as there is no package-level one.
func magicDocs() map[string]magicInfo {
	return map[string]magicInfo{
		"%who":   {"%who", "List the declared symbols with their shapes, properties and values.", "A : matrix(n, n)\n%who"},
		"%reset": {"%reset", "Forget every declaration, value and setting.", "%reset"},
		"%time":  {"%time [code]", "Run the rest of the line and the cell's following lines, then print the wall time they took.", "x : vector(n)\n%time grad(x'*x, x)"},
		"%sleep": {"%sleep S", "Wait S seconds (a decimal number); an interrupt stops the wait.", "%sleep 0.1"},
		"%echo":  {"%echo TEXT", "Print TEXT on standard output.", "%echo the gradient of x'*A*x:"},
		"%warn":  {"%warn TEXT", "Print TEXT on standard error (a warning in a notebook).", "%warn n must be positive"},
		"%clear": {"%clear", "Clear the cell's output shown so far.", "%echo gone\n%clear"},
		"%help":  {"%help [NAME]", "Show help on a function, a command, a magic or a declared name in the pager (also ?NAME, NAME?, and help(NAME) in the cell's output); with no name, on matcalc.", "%help grad"},
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
			return at.errorAt(arg, "%%help: nothing is known about %q%s", arg, suggestName(s, arg))
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
		b.WriteString(s.Info().Banner + "\n\nHelp on one name: ?NAME, NAME?, help(NAME) or %help NAME; Shift+Tab on a\n" +
			"name or inside a call's parentheses; Tab completes. Ctrl-D leaves a console.\n")
		kinds := []builtin.Kind{builtin.Command, builtin.Statement, builtin.Matrix, builtin.Elementwise,
			builtin.Constructor, builtin.Numeric}
		titles := []string{"Commands", "Statements", "Functions", "Elementwise functions",
			"Constructors", "Functions of numbers"}
		for i, k := range kinds {
			fmt.Fprintf(&b, "\n%s:\n", titles[i])
			for _, f := range builtin.All() {
				if f.Kind == k && !f.Internal {
					helpRow(&b, f.Help.Sig, f.Help.Doc)
				}
			}
		}
		b.WriteString("\nMagics (at the start of a line):\n")
		docs := magicDocs()
		for _, n := range magicNames() {
			helpRow(&b, docs[n].usage, docs[n].doc)
		}
		return b.String(), true
	}
	if m, ok := magicDocs()[name]; ok {
		return m.text() + "\n", true
	}
	if o, ok := s.in.Describe(name); ok {
		return o.Plain, true
	}
	return "", false
}

// helpLine recognises the other ways to ask for help on a line of its own: ?NAME, ??NAME,
// NAME?, help(NAME), help NAME and help (how = "page" or "print"), and exit or quit, which
// a student types in a console to leave (how = "exit"). A declared symbol of that name
// wins: exit = 3 makes exit a value.
func (s *Session) helpLine(line string) (name, how string, ok bool) {
	line = strings.TrimSpace(strings.SplitN(line, "#", 2)[0])
	switch {
	case line == "":
		return "", "", false
	case line == "exit" || line == "quit" || line == "exit()" || line == "quit()":
		if _, declared := s.in.Describe(strings.TrimSuffix(line, "()")); declared {
			return "", "", false
		}
		return "", "exit", true
	case strings.HasPrefix(line, "?"):
		return strings.TrimSpace(strings.TrimLeft(line, "?")), "page", true
	case strings.HasSuffix(line, "?") && isHelpName(strings.TrimRight(line, "?")):
		return strings.TrimRight(line, "?"), "page", true
	case line == "help" || line == "help()":
		return "", "print", true
	case strings.HasPrefix(line, "help(") && strings.HasSuffix(line, ")"):
		return strings.TrimSpace(line[len("help(") : len(line)-1]), "print", true
	case strings.HasPrefix(line, "help ") && isHelpName(strings.TrimSpace(line[len("help "):])):
		return strings.TrimSpace(line[len("help "):]), "print", true
	}
	return "", "", false
}

// isHelpName reports whether s is a name or a magic help can be asked on.
func isHelpName(s string) bool {
	s = strings.TrimPrefix(s, "%")
	if s == "" {
		return false
	}
	for _, r := range s {
		if !syntax.IsIdentChar(r) {
			return false
		}
	}
	return true
}

// helpOn answers a help line: the help in the pager (page), in the cell's output (print),
// or, for exit and quit, how to leave.
func (s *Session) helpOn(name, how string, at magicLine, st *cellState) error {
	if how == "exit" {
		st.out.Stream("stdout", "To leave matcalc press Ctrl-D (in jupyter console, or in the matcalc REPL).\n"+
			"In a notebook, close the tab; Kernel → Shut Down stops the kernel.\n")
		return nil
	}
	text, ok := s.help(name)
	if !ok {
		return at.errorAt(name, "help: nothing is known about %q%s", name, suggestName(s, name))
	}
	if how == "print" {
		st.out.Stream("stdout", strings.TrimRight(text, "\n")+"\n")
		return nil
	}
	st.payload = append(st.payload, map[string]any{
		"source": "page",
		"data":   map[string]any{"text/plain": text},
		"start":  0,
	})
	return nil
}

// suggestName returns ": did you mean NAME?" for a misspelt name, or "".
func suggestName(s *Session, name string) string {
	if c := calculus.Closest(name, append(s.in.Names(), magicNames()...)); c != "" {
		return ": did you mean " + c + "?"
	}
	return ""
}

// helpRow writes one row of the overview: the usage, then what it does, in a column.
func helpRow(b *strings.Builder, usage, doc string) {
	if len([]rune(usage)) > 26 {
		fmt.Fprintf(b, "  %s\n  %-26s %s\n", usage, "", doc)
		return
	}
	fmt.Fprintf(b, "  %-26s %s\n", usage, doc)
}
