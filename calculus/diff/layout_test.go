package diff

import "testing"

func TestWrapPieces(t *testing.T) {
	got := wrapPieces(append(textPieces("bilinear form; a scalar is its own transpose; "), piece{latex: `A\text{ constant}`, n: 10}), 24)
	want := []string{`\text{bilinear form; a scalar}`, `\text{is its own transpose;}`, `A\text{ constant}`}
	if len(got) != len(want) {
		t.Fatalf("wrapPieces = %q, want %q", got, want)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Errorf("row %d = %q, want %q", i, got[i], want[i])
		}
	}
}
