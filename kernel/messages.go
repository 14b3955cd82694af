package kernel

import "encoding/json"

// This file holds the message types of the Jupyter messaging protocol,
// version 5.4, in the order the specification lists them. Field names are
// the wire names; optional request fields are pointers or zero-valued
// fields whose defaults are applied by the handlers.

// ProtocolVersion is the messaging protocol version the kernel speaks.
const ProtocolVersion = "5.4"

// Header is a message header.
type Header struct {
	MsgID    string `json:"msg_id"`
	Session  string `json:"session"`
	Username string `json:"username"`
	Date     string `json:"date"`
	MsgType  string `json:"msg_type"`
	Version  string `json:"version"`
}

// Message is a decoded message: routing identities, the four JSON parts
// and the binary buffers. ParentHeader and Metadata are kept raw so that
// they can be echoed back unchanged.
type Message struct {
	Identities   [][]byte
	Header       Header
	ParentHeader json.RawMessage
	Metadata     json.RawMessage
	Content      json.RawMessage
	Buffers      [][]byte

	rawHeader json.RawMessage // the header as received, echoed as parent
}

// Shell and control: requests and replies.

// KernelInfoReply is the content of a kernel_info_reply.
type KernelInfoReply struct {
	Status                string       `json:"status"`
	ProtocolVersion       string       `json:"protocol_version"`
	Implementation        string       `json:"implementation"`
	ImplementationVersion string       `json:"implementation_version"`
	LanguageInfo          LanguageInfo `json:"language_info"`
	Banner                string       `json:"banner"`
	Debugger              bool         `json:"debugger"`
	HelpLinks             []HelpLink   `json:"help_links"`
}

// ExecuteRequestContent is the content of an execute_request.
type ExecuteRequestContent struct {
	Code            string            `json:"code"`
	Silent          bool              `json:"silent"`
	StoreHistory    *bool             `json:"store_history"`
	UserExpressions map[string]string `json:"user_expressions"`
	AllowStdin      *bool             `json:"allow_stdin"`
	StopOnError     *bool             `json:"stop_on_error"`
}

// ExecuteReplyContent is the content of an execute_reply.
type ExecuteReplyContent struct {
	Status          string         `json:"status"`
	ExecutionCount  int            `json:"execution_count"`
	Payload         []any          `json:"payload"`
	UserExpressions map[string]any `json:"user_expressions"`
	EName           string         `json:"ename,omitempty"`
	EValue          string         `json:"evalue,omitempty"`
	Traceback       []string       `json:"traceback,omitempty"`
}

// InspectRequestContent is the content of an inspect_request.
type InspectRequestContent struct {
	Code        string `json:"code"`
	CursorPos   *int   `json:"cursor_pos"`
	DetailLevel int    `json:"detail_level"`
}

// InspectReplyContent is the content of an inspect_reply.
type InspectReplyContent struct {
	Status   string         `json:"status"`
	Found    bool           `json:"found"`
	Data     map[string]any `json:"data"`
	Metadata map[string]any `json:"metadata"`
}

// CompleteRequestContent is the content of a complete_request.
type CompleteRequestContent struct {
	Code      string `json:"code"`
	CursorPos *int   `json:"cursor_pos"`
}

// CompleteReplyContent is the content of a complete_reply.
type CompleteReplyContent struct {
	Status      string         `json:"status"`
	Matches     []string       `json:"matches"`
	CursorStart int            `json:"cursor_start"`
	CursorEnd   int            `json:"cursor_end"`
	Metadata    map[string]any `json:"metadata"`
}

// HistoryRequestContent is the content of a history_request.
type HistoryRequestContent struct {
	Output         bool   `json:"output"`
	Raw            bool   `json:"raw"`
	HistAccessType string `json:"hist_access_type"`
	Session        int    `json:"session"`
	Start          int    `json:"start"`
	Stop           int    `json:"stop"`
	N              int    `json:"n"`
	Pattern        string `json:"pattern"`
	Unique         bool   `json:"unique"`
}

// HistoryReplyContent is the content of a history_reply. Each entry is
// (session, line, input) or (session, line, (input, output)).
type HistoryReplyContent struct {
	Status  string  `json:"status"`
	History [][]any `json:"history"`
}

// IsCompleteRequestContent is the content of an is_complete_request.
type IsCompleteRequestContent struct {
	Code string `json:"code"`
}

// IsCompleteReplyContent is the content of an is_complete_reply.
type IsCompleteReplyContent struct {
	Status string `json:"status"`
	Indent string `json:"indent,omitempty"`
}

// CommInfoRequestContent is the content of a comm_info_request.
type CommInfoRequestContent struct {
	TargetName string `json:"target_name"`
}

// CommInfoReplyContent is the content of a comm_info_reply.
type CommInfoReplyContent struct {
	Status string         `json:"status"`
	Comms  map[string]any `json:"comms"`
}

// CommOpenContent is the content of a comm_open message.
type CommOpenContent struct {
	CommID     string          `json:"comm_id"`
	TargetName string          `json:"target_name"`
	Data       json.RawMessage `json:"data"`
}

// CommCloseContent is the content of a comm_close message.
type CommCloseContent struct {
	CommID string         `json:"comm_id"`
	Data   map[string]any `json:"data"`
}

// ShutdownContent is the content of a shutdown_request and of its reply.
type ShutdownContent struct {
	Status  string `json:"status,omitempty"`
	Restart bool   `json:"restart"`
}

// InterruptReplyContent is the content of an interrupt_reply.
type InterruptReplyContent struct {
	Status string `json:"status"`
}

// ErrorReplyContent is the content of any reply whose status is "error".
type ErrorReplyContent struct {
	Status    string   `json:"status"`
	EName     string   `json:"ename"`
	EValue    string   `json:"evalue"`
	Traceback []string `json:"traceback"`
}

// IOPub.

// StreamContent is the content of a stream message.
type StreamContent struct {
	Name string `json:"name"`
	Text string `json:"text"`
}

// DisplayDataContent is the content of a display_data message.
type DisplayDataContent struct {
	Data      map[string]any `json:"data"`
	Metadata  map[string]any `json:"metadata"`
	Transient map[string]any `json:"transient,omitempty"`
}

// ExecuteInputContent is the content of an execute_input message.
type ExecuteInputContent struct {
	Code           string `json:"code"`
	ExecutionCount int    `json:"execution_count"`
}

// ExecuteResultContent is the content of an execute_result message.
type ExecuteResultContent struct {
	ExecutionCount int            `json:"execution_count"`
	Data           map[string]any `json:"data"`
	Metadata       map[string]any `json:"metadata"`
}

// ErrorContent is the content of an error message.
type ErrorContent struct {
	EName     string   `json:"ename"`
	EValue    string   `json:"evalue"`
	Traceback []string `json:"traceback"`
}

// StatusContent is the content of a status message.
type StatusContent struct {
	ExecutionState string `json:"execution_state"`
}

// ClearOutputContent is the content of a clear_output message.
type ClearOutputContent struct {
	Wait bool `json:"wait"`
}

// Message types, as they appear in Header.MsgType.
const (
	MsgKernelInfoRequest = "kernel_info_request"
	MsgKernelInfoReply   = "kernel_info_reply"
	MsgExecuteRequest    = "execute_request"
	MsgExecuteReply      = "execute_reply"
	MsgInspectRequest    = "inspect_request"
	MsgInspectReply      = "inspect_reply"
	MsgCompleteRequest   = "complete_request"
	MsgCompleteReply     = "complete_reply"
	MsgHistoryRequest    = "history_request"
	MsgHistoryReply      = "history_reply"
	MsgIsCompleteRequest = "is_complete_request"
	MsgIsCompleteReply   = "is_complete_reply"
	MsgCommInfoRequest   = "comm_info_request"
	MsgCommInfoReply     = "comm_info_reply"
	MsgCommOpen          = "comm_open"
	MsgCommMsg           = "comm_msg"
	MsgCommClose         = "comm_close"
	MsgShutdownRequest   = "shutdown_request"
	MsgShutdownReply     = "shutdown_reply"
	MsgInterruptRequest  = "interrupt_request"
	MsgInterruptReply    = "interrupt_reply"
	MsgStream            = "stream"
	MsgDisplayData       = "display_data"
	MsgExecuteInput      = "execute_input"
	MsgExecuteResult     = "execute_result"
	MsgError             = "error"
	MsgStatus            = "status"
	MsgClearOutput       = "clear_output"
	MsgInputRequest      = "input_request"
	MsgInputReply        = "input_reply"
)
