package calculus

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The interpreter's cell cases are data: testdata/cells/*.txtar, one file
// per topic, in the txtar format (a comment, then sections each opened by
// a line "-- name --"):
//
//	What the file is about.
//	-- setup --            run before every case of the file (any number)
//	n = 3
//	-- case: product --    a case: its name
//	-- setup --            run before this case only (any number)
//	-- cell --             the cell
//	A*x
//	-- plain --            each output's text/plain,
//	[14; 32]
//	-- latex --            and its LaTeX, when it has one
//	\begin{bmatrix}14 \\ 32\end{bmatrix}
//	-- error --            or the error: kind line:col: message
//
// Each case runs in a fresh interpreter. go test -run TestCells -update
// rewrites the outputs and errors from what the interpreter does now;
// review the diff.

// section is one "-- name --" section of a txtar archive.
type section struct {
	name, data string
}

// parseTxtar splits an archive into its comment and sections.
func parseTxtar(src string) (comment string, secs []section) {
	lines := strings.SplitAfter(src, "\n")
	var cur *section
	var b strings.Builder
	flush := func() {
		if cur == nil {
			comment = b.String()
		} else {
			cur.data = b.String()
			secs = append(secs, *cur)
		}
		b.Reset()
	}
	for _, l := range lines {
		t := strings.TrimRight(l, "\n")
		if strings.HasPrefix(t, "-- ") && strings.HasSuffix(t, " --") && len(t) >= 6 {
			flush()
			cur = &section{name: strings.TrimSpace(t[3 : len(t)-3])}
			continue
		}
		b.WriteString(l)
	}
	flush()
	return comment, secs
}

// formatTxtar writes an archive; every section's data ends in a newline.
func formatTxtar(comment string, secs []section) string {
	var b strings.Builder
	b.WriteString(comment)
	for _, s := range secs {
		b.WriteString("-- " + s.name + " --\n")
		b.WriteString(s.data)
		if s.data != "" && !strings.HasSuffix(s.data, "\n") {
			b.WriteString("\n")
		}
	}
	return b.String()
}

// text is a section's content without the newline that ends it.
func text(data string) string { return strings.TrimSuffix(data, "\n") }

// cellCase is one case of a cells file.
type cellCase struct {
	name  string
	setup []string
	cell  string
	want  []section // plain, latex and error sections, in order
}

// readCells reads the cases of one file.
func readCells(t *testing.T, secs []section) (fileSetup []string, cases []cellCase) {
	t.Helper()
	var cur *cellCase
	for _, s := range secs {
		switch {
		case s.name == "setup" && cur == nil:
			fileSetup = append(fileSetup, text(s.data))
		case strings.HasPrefix(s.name, "case:"):
			cases = append(cases, cellCase{name: strings.TrimSpace(strings.TrimPrefix(s.name, "case:"))})
			cur = &cases[len(cases)-1]
		case cur == nil:
			t.Fatalf("section %q before the first case", s.name)
		case s.name == "setup":
			cur.setup = append(cur.setup, text(s.data))
		case s.name == "cell":
			cur.cell = text(s.data)
		case s.name == "plain" || s.name == "latex" || s.name == "error":
			cur.want = append(cur.want, s)
		default:
			t.Fatalf("case %s: unknown section %q", cur.name, s.name)
		}
	}
	return fileSetup, cases
}

// run runs a case and returns its outputs and error as sections.
func (cc cellCase) run(t *testing.T, fileSetup []string) []section {
	t.Helper()
	in := New()
	ctx := context.Background()
	for _, s := range append(append([]string{}, fileSetup...), cc.setup...) {
		if _, err := in.Exec(ctx, s); err != nil {
			t.Fatalf("setup %q: %v", s, err)
		}
	}
	outs, err := in.Exec(ctx, cc.cell)
	var got []section
	for _, o := range outs {
		got = append(got, section{"plain", o.Plain + "\n"})
		if o.LaTeX != "" {
			got = append(got, section{"latex", o.LaTeX + "\n"})
		}
	}
	if err != nil {
		var ce *Error
		if !errors.As(err, &ce) {
			t.Fatalf("an error that is not an *Error: %v", err)
		}
		if ce.Source != lineOf(cc.cell, ce.Line) {
			t.Errorf("error source %q, want line %d of the cell", ce.Source, ce.Line)
		}
		got = append(got, section{"error", ce.Kind.String() + " " + ce.Error() + "\n"})
	}
	return got
}

// TestCells runs every case of testdata/cells/*.txtar.
func TestCells(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "cells", "*.txtar"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no cells files: %v", err)
	}
	for _, file := range files {
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		comment, secs := parseTxtar(string(src))
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			fileSetup, cases := readCells(t, secs)
			var out []section
			for _, s := range fileSetup {
				out = append(out, section{"setup", s + "\n"})
			}
			for _, cc := range cases {
				t.Run(cc.name, func(t *testing.T) {
					got := cc.run(t, fileSetup)
					out = append(out, section{"case: " + cc.name, ""})
					for _, s := range cc.setup {
						out = append(out, section{"setup", s + "\n"})
					}
					out = append(out, section{"cell", cc.cell + "\n"})
					out = append(out, got...)
					if *update {
						return
					}
					if g, w := formatTxtar("", got), formatTxtar("", cc.want); g != w {
						t.Errorf("cell %q:\n--- got\n%s--- want\n%s(go test -run TestCells -update rewrites %s; review the diff)", cc.cell, g, w, file)
					}
				})
			}
			if *update {
				if err := os.WriteFile(file, []byte(formatTxtar(comment, out)), 0o644); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}

// TestTxtarRoundTrip checks the reader and writer of the cells format.
func TestTxtarRoundTrip(t *testing.T) {
	src := "comment\n-- setup --\nn = 3\n-- case: a --\n-- cell --\nx\n\n-- plain --\n\n"
	c, secs := parseTxtar(src)
	if c != "comment\n" || len(secs) != 4 || secs[2].data != "x\n\n" || secs[3].data != "\n" {
		t.Fatalf("parse: %q %q", c, secs)
	}
	if got := formatTxtar(c, secs); got != src {
		t.Errorf("round trip: %q, want %q", got, src)
	}
}
