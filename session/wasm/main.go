//go:build js && wasm

// Command wasm is matcalc's session compiled to WebAssembly for the
// browser (GOOS=js GOARCH=wasm): the interpreter and the session, without
// the Jupyter wire protocol. notebooks/live/matcalc.js loads it and wraps
// what it registers in the documented window.matcalc API.
//
// It registers globalThis.__matcalcGo with
//
//	run(code, onOutput) Promise<string>   the cell, as session.CellResult JSON
//	interrupt()                           cancels the running cell
//	reset()                               a fresh session (count back to 0)
//	complete(code, cursor) string         lang.Completion as JSON
//	inspect(code, cursor) string          a MIME bundle as JSON ({} if none)
//	isComplete(code) string               {"status", "indent"} as JSON
//	info() string                         kernel_info's content as JSON
//
// and then waits for calls. Cells run one at a time, in the order they are
// asked for. A running cell gives the page's event loop a turn every
// yieldEvery, at the interpreter's interrupt checks, so the page stays
// responsive and interrupt() is heard.
package main

import (
	"context"
	"encoding/json"
	"syscall/js"
	"time"

	"github.com/matcalc/matcalc/kernel/lang"
	"github.com/matcalc/matcalc/session"
)

// version is set at build time: -ldflags "-X main.version=v1.2.3".
var version = "dev"

// yieldEvery is how long a cell runs before the page gets a turn.
const yieldEvery = 50 * time.Millisecond

type job struct {
	reset    bool // a fresh session instead of a cell
	code     string
	onOutput js.Value
	resolve  js.Value
}

type runner struct {
	sess   *session.Session
	jobs   chan job
	cancel context.CancelFunc // of the running cell; nil when idle
}

func main() {
	r := &runner{sess: session.New(version), jobs: make(chan job, 1024)}
	api := map[string]any{
		"run":        js.FuncOf(r.run),
		"interrupt":  js.FuncOf(r.interrupt),
		"reset":      js.FuncOf(r.reset),
		"complete":   js.FuncOf(r.complete),
		"inspect":    js.FuncOf(r.inspect),
		"isComplete": js.FuncOf(r.isComplete),
		"info":       js.FuncOf(r.info),
	}
	js.Global().Set("__matcalcGo", js.ValueOf(api))
	for j := range r.jobs {
		r.exec(j)
	}
}

// newPromise returns a JavaScript Promise and the function that resolves
// it.
func newPromise() (promise, resolve js.Value) {
	executor := js.FuncOf(func(_ js.Value, a []js.Value) any {
		resolve = a[0]
		return nil
	})
	defer executor.Release()
	promise = js.Global().Get("Promise").New(executor) // runs executor, which sets resolve
	return promise, resolve
}

// run queues a cell and returns a Promise of its session.CellResult as JSON.
func (r *runner) run(_ js.Value, args []js.Value) any {
	code := args[0].String()
	onOutput := js.Undefined()
	if len(args) > 1 && args[1].Type() == js.TypeFunction {
		onOutput = args[1]
	}
	p, resolve := newPromise()
	r.jobs <- job{code: code, onOutput: onOutput, resolve: resolve}
	return p
}

func (r *runner) exec(j job) {
	if j.reset {
		r.sess = session.New(version)
		j.resolve.Invoke()
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	r.cancel = cancel
	defer func() {
		r.cancel = nil
		cancel()
	}()
	var show func(map[string]any)
	if j.onOutput.Type() == js.TypeFunction {
		show = func(o map[string]any) {
			b, err := json.Marshal(o)
			if err == nil {
				j.onOutput.Invoke(string(b))
			}
		}
	}
	cell := r.sess.NotebookCell(&yielding{Context: ctx, last: time.Now()}, j.code, show)
	b, err := json.Marshal(cell)
	if err != nil {
		b, _ = json.Marshal(map[string]any{"status": "error", "execution_count": cell.ExecutionCount, "outputs": []any{map[string]any{
			"output_type": "error", "ename": lang.InternalError.String(), "evalue": err.Error(), "traceback": []string{lang.InternalError.String() + ": " + err.Error()}}}})
	}
	j.resolve.Invoke(string(b))
}

func (r *runner) interrupt(js.Value, []js.Value) any {
	if r.cancel != nil {
		r.cancel()
	}
	return nil
}

// reset interrupts the running cell and starts a fresh session once it
// has stopped; the cells queued after it run in the fresh one.
func (r *runner) reset(js.Value, []js.Value) any {
	if r.cancel != nil {
		r.cancel()
	}
	p, resolve := newPromise()
	// The reset runs in turn, after the cells already queued.
	r.jobs <- job{reset: true, resolve: resolve}
	return p
}

func (r *runner) complete(_ js.Value, args []js.Value) any {
	c := r.sess.Complete(args[0].String(), args[1].Int())
	return jsonString(map[string]any{"matches": c.Matches, "cursor_start": c.Start, "cursor_end": c.End})
}

func (r *runner) inspect(_ js.Value, args []js.Value) any {
	b := r.sess.Inspect(args[0].String(), args[1].Int(), 0)
	return jsonString(map[string]any{"found": len(b.Data) > 0, "data": nonNil(b.Data), "metadata": nonNil(b.Metadata)})
}

func (r *runner) isComplete(_ js.Value, args []js.Value) any {
	st, indent := r.sess.IsComplete(args[0].String())
	return jsonString(map[string]any{"status": st, "indent": indent})
}

func (r *runner) info(js.Value, []js.Value) any {
	i := r.sess.Info()
	return jsonString(map[string]any{
		"implementation": i.Implementation, "implementation_version": i.ImplementationVersion,
		"language_info": i.Language, "banner": i.Banner, "help_links": i.HelpLinks,
	})
}

func jsonString(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return "{}"
	}
	return string(b)
}

func nonNil(m map[string]any) map[string]any {
	if m == nil {
		return map[string]any{}
	}
	return m
}

// yielding is the context a cell runs under. The interpreter checks Err
// between operations; when the cell has run for yieldEvery since the page
// last had a turn, Err sleeps briefly, which in a browser returns to the
// event loop: clicks are handled, the page repaints, and an interrupt()
// cancels the context before the check answers.
type yielding struct {
	context.Context
	last time.Time
}

// Err implements context.Context.
func (y *yielding) Err() error {
	if time.Since(y.last) >= yieldEvery {
		time.Sleep(time.Millisecond)
		y.last = time.Now()
	}
	return y.Context.Err()
}
