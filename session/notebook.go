package session

import (
	"context"

	"github.com/matcalc/matcalc/kernel/lang"
)

// CellResult is one executed cell as a notebook records it: the status and
// execution count of its execute_reply and its outputs in nbformat 4 form
// (stream, display_data, execute_result and error outputs), the same
// bundles the kernel publishes. Payload holds the reply's payloads (a page
// for the pager), which a notebook does not keep among the outputs.
type CellResult struct {
	Status         string           `json:"status"`
	ExecutionCount int              `json:"execution_count"`
	Outputs        []map[string]any `json:"outputs"`
	Payload        []map[string]any `json:"payload"`
}

// NotebookCell runs code as a notebook front end does (stored in history,
// stopping at the first error) and returns what the notebook would record.
// When show is not nil it is called with each output as it is made; an
// output of kind "clear_output" (with "wait") asks it to clear what it
// showed. Outputs are the front end's: consecutive writes to one stream
// are one output, as the kernel batches them.
func (s *Session) NotebookCell(ctx context.Context, code string, show func(map[string]any)) CellResult {
	sink := &notebookSink{show: show}
	res := s.Execute(ctx, lang.ExecuteRequest{Code: code, StoreHistory: true, StopOnError: true}, sink)
	c := CellResult{Status: "ok", ExecutionCount: res.ExecutionCount, Payload: res.Payload}
	if res.Err != nil {
		c.Status = "error"
		tb := res.Err.Traceback
		if tb == nil {
			tb = []string{}
		}
		sink.add(map[string]any{"output_type": "error", "ename": res.Err.Name(), "evalue": res.Err.Value, "traceback": tb})
	}
	c.Outputs = sink.outs
	if c.Outputs == nil {
		c.Outputs = []map[string]any{}
	}
	if c.Payload == nil {
		c.Payload = []map[string]any{}
	}
	return c
}

// notebookSink records a cell's outputs the way nbclient and JupyterLab
// do, clear_output included.
type notebookSink struct {
	outs      []map[string]any
	clearNext bool // a clear_output(wait=True) is pending
	show      func(map[string]any)
}

func (n *notebookSink) add(o map[string]any) {
	if n.clearNext {
		n.clearNext = false
		n.outs = nil
		n.notify(map[string]any{"output_type": "clear_output", "wait": false})
	}
	n.outs = append(n.outs, o)
	n.notify(o)
}

func (n *notebookSink) notify(o map[string]any) {
	if n.show != nil {
		n.show(o)
	}
}

func (n *notebookSink) Input(int) {}

func (n *notebookSink) Stream(name, text string) {
	if !n.clearNext && len(n.outs) > 0 {
		last := n.outs[len(n.outs)-1]
		if last["output_type"] == "stream" && last["name"] == name {
			last["text"] = last["text"].(string) + text
			n.notify(map[string]any{"output_type": "stream", "name": name, "text": text})
			return
		}
	}
	n.add(map[string]any{"output_type": "stream", "name": name, "text": text})
}

func (n *notebookSink) Display(b lang.Bundle) {
	n.add(map[string]any{"output_type": "display_data", "data": nonNil(b.Data), "metadata": nonNil(b.Metadata)})
}

func (n *notebookSink) Result(count int, b lang.Bundle) {
	n.add(map[string]any{"output_type": "execute_result", "execution_count": count, "data": nonNil(b.Data), "metadata": nonNil(b.Metadata)})
}

func (n *notebookSink) Clear(wait bool) {
	if wait {
		n.clearNext = true
		return
	}
	n.outs = nil
	n.clearNext = false
	n.notify(map[string]any{"output_type": "clear_output", "wait": false})
}

func nonNil(m map[string]any) map[string]any {
	if m == nil {
		return map[string]any{}
	}
	return m
}
