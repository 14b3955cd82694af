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
