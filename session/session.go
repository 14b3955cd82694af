// Package session is one matcalc kernel session over a
// calculus.Interpreter: execution counts, history, magics, completion,
// inspection and the display bundles of a cell's outputs. It implements
// lang.Session, and runs files and a terminal REPL (terminal.go).
package session

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime/debug"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/matcalc/matcalc/calculus"
	"github.com/matcalc/matcalc/calculus/syntax"
	"github.com/matcalc/matcalc/kernel/lang"
)

// Session is a kernel session. It is not safe for concurrent use, except
// Info.
type Session struct {
	in      *calculus.Interpreter
	version string
	count   int
	history []entry
}

type entry struct {
	line   int
	input  string
	output string
}

// New returns a session with a fresh interpreter; version is the
// implementation version shown in kernel_info.
func New(version string) *Session {
	return &Session{in: calculus.New(), version: version}
}

// Info implements lang.Session.
func (s *Session) Info() lang.Info {
	return lang.Info{
		Implementation:        "matcalc",
		ImplementationVersion: s.version,
		Language: lang.LanguageInfo{
			Name:          "matcalc",
			Version:       s.version,
			Mimetype:      "text/x-matcalc",
			FileExtension: ".mc",
			// matcalc has no highlighter of its own; Octave's is the
			// nearest that every front end has: ' after a name or a
			// bracket is a transpose, [1 2; 3 4] is a matrix, and #
			// comments and % magics are greyed as comments. Pygments
			// (nbconvert, nbviewer) has the "octave" lexer; CodeMirror 5
			// (Notebook 6) and JupyterLab 4's language list have an
			// "octave" mode.
			PygmentsLexer:  "octave",
			CodemirrorMode: "octave",
		},
		Banner:    "matcalc " + s.version + " — matrix calculus at the board. %help lists the magics and names.",
		HelpLinks: []lang.HelpLink{{Text: "matcalc", URL: "https://github.com/matcalc/matcalc"}},
	}
}

// ExecutionCount returns the count of the last cell stored in history.
func (s *Session) ExecutionCount() int { return s.count }

// Execute implements lang.Session.
func (s *Session) Execute(ctx context.Context, req lang.ExecuteRequest, out lang.Sink) lang.ExecuteResult {
	return s.execute(ctx, req, out, 0)
}

// execute is Execute for a cell whose first line is line base+1 of a
// file: errors give their lines in the file.
func (s *Session) execute(ctx context.Context, req lang.ExecuteRequest, out lang.Sink, base int) (res lang.ExecuteResult) {
	if req.StoreHistory {
		s.count++
	}
	n := s.count
	out.Input(n)
	res.ExecutionCount = n
	defer func() {
		// A bug in the language must not take the session down.
		if p := recover(); p != nil {
			stack := strings.Split(strings.TrimRight(string(debug.Stack()), "\n"), "\n")
			res.Err = &lang.ExecError{
				Kind:      lang.InternalError,
				Value:     fmt.Sprintf("matcalc failed on this cell (a bug, please report it): %v", p),
				Traceback: append([]string{fmt.Sprintf("InternalError: %v", p)}, stack...),
			}
		}
	}()
	rs := &resultSink{out: out, n: n}
	st := &cellState{out: rs, n: n}
	err := s.run(ctx, req.Code, base, st)
	lastValue := rs.finish(err == nil)
	if err != nil {
		res.Err = execError(err)
	}
	res.Payload = st.payload
	if req.StoreHistory {
		s.history = append(s.history, entry{line: n, input: req.Code, output: lastValue})
	}
	if len(req.UserExpressions) > 0 {
		res.UserExpressions = s.userExpressions(ctx, req.UserExpressions)
	}
	return res
}

// run executes the cell: magic lines one by one, the runs of other lines
// by the interpreter.
// base is the 0-based index, in the cell, of code's first line.
func (s *Session) run(ctx context.Context, code string, base int, st *cellState) error {
	lines := strings.SplitAfter(code, "\n")
	var chunk strings.Builder
	chunkStart := 0
	flush := func() error {
		src := chunk.String()
		chunk.Reset()
		if strings.TrimSpace(src) == "" {
			return nil
		}
		return s.exec(ctx, src, base+chunkStart, st.out)
	}
	for i, line := range lines {
		trimmed := strings.TrimSpace(line)
		if _, _, ok := s.helpLine(trimmed); ok {
			if err := flush(); err != nil {
				return err
			}
			// Asked again after the lines before it ran: they may declare exit.
			if name, how, ok := s.helpLine(trimmed); ok {
				at := magicLine{line: base + i + 1, text: strings.TrimRight(line, "\r\n")}
				if err := s.helpOn(name, how, at, st); err != nil {
					return err
				}
				continue
			}
		}
		if !strings.HasPrefix(trimmed, "%") {
			if chunk.Len() == 0 {
				chunkStart = i
			}
			chunk.WriteString(line)
			continue
		}
		if err := flush(); err != nil {
			return err
		}
		name, arg := trimmed, ""
		if j := strings.IndexFunc(trimmed, unicode.IsSpace); j >= 0 {
			name, arg = trimmed[:j], strings.TrimSpace(trimmed[j:])
		}
		at := magicLine{line: base + i + 1, text: strings.TrimRight(line, "\r\n")}
		if name == "%time" {
			rest := arg
			if i+1 < len(lines) {
				rest += "\n" + strings.Join(lines[i+1:], "")
			}
			start := time.Now()
			var err error
			if strings.TrimSpace(rest) != "" {
				err = at.shift(s.run(ctx, rest, base+i, st), arg)
			}
			st.out.note("stdout", fmt.Sprintf("Wall time: %s\n", roundDuration(time.Since(start))))
			return err
		}
		if err := s.magic(ctx, name, arg, at, st); err != nil {
			return err
		}
	}
	return flush()
}

func roundDuration(d time.Duration) time.Duration {
	switch {
	case d > time.Second:
		return d.Round(time.Millisecond)
	case d > time.Millisecond:
		return d.Round(time.Microsecond)
	}
	return d
}

// exec runs source lines through the interpreter; line0 is the 0-based
// index of their first line in the cell. Values go to out.Result: the
// resultSink decides which one is the cell's result.
func (s *Session) exec(ctx context.Context, src string, line0 int, out lang.Sink) error {
	outs, err := s.in.Exec(ctx, src)
	for _, o := range outs {
		if o.Kind == calculus.Value {
			out.Result(0, bundle(o))
		} else {
			out.Display(bundle(o))
		}
	}
	var ce *calculus.Error
	if errors.As(err, &ce) && line0 > 0 {
		moved := *ce
		moved.Line += line0
		return &moved
	}
	return err
}

// bundle turns an Output into a MIME bundle.
func bundle(o calculus.Output) lang.Bundle {
	data := map[string]any{"text/plain": o.Plain}
	if o.LaTeX != "" {
		data["text/latex"] = "$$" + o.LaTeX + "$$"
	}
	meta := map[string]any{}
	if o.SVG != "" {
		data["image/svg+xml"] = o.SVG
	}
	if len(o.PNG) > 0 {
		data["image/png"] = base64.StdEncoding.EncodeToString(o.PNG)
		if o.Width > 0 && o.Height > 0 {
			meta["image/png"] = map[string]any{"width": o.Width, "height": o.Height}
		}
	}
	return lang.Bundle{Data: data, Metadata: meta}
}

// magicLine is where a magic is in its cell: its 1-based line and text.
type magicLine struct {
	line int
	text string
}

// errorAt returns a magicError at the first occurrence of what in the
// line (or at the line's first character when what is not there).
func (m magicLine) errorAt(what, format string, args ...any) *magicError {
	col := 1
	if i := strings.Index(m.text, what); i >= 0 && what != "" {
		col = utf8.RuneCountInString(m.text[:i]) + 1
	} else if i := strings.IndexFunc(m.text, func(r rune) bool { return !unicode.IsSpace(r) }); i >= 0 {
		col = utf8.RuneCountInString(m.text[:i]) + 1
	}
	return &magicError{line: m.line, col: col, source: m.text, msg: fmt.Sprintf(format, args...)}
}

// shift moves an error on this line of code, which ran without the
// magic before it (%time CODE), to its place in the whole line, so that
// the caret points into what was written.
func (m magicLine) shift(err error, code string) error {
	i := strings.Index(m.text, code)
	if err == nil || code == "" || i < 0 {
		return err
	}
	cols := utf8.RuneCountInString(m.text[:i])
	var ce *calculus.Error
	var me *magicError
	switch {
	case errors.As(err, &ce) && ce.Line == m.line:
		moved := *ce
		moved.Col += cols
		moved.Source = m.text
		return &moved
	case errors.As(err, &me) && me.line == m.line:
		moved := *me
		moved.col += cols
		moved.source = m.text
		return &moved
	}
	return err
}

// ErrorKind is a kind of error of the session itself, beside the
// language's (calculus.Kind) and the shared ones (lang.InternalError,
// lang.Interrupted). Its String is the name Jupyter shows.
type ErrorKind int

// The session's kinds of error.
const (
	// MagicError: a wrong magic line (%sleep x, %nope).
	MagicError ErrorKind = iota + 1
	// OtherError: any other failure of a cell, shown as "Error".
	OtherError
)

// String returns the name Jupyter shows: "MagicError", "Error".
func (k ErrorKind) String() string {
	if k == MagicError {
		return "MagicError"
	}
	return "Error"
}

// magicError is a wrong magic line.
type magicError struct {
	line, col int
	source    string
	msg       string
}

func (e *magicError) Error() string { return fmt.Sprintf("%d:%d: %s", e.line, e.col, e.msg) }

// traceback is what a located error shows: where and what, then the line
// with a caret under the column.
func traceback(kind lang.ErrorKind, line, col int, msg, source string) []string {
	tb := []string{fmt.Sprintf("%s at line %d, column %d: %s", kind, line, col, msg)}
	if source != "" {
		for _, l := range strings.Split(syntax.Caret(source, col), "\n") {
			tb = append(tb, "    "+l)
		}
	}
	return tb
}

// execError turns an error of a cell into what Jupyter shows.
func execError(err error) *lang.ExecError {
	var ce *calculus.Error
	var me *magicError
	switch {
	case errors.As(err, &ce):
		return &lang.ExecError{Kind: ce.Kind, Value: ce.Msg, Traceback: traceback(ce.Kind, ce.Line, ce.Col, ce.Msg, ce.Source)}
	case errors.As(err, &me):
		return &lang.ExecError{Kind: MagicError, Value: me.msg, Traceback: traceback(MagicError, me.line, me.col, me.msg, me.source)}
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return &lang.ExecError{Kind: lang.Interrupted, Value: "the cell was interrupted", Traceback: []string{lang.Interrupted.String() + ": the cell was interrupted"}}
	}
	return &lang.ExecError{Kind: OtherError, Value: err.Error(), Traceback: []string{OtherError.String() + ": " + err.Error()}}
}

// userExpressions evaluates the user_expressions of an execute_request
// after the cell. They are evaluated, not run: an assignment among them is
// an error, and nothing they do changes the session.
func (s *Session) userExpressions(ctx context.Context, exprs map[string]string) map[string]any {
	res := make(map[string]any, len(exprs))
	for name, src := range exprs {
		o, err := s.in.Eval(ctx, src)
		if err != nil {
			e := execError(err)
			res[name] = map[string]any{"status": "error", "ename": e.Name(), "evalue": e.Value, "traceback": e.Traceback}
			continue
		}
		data := map[string]any{"text/plain": o.Plain}
		if o.Plain != "" {
			data = bundle(o).Data
		}
		res[name] = map[string]any{"status": "ok", "data": data, "metadata": map[string]any{}}
	}
	return res
}

// wordAt returns the bounds, in code points, of the name around cursor.
func wordAt(rs []rune, cursor int) (start, end int) {
	start, end = cursor, cursor
	for start > 0 && syntax.IsIdentChar(rs[start-1]) {
		start--
	}
	for end < len(rs) && syntax.IsIdentChar(rs[end]) {
		end++
	}
	return start, end
}

// Complete implements lang.Session: the name before the cursor is
// completed with the interpreter's names, or a magic at the start of a
// line.
func (s *Session) Complete(code string, cursor int) lang.Completion {
	rs := []rune(code)
	cursor = max(0, min(cursor, len(rs)))
	start, _ := wordAt(rs, cursor)
	prefix := string(rs[start:cursor])
	var cands []string
	if start > 0 && rs[start-1] == '%' {
		start--
		prefix = "%" + prefix
		cands = magicNames()
	} else {
		cands = s.in.Names()
	}
	matches := []string{}
	seen := map[string]bool{}
	for _, c := range cands {
		if strings.HasPrefix(c, prefix) && !seen[c] {
			seen[c] = true
			matches = append(matches, c)
		}
	}
	sort.Strings(matches)
	return lang.Completion{Matches: matches, Start: start, End: cursor}
}

// Inspect implements lang.Session: the name around the cursor (or just before it) is
// described by the interpreter: a function or command with its whole help, a symbol with
// its declaration and value. Inside the parentheses of a call (Shift+Tab after grad( or on
// an argument) the call's help comes first, then the symbol under the cursor if any.
func (s *Session) Inspect(code string, cursor, detail int) lang.Bundle {
	rs := []rune(code)
	cursor = max(0, min(cursor, len(rs)))
	start, end := wordAt(rs, cursor)
	name := string(rs[start:end])
	if start > 0 && rs[start-1] == '%' {
		m, ok := magicDocs()["%"+name]
		if !ok {
			return lang.Bundle{}
		}
		return lang.Bundle{Data: map[string]any{"text/plain": m.text()}, Metadata: map[string]any{}}
	}
	var parts []string
	if call := calculus.CallAt(code, cursor); call != "" && call != name {
		if o, ok := s.in.Describe(call); ok {
			parts = append(parts, o.Plain)
		}
	}
	if name != "" {
		if o, ok := s.in.Describe(name); ok {
			if len(parts) == 0 {
				return bundle(o)
			}
			parts = append(parts, o.Plain)
		}
	}
	if len(parts) == 0 {
		return lang.Bundle{}
	}
	return lang.Bundle{Data: map[string]any{"text/plain": strings.Join(parts, "\n\n")}, Metadata: map[string]any{}}
}

// IsComplete implements lang.Session.
func (s *Session) IsComplete(code string) (status, indent string) {
	var rest []string
	for _, l := range strings.Split(code, "\n") {
		t := strings.TrimSpace(l)
		for strings.HasPrefix(t, "%time") && len(t) > 5 && unicode.IsSpace(rune(t[5])) {
			t = strings.TrimSpace(t[6:]) // the code %time times
		}
		if !strings.HasPrefix(t, "%") {
			rest = append(rest, t)
		}
	}
	src := strings.Join(rest, "\n")
	if strings.TrimSpace(src) == "" {
		return "complete", ""
	}
	return s.in.IsComplete(src)
}
