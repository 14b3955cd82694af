// Package kernel serves a language Session over the Jupyter messaging
// protocol (version 5.4) on ZeroMQ sockets: the five channels of a
// connection file, signed messages, busy/idle around every request,
// interrupts and shutdown on the control channel while a cell runs, and a
// kernelspec installer. It knows nothing of the language it serves.
package kernel

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf16"
	"unicode/utf8"
)

// Kernel is a running Jupyter kernel: its sockets are bound by New and
// served by Run.
type Kernel struct {
	sess    Session
	name    string // the implementation's name (Info), in logs and headers
	sign    signer
	id      string // this kernel's session id, in every header it sends
	logger  *log.Logger
	shell   *router
	control *router
	stdin   *router
	iopub   *publisher
	hb      *listener

	ctx    context.Context
	cancel context.CancelFunc

	abort   *abortWindow // stop_on_error in force (shell goroutine only)
	arrived time.Time    // when the shell request being served arrived
	idle    *time.Timer  // returns memory to the OS once the kernel is idle

	mu       sync.Mutex
	running  context.CancelFunc // cancels the cell being executed
	stopOnce sync.Once
	stopped  chan struct{}
	restart  bool
	notice   string // said on stderr by the next cell that runs
}

// New binds the five channels of ci and returns a Kernel that serves s.
// Messages that cannot be served are logged to logger (os.Stderr when nil).
func New(ci *ConnectionInfo, s Session, logger *log.Logger) (*Kernel, error) {
	name := s.Info().Implementation
	if logger == nil {
		logger = log.New(os.Stderr, name+" kernel: ", log.LstdFlags)
	}
	if err := ci.check(); err != nil {
		return nil, fmt.Errorf("kernel: %w", err)
	}
	k := &Kernel{sess: s, name: name, sign: signer{key: []byte(ci.Key)}, id: newID(), logger: logger, stopped: make(chan struct{})}
	k.ctx, k.cancel = context.WithCancel(context.Background())
	var err error
	fail := func(e error) (*Kernel, error) {
		k.Close()
		return nil, e
	}
	network, addr := ci.netAddr(ci.IOPubPort)
	if k.iopub, err = newPublisher(network, addr, logger); err != nil {
		return fail(err)
	}
	network, addr = ci.netAddr(ci.HBPort)
	if k.hb, err = newHeartbeat(network, addr, logger); err != nil {
		return fail(err)
	}
	for _, ch := range []struct {
		name string
		port int
		dst  **router
	}{{"shell", ci.ShellPort, &k.shell}, {"control", ci.ControlPort, &k.control}, {"stdin", ci.StdinPort, &k.stdin}} {
		network, addr := ci.netAddr(ch.port)
		if *ch.dst, err = newRouter(ch.name, network, addr, logger); err != nil {
			return fail(err)
		}
	}
	return k, nil
}

// Run serves requests until a shutdown_request arrives or ctx is done,
// and reports whether the client asked for a restart.
func (k *Kernel) Run(ctx context.Context) (restart bool, err error) {
	k.publish(MsgStatus, nil, StatusContent{ExecutionState: "starting"})
	var wg sync.WaitGroup
	wg.Add(3)
	go func() { defer wg.Done(); k.serve(k.shell, true) }()
	go func() { defer wg.Done(); k.serve(k.control, false) }()
	go func() { defer wg.Done(); k.drainStdin() }()
	select {
	case <-ctx.Done():
		k.stop(false)
		err = ctx.Err()
	case <-k.stopped:
	}
	k.cancel()
	// A cell that ignores its cancelled context must not keep the kernel
	// from exiting: wait for the channels a little, then go.
	finished := make(chan struct{})
	go func() { wg.Wait(); close(finished) }()
	select {
	case <-finished:
	case <-time.After(2 * time.Second):
		k.logger.Printf("shell: the running cell did not stop: exiting anyway")
	}
	k.mu.Lock()
	restart = k.restart
	k.mu.Unlock()
	return restart, err
}

// Notice sets a text that the next cell to run shows first, on stderr
// (for instance: the kernel restarted and what was defined is gone).
func (k *Kernel) Notice(text string) {
	k.mu.Lock()
	k.notice = text
	k.mu.Unlock()
}

// Interrupt cancels the cell being executed, if any.
func (k *Kernel) Interrupt() {
	k.mu.Lock()
	if k.running != nil {
		k.running()
	}
	k.mu.Unlock()
}

// Close unbinds every socket.
func (k *Kernel) Close() {
	k.cancel()
	if k.shell != nil {
		k.shell.close()
	}
	if k.control != nil {
		k.control.close()
	}
	if k.stdin != nil {
		k.stdin.close()
	}
	if k.hb != nil {
		k.hb.close()
	}
	if k.iopub != nil {
		k.iopub.close()
	}
}

func (k *Kernel) stop(restart bool) {
	k.stopOnce.Do(func() {
		k.mu.Lock()
		k.restart = restart
		k.mu.Unlock()
		k.Interrupt()
		close(k.stopped)
	})
}

// serve reads one channel's requests and handles them in order.
func (k *Kernel) serve(r *router, isShell bool) {
	for {
		select {
		case <-k.ctx.Done():
			return
		case in := <-r.in:
			m, err := k.sign.decode(in.frames)
			if err != nil {
				k.logger.Printf("%s: dropping message: %v", r.name, err)
				continue
			}
			aborting := false
			if isShell {
				k.arrived = in.at
				aborting = k.aborting(m, in.at)
			}
			k.handle(r, m, isShell, aborting)
			if isShell {
				k.idleSoon()
			}
		}
	}
}

// idleDelay is how long the kernel waits idle before it returns the memory
// its last requests used to the operating system.
const idleDelay = 250 * time.Millisecond

// idleSoon (re)arms the timer that frees memory when shell stays idle: a
// classroom server runs one kernel per student, mostly idle.
func (k *Kernel) idleSoon() {
	if k.idle == nil {
		k.idle = time.AfterFunc(idleDelay, debug.FreeOSMemory)
		return
	}
	k.idle.Reset(idleDelay)
}

// aborting reports whether a shell request is an execute_request that
// stop_on_error aborts (see abortWindow); other requests are served as
// usual meanwhile.
func (k *Kernel) aborting(m *Message, arrived time.Time) bool {
	if k.abort == nil || m.Header.MsgType != MsgExecuteRequest {
		return false
	}
	abort, over := k.abort.aborts(m.Header, arrived)
	if over {
		k.abort = nil
	}
	return abort
}

func (k *Kernel) drainStdin() {
	for {
		select {
		case <-k.ctx.Done():
			return
		case in := <-k.stdin.in:
			if m, err := k.sign.decode(in.frames); err != nil {
				k.logger.Printf("stdin: dropping message: %v", err)
			} else {
				k.logger.Printf("stdin: ignoring unexpected %s", m.Header.MsgType)
			}
		}
	}
}

// handle serves one request between busy and idle.
func (k *Kernel) handle(r *router, m *Message, isShell, aborting bool) {
	k.publish(MsgStatus, m, StatusContent{ExecutionState: "busy"})
	defer k.publish(MsgStatus, m, StatusContent{ExecutionState: "idle"})
	defer func() {
		if p := recover(); p != nil {
			k.logger.Printf("%s: panic handling %s: %v\n%s", r.name, m.Header.MsgType, p, debug.Stack())
			k.reply(r, m, replyType(m.Header.MsgType), ErrorReplyContent{Status: "error", EName: InternalError.String(), EValue: fmt.Sprint(p), Traceback: []string{}})
		}
	}()
	t := m.Header.MsgType
	if !isShell {
		// The session is not safe for concurrent use: control serves only
		// what does not touch it, while shell may be running a cell.
		switch t {
		case MsgKernelInfoRequest, MsgShutdownRequest, MsgInterruptRequest, MsgCommInfoRequest:
		default:
			k.unknown(r, m)
			return
		}
	}
	switch t {
	case MsgKernelInfoRequest:
		info := k.sess.Info()
		links := info.HelpLinks
		if links == nil {
			links = []HelpLink{}
		}
		k.reply(r, m, MsgKernelInfoReply, KernelInfoReply{
			Status: "ok", ProtocolVersion: ProtocolVersion,
			Implementation: info.Implementation, ImplementationVersion: info.ImplementationVersion,
			LanguageInfo: info.Language, Banner: info.Banner, HelpLinks: links,
		})
	case MsgShutdownRequest:
		var c ShutdownContent
		_ = json.Unmarshal(m.Content, &c)
		rep := ShutdownContent{Status: "ok", Restart: c.Restart}
		k.reply(r, m, MsgShutdownReply, rep)
		k.publish(MsgShutdownReply, m, rep)
		k.stop(c.Restart)
	case MsgInterruptRequest:
		k.Interrupt()
		k.reply(r, m, MsgInterruptReply, InterruptReplyContent{Status: "ok"})
	case MsgExecuteRequest:
		k.execute(r, m, aborting)
	case MsgCompleteRequest:
		var c CompleteRequestContent
		if !k.content(r, m, &c) {
			return
		}
		cur, utf16 := cursor(c.Code, c.CursorPos, m.Header.Version)
		comp := k.sess.Complete(c.Code, cur)
		if comp.Matches == nil {
			comp.Matches = []string{}
		}
		if comp.Start == 0 && comp.End == 0 && len(comp.Matches) == 0 {
			comp.Start, comp.End = cur, cur
		}
		if utf16 {
			// Answer in the units the client used.
			comp.Start, comp.End = utf16Index(c.Code, comp.Start), utf16Index(c.Code, comp.End)
		}
		k.reply(r, m, MsgCompleteReply, CompleteReplyContent{Status: "ok", Matches: comp.Matches, CursorStart: comp.Start, CursorEnd: comp.End, Metadata: map[string]any{}})
	case MsgInspectRequest:
		var c InspectRequestContent
		if !k.content(r, m, &c) {
			return
		}
		cur, _ := cursor(c.Code, c.CursorPos, m.Header.Version)
		b := k.sess.Inspect(c.Code, cur, c.DetailLevel)
		data, md := b.Data, b.Metadata
		if data == nil {
			data = map[string]any{}
		}
		if md == nil {
			md = map[string]any{}
		}
		k.reply(r, m, MsgInspectReply, InspectReplyContent{Status: "ok", Found: len(data) > 0, Data: data, Metadata: md})
	case MsgIsCompleteRequest:
		var c IsCompleteRequestContent
		if !k.content(r, m, &c) {
			return
		}
		status, indent := k.sess.IsComplete(c.Code)
		rep := IsCompleteReplyContent{Status: status}
		if status == "incomplete" {
			rep.Indent = indent
		}
		k.reply(r, m, MsgIsCompleteReply, rep)
	case MsgHistoryRequest:
		var c HistoryRequestContent
		if !k.content(r, m, &c) {
			return
		}
		entries := k.sess.History(HistoryRequest{Access: c.HistAccessType, Output: c.Output, Raw: c.Raw, Session: c.Session, Start: c.Start, Stop: c.Stop, N: c.N, Pattern: c.Pattern, Unique: c.Unique})
		hist := make([][]any, 0, len(entries))
		for _, e := range entries {
			if c.Output {
				hist = append(hist, []any{e.Session, e.Line, []any{e.Input, e.Output}})
			} else {
				hist = append(hist, []any{e.Session, e.Line, e.Input})
			}
		}
		k.reply(r, m, MsgHistoryReply, HistoryReplyContent{Status: "ok", History: hist})
	case MsgCommInfoRequest:
		k.reply(r, m, MsgCommInfoReply, CommInfoReplyContent{Status: "ok", Comms: map[string]any{}})
	case MsgCommOpen:
		var c CommOpenContent
		_ = json.Unmarshal(m.Content, &c)
		k.logger.Printf("%s: no comm target %q: closing comm %s", r.name, c.TargetName, c.CommID)
		k.publish(MsgCommClose, m, CommCloseContent{CommID: c.CommID, Data: map[string]any{}})
	case MsgCommMsg, MsgCommClose:
		// No comms are ever open: nothing to do.
	default:
		k.unknown(r, m)
	}
}

// unknown logs a request the kernel does not serve and, for a request,
// answers its reply type with an error.
func (k *Kernel) unknown(r *router, m *Message) {
	t := m.Header.MsgType
	k.logger.Printf("%s: unknown message type %q", r.name, t)
	if strings.HasSuffix(t, "_request") {
		k.reply(r, m, replyType(t), ErrorReplyContent{Status: "error", EName: unknownMessageType.String(), EValue: fmt.Sprintf("%s does not serve %s on %s", k.name, t, r.name), Traceback: []string{}})
	}
}

func replyType(t string) string {
	if base, ok := strings.CutSuffix(t, "_request"); ok {
		return base + "_reply"
	}
	return t + "_reply"
}

// content decodes a request's content, answering an error reply when it
// does not fit the request's type.
func (k *Kernel) content(r *router, m *Message, dst any) bool {
	if err := json.Unmarshal(m.Content, dst); err != nil {
		k.logger.Printf("%s: bad %s content: %v", r.name, m.Header.MsgType, err)
		k.reply(r, m, replyType(m.Header.MsgType), ErrorReplyContent{Status: "error", EName: badRequest.String(), EValue: err.Error(), Traceback: []string{}})
		return false
	}
	return true
}

// cursor returns a request's cursor position in code points, within the
// code, and whether the client counted in UTF-16 units. The protocol
// counts code points since 5.2; before, and in JupyterLab 3 and later
// still (jupyterlab/jupyterlab#13961), JavaScript clients counted UTF-16
// units, in which an astral character such as 𝐱 counts twice. A position
// from a client older than 5.2, or past the last code point but within the
// UTF-16 length, is read as UTF-16; any other as code points. A missing
// position means the end of the code.
func cursor(code string, pos *int, version string) (cur int, utf16 bool) {
	n := utf8.RuneCountInString(code)
	if pos == nil {
		return n, false
	}
	p := *pos
	if p < 0 {
		return 0, false
	}
	u := utf16Index(code, n)
	if u != n && (olderThan52(version) || p > n && p <= u) {
		return runeIndex(code, p), true
	}
	return min(p, n), false
}

// olderThan52 reports whether a protocol version is older than 5.2.
func olderThan52(v string) bool {
	major, minor, _ := strings.Cut(v, ".")
	if minor != "" {
		minor, _, _ = strings.Cut(minor, ".")
	}
	ma, err1 := strconv.Atoi(major)
	mi, err2 := strconv.Atoi(minor)
	if err1 != nil || err2 != nil {
		return false
	}
	return ma < 5 || ma == 5 && mi < 2
}

// utf16Index converts a code point offset in s to UTF-16 units.
func utf16Index(s string, runes int) int {
	u, i := 0, 0
	for _, r := range s {
		if i == runes {
			break
		}
		u += utf16.RuneLen(r)
		i++
	}
	return u
}

// runeIndex converts a UTF-16 offset in s to code points, rounding down
// inside a surrogate pair and stopping at the end.
func runeIndex(s string, units int) int {
	u, i := 0, 0
	for _, r := range s {
		l := utf16.RuneLen(r)
		if u+l > units {
			break
		}
		u += l
		i++
	}
	return i
}

// execute runs an execute_request. When the cell fails with
// stop_on_error, the execute requests the client sent before it could see
// the error reply are aborted from then on (see abortWindow).
func (k *Kernel) execute(r *router, m *Message, aborting bool) {
	var c ExecuteRequestContent
	if !k.content(r, m, &c) {
		return
	}
	req := ExecuteRequest{Code: c.Code, Silent: c.Silent, StoreHistory: !c.Silent, AllowStdin: true, StopOnError: true, UserExpressions: c.UserExpressions}
	if c.StoreHistory != nil && !c.Silent {
		req.StoreHistory = *c.StoreHistory
	}
	if c.AllowStdin != nil {
		req.AllowStdin = *c.AllowStdin
	}
	if c.StopOnError != nil {
		req.StopOnError = *c.StopOnError
	}
	if aborting {
		k.reply(r, m, MsgExecuteReply, ExecuteReplyContent{Status: "error", ExecutionCount: 0, Payload: []any{}, EName: executionAborted.String(), EValue: "a previous cell failed: execution aborted", Traceback: []string{}, UserExpressions: map[string]any{}})
		return
	}
	ctx, cancel := context.WithCancel(k.ctx)
	defer cancel()
	k.mu.Lock()
	k.running = cancel
	k.mu.Unlock()
	defer func() {
		k.mu.Lock()
		k.running = nil
		k.mu.Unlock()
	}()

	if !req.Silent {
		k.mu.Lock()
		notice := k.notice
		k.notice = ""
		k.mu.Unlock()
		if notice != "" {
			k.publish(MsgStream, m, StreamContent{Name: "stderr", Text: notice})
		}
	}
	sink := newCellSink(k, m, req.Silent)
	res := k.runCell(ctx, req, sink)
	sink.close()
	if res.ExecutionCount == 0 {
		res.ExecutionCount = sink.count()
	}
	ue := res.UserExpressions
	if ue == nil {
		ue = map[string]any{}
	}
	if res.Err != nil {
		tb := res.Err.Traceback
		if tb == nil {
			tb = []string{}
		}
		if !req.Silent {
			k.publish(MsgError, m, ErrorContent{EName: res.Err.Name(), EValue: res.Err.Value, Traceback: tb})
		}
		now := time.Now()
		if req.StopOnError && !aborting {
			// The reply's own date: what the client sends once it has the
			// reply must run.
			k.abort = newAbortWindow(m.Header, k.arrived, now)
		}
		k.replyAt(r, m, MsgExecuteReply, ExecuteReplyContent{Status: "error", ExecutionCount: res.ExecutionCount, Payload: []any{}, EName: res.Err.Name(), EValue: res.Err.Value, Traceback: tb, UserExpressions: ue}, now)
		return
	}
	payload := make([]any, 0, len(res.Payload))
	for _, p := range res.Payload {
		payload = append(payload, p)
	}
	k.reply(r, m, MsgExecuteReply, ExecuteReplyContent{Status: "ok", ExecutionCount: res.ExecutionCount, Payload: payload, UserExpressions: ue})
}

// runCell calls the session, turning a panic into an error result.
func (k *Kernel) runCell(ctx context.Context, req ExecuteRequest, sink *cellSink) (res ExecuteResult) {
	defer func() {
		if p := recover(); p != nil {
			stack := strings.Split(strings.TrimRight(string(debug.Stack()), "\n"), "\n")
			k.logger.Printf("shell: panic in cell: %v", p)
			res = ExecuteResult{ExecutionCount: sink.count(), Err: &ExecError{
				Kind:      InternalError,
				Value:     fmt.Sprintf("%s failed on this cell (a bug, please report it): %v", k.name, p),
				Traceback: append([]string{fmt.Sprintf("InternalError: %v", p)}, stack...),
			}}
		}
	}()
	return k.sess.Execute(ctx, req, sink)
}

// reply sends a reply on the socket the request came from.
func (k *Kernel) reply(r *router, req *Message, msgType string, content any) {
	k.replyAt(r, req, msgType, content, time.Now())
}

// replyAt sends a reply dated at.
func (k *Kernel) replyAt(r *router, req *Message, msgType string, content any, at time.Time) {
	frames, err := k.sign.encode(req.Identities, k.headerAt(msgType, at), req.rawHeader, nil, content)
	if err != nil {
		k.logger.Printf("%s: %v", r.name, err)
		return
	}
	if len(frames) == 0 || len(req.Identities) == 0 {
		k.logger.Printf("%s: request without identity: reply dropped", r.name)
		return
	}
	if err := r.send(frames); err != nil {
		k.logger.Printf("%s: reply %s: %v", r.name, msgType, err)
	}
}

// publish sends a message on iopub with parent as its parent (nil: none).
func (k *Kernel) publish(msgType string, parent *Message, content any) {
	var ph json.RawMessage
	if parent != nil {
		ph = parent.rawHeader
	}
	topic := []byte("kernel." + k.id + "." + msgType)
	frames, err := k.sign.encode([][]byte{topic}, k.headerAt(msgType, time.Now()), ph, nil, content)
	if err != nil {
		k.logger.Printf("iopub: %v", err)
		return
	}
	// What answers a request is kept for subscribers that join late (see
	// publisher); the boot-time "starting" status is not.
	k.iopub.publish(frames, parent != nil)
}

func (k *Kernel) headerAt(msgType string, at time.Time) Header {
	return Header{MsgID: newID(), Session: k.id, Username: k.name, Date: timestamp(at), MsgType: msgType, Version: ProtocolVersion}
}
