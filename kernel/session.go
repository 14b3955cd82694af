package kernel

import "github.com/matcalc/matcalc/kernel/lang"

// The types a kernel shares with the language it serves are defined in
// package lang, which has no dependencies; they are named here too so
// that the wire-protocol code reads as before.
type (
	// Session is lang.Session: what the kernel needs from a language.
	Session = lang.Session
	// Info is lang.Info: the static description of a kernel.
	Info = lang.Info
	// LanguageInfo is lang.LanguageInfo.
	LanguageInfo = lang.LanguageInfo
	// HelpLink is lang.HelpLink.
	HelpLink = lang.HelpLink
	// ExecuteRequest is lang.ExecuteRequest.
	ExecuteRequest = lang.ExecuteRequest
	// ExecuteResult is lang.ExecuteResult.
	ExecuteResult = lang.ExecuteResult
	// ExecError is lang.ExecError.
	ExecError = lang.ExecError
	// ErrorKind is lang.ErrorKind: the typed kind of an ExecError.
	ErrorKind = lang.ErrorKind
	// Bundle is lang.Bundle: a MIME bundle.
	Bundle = lang.Bundle
	// Sink is lang.Sink: where a running cell shows its outputs.
	Sink = lang.Sink
	// Completion is lang.Completion.
	Completion = lang.Completion
	// HistoryRequest is lang.HistoryRequest.
	HistoryRequest = lang.HistoryRequest
	// HistoryEntry is lang.HistoryEntry.
	HistoryEntry = lang.HistoryEntry
)

// The error kinds every session shares with the kernel.
const (
	// InternalError is lang.InternalError: a bug, a panic.
	InternalError = lang.InternalError
	// Interrupted is lang.Interrupted: the cell was interrupted.
	Interrupted = lang.Interrupted
)

// protocolError is a kind of error the kernel itself answers a request
// with; its String is the reply's ename.
type protocolError int

const (
	// unknownMessageType: a request of a type the kernel does not serve.
	unknownMessageType protocolError = iota + 1
	// badRequest: a request whose content does not fit its type.
	badRequest
	// executionAborted: an execute_request aborted after a failed cell
	// (stop_on_error).
	executionAborted
)

// String returns the ename: "UnknownMessageType", "BadRequest",
// "ExecutionAborted".
func (k protocolError) String() string {
	switch k {
	case unknownMessageType:
		return "UnknownMessageType"
	case badRequest:
		return "BadRequest"
	case executionAborted:
		return "ExecutionAborted"
	}
	return "Error"
}
