package session

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
)

// kinds sums up outputs as "kind[:name or :mime list]" words.
func kinds(outs []map[string]any) string {
	var w []string
	for _, o := range outs {
		k := o["output_type"].(string)
		switch k {
		case "stream":
			k += ":" + o["name"].(string) + "=" + strings.ReplaceAll(o["text"].(string), "\n", "|")
		case "error":
			k += ":" + o["ename"].(string)
		case "execute_result":
			k += ":" + strings.TrimSpace(o["data"].(map[string]any)["text/plain"].(string))
		case "display_data":
			k += ":" + strings.TrimSpace(o["data"].(map[string]any)["text/plain"].(string))
		}
		w = append(w, k)
	}
	return strings.Join(w, " ")
}

func TestNotebookCell(t *testing.T) {
	for _, c := range []struct {
		name, code string
		status     string
		count      int // of this cell, after one cell "n = 2" before it
		outputs    string
	}{
		{"value", "n + 1", "ok", 2, "execute_result:3"},
		{"streams merge", "%echo a\n%echo b", "ok", 2, "stream:stdout=a|b|"},
		{"stderr apart", "%echo a\n%warn b\n%echo c", "ok", 2, "stream:stdout=a| stream:stderr=b| stream:stdout=c|"},
		{"value then more", "n\n%echo x\nn + 1", "ok", 2, "display_data:2 stream:stdout=x| execute_result:3"},
		{"clear", "%echo a\n%clear\n%echo b", "ok", 2, "stream:stdout=b|"},
		{"error last", "%echo a\nq + 1", "error", 2, "stream:stdout=a| error:NameError"},
		{"empty", "", "ok", 2, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := New("test")
			s.NotebookCell(context.Background(), "n = 2", nil)
			var shown []map[string]any
			cell := s.NotebookCell(context.Background(), c.code, func(o map[string]any) { shown = append(shown, o) })
			got := kinds(cell.Outputs)
			if cell.Status != c.status || cell.ExecutionCount != c.count || got != c.outputs {
				t.Errorf("%q: status %s, count %d, outputs %q; want %s, %d, %q", c.code, cell.Status, cell.ExecutionCount, got, c.status, c.count, c.outputs)
			}
			if cell.Outputs == nil || cell.Payload == nil {
				t.Errorf("%q: nil outputs or payload (JSON null, not [])", c.code)
			}
			if !strings.Contains(c.code, "%") && kinds(shown) != got { // magics' streams are shown piece by piece
				t.Errorf("%q: shown %q, recorded %q", c.code, kinds(shown), got)
			}
			if _, err := json.Marshal(cell); err != nil {
				t.Errorf("%q: %v", c.code, err)
			}
		})
	}
}

// TestNotebookCellShown checks what show receives: the new text of a
// stream, and a clear_output before what follows a clear.
func TestNotebookCellShown(t *testing.T) {
	s := New("test")
	var shown []string
	s.NotebookCell(context.Background(), "%echo a\n%echo b\n%clear\n%echo c", func(o map[string]any) {
		w := o["output_type"].(string)
		if text, ok := o["text"].(string); ok {
			w += "=" + strings.TrimSpace(text)
		}
		shown = append(shown, w)
	})
	if got, want := strings.Join(shown, " "), "stream=a stream=b clear_output stream=c"; got != want {
		t.Errorf("shown %q, want %q", got, want)
	}
}

// TestNotebookCellInterrupt: a cancelled context ends the cell with an
// Interrupted error output.
func TestNotebookCellInterrupt(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	cell := New("test").NotebookCell(ctx, "%sleep 30", nil)
	if cell.Status != "error" || kinds(cell.Outputs) != "error:Interrupted" {
		t.Errorf("status %s, outputs %q", cell.Status, kinds(cell.Outputs))
	}
}
