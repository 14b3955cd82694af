package session

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/term"

	"github.com/matcalc/matcalc/kernel/lang"
)

// textSink prints a cell's outputs as plain text.
type textSink struct {
	mu  sync.Mutex
	out io.Writer
	err io.Writer
}

func (t *textSink) Input(int) {}

func (t *textSink) Stream(name, text string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	w := t.out
	if name == "stderr" {
		w = t.err
	}
	io.WriteString(w, text)
}

func (t *textSink) Display(b lang.Bundle) { t.print(b) }

func (t *textSink) Result(_ int, b lang.Bundle) { t.print(b) }

func (t *textSink) Clear(bool) {}

func (t *textSink) print(b lang.Bundle) {
	t.mu.Lock()
	defer t.mu.Unlock()
	s, _ := b.Data["text/plain"].(string)
	if s == "" {
		return
	}
	if !strings.HasSuffix(s, "\n") {
		s += "\n"
	}
	io.WriteString(t.out, s)
}

// Cell is one cell of a file: its code and the line of the file its
// code starts on (1-based).
type Cell struct {
	Code string
	Line int
}

// SplitCells splits the text of a file into cells at lines that hold only
// "%%". Cells with nothing but blanks are dropped.
func SplitCells(src string) []Cell {
	var cells []Cell
	var cur strings.Builder
	start := 1
	add := func() {
		if strings.TrimSpace(cur.String()) != "" {
			cells = append(cells, Cell{Code: cur.String(), Line: start})
		}
		cur.Reset()
	}
	for i, line := range strings.SplitAfter(src, "\n") {
		if strings.TrimSpace(line) == "%%" {
			add()
			start = i + 2
			continue
		}
		cur.WriteString(line)
	}
	add()
	return cells
}

// RunCell executes one cell and prints its outputs as plain text to out
// and its error, if any, to errw. It reports whether the cell succeeded.
func (s *Session) RunCell(ctx context.Context, code string, out, errw io.Writer) bool {
	return s.runCellAt(ctx, Cell{Code: code, Line: 1}, out, errw)
}

// runCellAt is RunCell for a cell of a file: errors give their lines in
// the file.
func (s *Session) runCellAt(ctx context.Context, c Cell, out, errw io.Writer) bool {
	sink := &textSink{out: out, err: errw}
	res := s.execute(ctx, lang.ExecuteRequest{Code: c.Code, StoreHistory: true}, sink, c.Line-1)
	for _, p := range res.Payload {
		if data, ok := p["data"].(map[string]any); ok {
			sink.print(lang.Bundle{Data: data})
		}
	}
	if res.Err != nil {
		for _, l := range res.Err.Traceback {
			fmt.Fprintln(errw, l)
		}
		return false
	}
	return true
}

// separator is the line RunText prints before each cell of a file with
// several: the cell's number and the line of the file it starts on.
func separator(n int, c Cell) string {
	head := fmt.Sprintf("── cell %d, line %d ", n, c.Line)
	return head + strings.Repeat("─", max(3, 60-utf8.RuneCountInString(head))) + "\n"
}

// RunText runs the cells of src (see SplitCells) one after another, all of
// them even after a failure, and returns how many failed. When src has
// more than one cell, a separator line before each names it and its first
// line; errors give their lines in src. It stops early when ctx is
// cancelled.
func (s *Session) RunText(ctx context.Context, src string, out, errw io.Writer) (failed int) {
	cells := SplitCells(src)
	for i, cell := range cells {
		if ctx.Err() != nil {
			return failed + 1
		}
		if len(cells) > 1 {
			io.WriteString(out, separator(i+1, cell))
		}
		if !s.runCellAt(ctx, cell, out, errw) {
			failed++
		}
	}
	return failed
}

// RunReader runs cells read from r: the whole input split at "%%" lines.
func (s *Session) RunReader(ctx context.Context, r io.Reader, out, errw io.Writer) (failed int, err error) {
	b, err := io.ReadAll(bufio.NewReader(r))
	if err != nil {
		return 0, fmt.Errorf("session: reading cells: %w", err)
	}
	return s.RunText(ctx, string(b), out, errw), nil
}

// ctrlCReader notes the Ctrl-C bytes read from a terminal in raw mode:
// term.Terminal reports Ctrl-C as end of file, which must not end the
// REPL.
type ctrlCReader struct {
	r    io.Reader
	mu   sync.Mutex
	seen bool
}

func (c *ctrlCReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	for _, b := range p[:n] {
		if b == 3 {
			c.mu.Lock()
			c.seen = true
			c.mu.Unlock()
		}
	}
	return n, err
}

func (c *ctrlCReader) take() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	seen := c.seen
	c.seen = false
	return seen
}

// REPL reads cells from the terminal in with line editing and history,
// runs them, and prints their outputs, until end of input (Ctrl-D). A
// cell goes on over several lines while the language says it is
// incomplete. Ctrl-C clears the line at the prompt and interrupts a
// running cell.
func (s *Session) REPL(ctx context.Context, in *os.File, out io.Writer) error {
	fd := int(in.Fd())
	cr := &ctrlCReader{r: in}
	var history term.History
	// newTerm returns a fresh line editor sharing the history: after
	// Ctrl-C, term.Terminal keeps the Ctrl-C byte in its buffer.
	newTerm := func() *term.Terminal {
		t := term.NewTerminal(struct {
			io.Reader
			io.Writer
		}{cr, out}, "")
		if history == nil {
			history = t.History
		}
		t.History = history
		t.AutoCompleteCallback = func(line string, pos int, key rune) (string, int, bool) {
			if key != '\t' {
				return "", 0, false
			}
			newLine, newPos, matches := s.completeLine(line, pos)
			if newLine == line && len(matches) > 1 {
				fmt.Fprintln(t, strings.Join(matches, "  "))
			}
			return newLine, newPos, true
		}
		if w, h, err := term.GetSize(fd); err == nil {
			_ = t.SetSize(w, h)
		}
		return t
	}
	t := newTerm()
	fmt.Fprintf(out, "%s\nCtrl-D exits.\n", s.Info().Banner)
	for {
		if ctx.Err() != nil {
			return nil
		}
		code, err := s.readCell(fd, out, &t, newTerm, cr)
		if errors.Is(err, io.EOF) {
			fmt.Fprintln(out)
			return nil
		}
		if err != nil {
			return err
		}
		if strings.TrimSpace(code) == "" {
			continue
		}
		cellCtx, stop := signal.NotifyContext(ctx, os.Interrupt)
		s.RunCell(cellCtx, code, out, out)
		stop()
	}
}

// completeLine completes the name before pos (a byte offset) in line: the
// only match, or the longest prefix common to the matches. It returns the
// new line, the new cursor (bytes) and the matches.
func (s *Session) completeLine(line string, pos int) (string, int, []string) {
	if pos < 0 || pos > len(line) {
		return line, pos, nil
	}
	cur := utf8.RuneCountInString(line[:pos])
	c := s.Complete(line, cur)
	if len(c.Matches) == 0 {
		return line, pos, nil
	}
	insert := c.Matches[0]
	for _, m := range c.Matches[1:] {
		insert = commonPrefix(insert, m)
	}
	rs := []rune(line)
	if c.Start < 0 || c.End > len(rs) || c.Start > c.End || len([]rune(insert)) < c.End-c.Start {
		return line, pos, c.Matches
	}
	head := string(rs[:c.Start]) + insert
	return head + string(rs[c.End:]), len(head), c.Matches
}

func commonPrefix(a, b string) string {
	ra, rb := []rune(a), []rune(b)
	i := 0
	for i < len(ra) && i < len(rb) && ra[i] == rb[i] {
		i++
	}
	return string(ra[:i])
}

// readCell reads the lines of one cell in raw mode.
func (s *Session) readCell(fd int, out io.Writer, tp **term.Terminal, newTerm func() *term.Terminal, cr *ctrlCReader) (string, error) {
	old, err := term.MakeRaw(fd)
	if err != nil {
		return "", fmt.Errorf("session: terminal: %w", err)
	}
	defer term.Restore(fd, old)
	var lines []string
	for {
		t := *tp
		if len(lines) == 0 {
			t.SetPrompt(fmt.Sprintf("In [%d]: ", s.count+1))
		} else {
			t.SetPrompt("   ...: ")
		}
		line, err := t.ReadLine()
		if errors.Is(err, io.EOF) && cr.take() {
			// Straight to the terminal, after what was typed: written
			// through t, the text would go above a redrawn prompt and the
			// next prompt would follow the abandoned line on its row.
			fmt.Fprint(out, "^C\r\n")
			*tp = newTerm()
			lines = nil
			continue
		}
		if err != nil {
			return "", err
		}
		lines = append(lines, line)
		code := strings.Join(lines, "\n")
		if status, _ := s.IsComplete(code); status != "incomplete" {
			return code, nil
		}
	}
}
