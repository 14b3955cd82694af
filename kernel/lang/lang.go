// Package lang is what the Jupyter kernel and a language session share:
// the Session interface the kernel serves, the Sink a running cell shows
// its outputs on, MIME bundles, completions and history. It has no
// dependencies, so a language (package session, the terminal REPL, the
// WebAssembly build) is written against it without the wire protocol and
// its ZeroMQ transport, and the kernel (package kernel) serves any
// language that implements Session.
package lang

import "context"

// Session is what the kernel needs from a language: it runs cells and
// answers the introspection requests. The kernel calls Execute, Complete,
// Inspect, IsComplete and History from one goroutine at a time (the shell
// channel serves one request after another); Info may be called
// concurrently with them (the control channel answers kernel_info while a
// cell runs) and must not touch mutable state.
type Session interface {
	// Info describes the kernel and its language for kernel_info_reply.
	Info() Info

	// Execute runs one cell. It must call out.Input once, before any other
	// output, with the execution count of this cell. Cancelling ctx is an
	// interrupt: Execute should return promptly with an error result.
	Execute(ctx context.Context, req ExecuteRequest, out Sink) ExecuteResult

	// Complete returns completions for code at cursor, a position in
	// Unicode code points.
	Complete(code string, cursor int) Completion

	// Inspect returns what is known about the name at cursor (code
	// points); a bundle with no entries means nothing was found.
	Inspect(code string, cursor, detail int) Bundle

	// IsComplete reports "complete", "incomplete" (with the indent to
	// offer), "invalid" or "unknown" for code typed at a console.
	IsComplete(code string) (status, indent string)

	// History answers a history_request.
	History(req HistoryRequest) []HistoryEntry
}

// Info is the static description of a kernel.
type Info struct {
	Implementation        string
	ImplementationVersion string
	Language              LanguageInfo
	Banner                string
	HelpLinks             []HelpLink
}

// ExecuteRequest is an execute_request with the specification's defaults
// applied: StoreHistory is false when Silent is true.
type ExecuteRequest struct {
	Code            string
	Silent          bool
	StoreHistory    bool
	UserExpressions map[string]string
	AllowStdin      bool
	StopOnError     bool
}

// ExecuteResult is the outcome of one cell.
type ExecuteResult struct {
	// ExecutionCount is the count the reply carries.
	ExecutionCount int
	// Err is set when the cell failed.
	Err *ExecError
	// UserExpressions holds the results of the request's user
	// expressions, each a map as the specification describes.
	UserExpressions map[string]any
	// Payload holds the reply's payloads, such as a page for the pager:
	// {"source": "page", "data": {...}, "start": 0}.
	Payload []map[string]any
}

// ExecError is an error raised by a cell.
type ExecError struct {
	// Kind is what kind of error it is; Jupyter shows Kind.String() as
	// the error's name (ename).
	Kind      ErrorKind
	Value     string
	Traceback []string
}

// Name is the error's name on the wire (ename): Kind.String(), or
// "Error" without a kind.
func (e *ExecError) Name() string {
	if e.Kind == nil {
		return "Error"
	}
	return e.Kind.String()
}

// ErrorKind is the kind of an ExecError. Code tells kinds apart by
// comparing ErrorKind values, never by their text; String is the name a
// Jupyter client shows. A language defines its own kinds (matcalc's
// calculus.Kind: SyntaxError, ShapeError, …); the kinds every session
// and the kernel share are the Kind constants.
type ErrorKind interface {
	String() string
}

// Kind is an ErrorKind of the kernel and every session.
type Kind int

// The kinds the kernel and every session share.
const (
	// InternalError: a bug, a panic in the language or the kernel.
	InternalError Kind = iota + 1
	// Interrupted: the cell was interrupted (interrupt_request, Ctrl-C).
	Interrupted
)

// String returns the name Jupyter shows: "InternalError", "Interrupted".
func (k Kind) String() string {
	switch k {
	case InternalError:
		return "InternalError"
	case Interrupted:
		return "Interrupted"
	}
	return "Error"
}

// Bundle is a MIME bundle: a map from MIME type to data, and the
// metadata that goes with it.
type Bundle struct {
	Data     map[string]any
	Metadata map[string]any
}

// Sink receives what a running cell shows. Its methods are safe to call
// from several goroutines; they never block for long.
type Sink interface {
	// Input announces the cell (execute_input) with its execution count.
	Input(executionCount int)
	// Stream appends text to the stream "stdout" or "stderr". Writes are
	// batched; a UTF-8 character split across calls is kept whole.
	Stream(name, text string)
	// Display shows a bundle (display_data).
	Display(b Bundle)
	// Result shows the value of the cell (execute_result).
	Result(executionCount int, b Bundle)
	// Clear clears the cell's output (clear_output).
	Clear(wait bool)
}

// Completion is the answer to a complete_request. Start and End are code
// point offsets of the text the matches replace.
type Completion struct {
	Matches    []string
	Start, End int
}

// HistoryRequest is a history_request: Access is "tail", "range" or
// "search".
type HistoryRequest struct {
	Access      string
	Output, Raw bool
	Session     int
	Start, Stop int
	N           int
	Pattern     string
	Unique      bool
}

// HistoryEntry is one cell of history.
type HistoryEntry struct {
	Session int
	Line    int
	Input   string
	Output  string
}

// LanguageInfo describes the language of a kernel.
type LanguageInfo struct {
	Name              string `json:"name"`
	Version           string `json:"version"`
	Mimetype          string `json:"mimetype"`
	FileExtension     string `json:"file_extension"`
	PygmentsLexer     string `json:"pygments_lexer,omitempty"`
	CodemirrorMode    string `json:"codemirror_mode,omitempty"`
	NbconvertExporter string `json:"nbconvert_exporter,omitempty"`
}

// HelpLink is one entry of a kernel's help menu.
type HelpLink struct {
	Text string `json:"text"`
	URL  string `json:"url"`
}
