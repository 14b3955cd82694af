package kernel

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

var dateRE = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$`)

func TestKernelInfoSignedBusyIdle(t *testing.T) {
	h := startKernel(t, "secret-key")
	c := h.connect()
	for _, ch := range []string{"shell", "control"} {
		id := c.send(ch, MsgKernelInfoRequest, map[string]any{})
		rep := c.reply(ch, id) // decode verified the signature
		if rep.Header.MsgType != MsgKernelInfoReply || rep.Header.Version != "5.4" || !dateRE.MatchString(rep.Header.Date) {
			t.Errorf("%s: header %+v", ch, rep.Header)
		}
		info := content[KernelInfoReply](t, rep)
		if info.Status != "ok" || info.ProtocolVersion != "5.4" || info.LanguageInfo.Name != "test" || info.HelpLinks == nil {
			t.Errorf("%s: kernel_info_reply %+v", ch, info)
		}
		if got := types(c.outputs(id)); got != "status:busy status:idle" {
			t.Errorf("%s: iopub %s, want busy idle", ch, got)
		}
	}
}

func TestExecuteOutputsInOrder(t *testing.T) {
	h := startKernel(t, "k")
	c := h.connect()
	id := c.send("shell", MsgExecuteRequest, map[string]any{"code": "print hello\ndisplay d\nresult r"})
	rep := content[ExecuteReplyContent](t, c.reply("shell", id))
	if rep.Status != "ok" || rep.ExecutionCount != 1 || rep.Payload == nil || rep.UserExpressions == nil {
		t.Errorf("reply %+v", rep)
	}
	outs := c.outputs(id)
	if got, want := types(outs), "status:busy execute_input stream display_data execute_result status:idle"; got != want {
		t.Fatalf("iopub:\n got %s\nwant %s", got, want)
	}
	in := content[ExecuteInputContent](t, outs[1])
	if in.Code != "print hello\ndisplay d\nresult r" || in.ExecutionCount != 1 {
		t.Errorf("execute_input %+v", in)
	}
	if s := content[StreamContent](t, outs[2]); s.Name != "stdout" || s.Text != "hello" {
		t.Errorf("stream %+v", s)
	}
	var dd map[string]json.RawMessage
	_ = json.Unmarshal(outs[3].Content, &dd)
	if string(dd["metadata"]) != "{}" {
		t.Errorf("display_data metadata %s, want {}", dd["metadata"])
	}
	if r := content[ExecuteResultContent](t, outs[4]); r.ExecutionCount != 1 || r.Data["text/plain"] != "r" {
		t.Errorf("execute_result %+v", r)
	}
	// silent: no execute_input, no execute_result, count unchanged.
	id = c.send("shell", MsgExecuteRequest, map[string]any{"code": "result r", "silent": true})
	if rep := content[ExecuteReplyContent](t, c.reply("shell", id)); rep.ExecutionCount != 1 {
		t.Errorf("silent: count %d, want 1", rep.ExecutionCount)
	}
	if got := types(c.outputs(id)); got != "status:busy status:idle" {
		t.Errorf("silent: iopub %s", got)
	}
	// store_history false: count unchanged.
	id = c.send("shell", MsgExecuteRequest, map[string]any{"code": "", "store_history": false})
	if rep := content[ExecuteReplyContent](t, c.reply("shell", id)); rep.ExecutionCount != 1 {
		t.Errorf("store_history=false: count %d, want 1", rep.ExecutionCount)
	}
}

func TestControlDuringLongCell(t *testing.T) {
	h := startKernel(t, "k")
	c := h.connect()
	exec := c.send("shell", MsgExecuteRequest, map[string]any{"code": "sleep"})
	time.Sleep(50 * time.Millisecond)
	start := time.Now()
	info := c.send("control", MsgKernelInfoRequest, map[string]any{})
	c.reply("control", info)
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("kernel_info on control took %v while a cell ran", d)
	}
	intr := c.send("control", MsgInterruptRequest, map[string]any{})
	if rep := content[InterruptReplyContent](t, c.reply("control", intr)); rep.Status != "ok" {
		t.Errorf("interrupt_reply %+v", rep)
	}
	rep := content[ExecuteReplyContent](t, c.reply("shell", exec))
	if rep.Status != "error" || rep.EName != "Interrupted" {
		t.Errorf("interrupted cell: %+v", rep)
	}
	outs := c.outputs(exec)
	if got := types(outs); got != "status:busy execute_input error status:idle" {
		t.Errorf("iopub %s", got)
	}
	// Still serving.
	id := c.send("shell", MsgExecuteRequest, map[string]any{"code": "print ok"})
	if rep := content[ExecuteReplyContent](t, c.reply("shell", id)); rep.Status != "ok" {
		t.Errorf("after interrupt: %+v", rep)
	}
}

func TestShutdownDuringLongCell(t *testing.T) {
	for _, restart := range []bool{false, true} {
		h := startKernel(t, "k")
		c := h.connect()
		c.send("shell", MsgExecuteRequest, map[string]any{"code": "sleep"})
		time.Sleep(50 * time.Millisecond)
		id := c.send("control", MsgShutdownRequest, map[string]any{"restart": restart})
		rep := content[ShutdownContent](t, c.reply("control", id))
		if rep.Status != "ok" || rep.Restart != restart {
			t.Errorf("shutdown_reply %+v", rep)
		}
		select {
		case <-h.done:
		case <-time.After(5 * time.Second):
			t.Fatal("Run did not return after shutdown_request")
		}
		if h.k.restart != restart {
			t.Errorf("restart = %v, want %v", h.k.restart, restart)
		}
	}
}

func TestShutdownOnShell(t *testing.T) {
	h := startKernel(t, "k")
	c := h.connect()
	id := c.send("shell", MsgShutdownRequest, map[string]any{"restart": false})
	if rep := content[ShutdownContent](t, c.reply("shell", id)); rep.Status != "ok" {
		t.Errorf("shutdown_reply %+v", rep)
	}
	// Also broadcast on iopub, between busy and idle.
	if got := types(c.outputs(id)); got != "status:busy shutdown_reply status:idle" {
		t.Errorf("iopub %s", got)
	}
	select {
	case <-h.done:
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after shutdown_request on shell")
	}
}

func TestPanicBecomesErrorReply(t *testing.T) {
	h := startKernel(t, "k")
	c := h.connect()
	id := c.send("shell", MsgExecuteRequest, map[string]any{"code": "print before\npanic"})
	rep := content[ExecuteReplyContent](t, c.reply("shell", id))
	if rep.Status != "error" || rep.EName != "InternalError" || len(rep.Traceback) < 2 || !strings.Contains(rep.EValue, "test panic") {
		t.Errorf("reply %+v", rep)
	}
	if got := types(c.outputs(id)); got != "status:busy execute_input stream error status:idle" {
		t.Errorf("iopub %s", got)
	}
	id = c.send("shell", MsgExecuteRequest, map[string]any{"code": "print after"})
	if rep := content[ExecuteReplyContent](t, c.reply("shell", id)); rep.Status != "ok" || rep.ExecutionCount != 2 {
		t.Errorf("after panic: %+v", rep)
	}
}

func TestStopOnErrorAbortsQueued(t *testing.T) {
	h := startKernel(t, "k")
	c := h.connect()
	// The first cell waits for the interrupt, so the others queue behind it.
	first := c.send("shell", MsgExecuteRequest, map[string]any{"code": "sleep"})
	second := c.send("shell", MsgExecuteRequest, map[string]any{"code": "print 2"})
	third := c.send("shell", MsgExecuteRequest, map[string]any{"code": "print 3", "stop_on_error": false})
	time.Sleep(200 * time.Millisecond)
	c.send("control", MsgInterruptRequest, map[string]any{})
	if rep := content[ExecuteReplyContent](t, c.reply("shell", first)); rep.Status != "error" {
		t.Fatalf("first: %+v", rep)
	}
	for _, id := range []string{second, third} {
		if rep := content[ExecuteReplyContent](t, c.reply("shell", id)); rep.Status != "error" || rep.EName != "ExecutionAborted" {
			t.Errorf("queued: %+v", rep)
		}
	}
	if ran := h.sess.executed(); len(ran) != 1 {
		t.Errorf("executed %q, want only the first cell", ran)
	}
	// A new request after the queue was flushed runs.
	id := c.send("shell", MsgExecuteRequest, map[string]any{"code": "print 4"})
	if rep := content[ExecuteReplyContent](t, c.reply("shell", id)); rep.Status != "ok" {
		t.Errorf("after abort: %+v", rep)
	}
}

// TestRequestAfterErrorReplyRuns: stop_on_error aborts what was queued
// before the failed cell's reply, not what the client sends after it.
func TestRequestAfterErrorReplyRuns(t *testing.T) {
	h := startKernel(t, "k")
	c := h.connect()
	for i := 0; i < 30; i++ {
		id := c.send("shell", MsgExecuteRequest, map[string]any{"code": "fail"})
		if rep := content[ExecuteReplyContent](t, c.reply("shell", id)); rep.Status != "error" {
			t.Fatalf("fail: %+v", rep)
		}
		id = c.send("shell", MsgExecuteRequest, map[string]any{"code": "print next"})
		if rep := content[ExecuteReplyContent](t, c.reply("shell", id)); rep.Status != "ok" {
			t.Fatalf("round %d: the request sent after the error reply was aborted: %+v", i, rep)
		}
	}
}

func TestStreamBatchedAndUTF8Whole(t *testing.T) {
	h := startKernel(t, "k")
	c := h.connect()
	text := strings.Repeat("∇ᵀ𝐱 = 2Ax; ", 10000) // ~190 kB, written one byte at a time
	id := c.send("shell", MsgExecuteRequest, map[string]any{"code": "chunks " + text})
	c.reply("shell", id)
	var got strings.Builder
	n := 0
	for _, m := range c.outputs(id) {
		if m.Header.MsgType != MsgStream {
			continue
		}
		n++
		s := content[StreamContent](t, m)
		if !utf8.ValidString(s.Text) || strings.ContainsRune(s.Text, utf8.RuneError) {
			t.Fatalf("stream message %d cut inside a character", n)
		}
		got.WriteString(s.Text)
	}
	if got.String() != text {
		t.Errorf("stream text differs: %d bytes, want %d", got.Len(), len(text))
	}
	if n > 20 {
		t.Errorf("%d stream messages for %d writes: not batched", n, len(text))
	}
}

func TestRuneBoundary(t *testing.T) {
	b := []byte("a∇𝐱")
	for n := 0; n <= len(b); n++ {
		cut := runeBoundary(b, n)
		if !utf8.Valid(b[:cut]) || cut > n || (utf8.Valid(b[:n]) && cut != n) {
			t.Errorf("runeBoundary(%q, %d) = %d", b, n, cut)
		}
	}
}

func TestCursorInCodePoints(t *testing.T) {
	h := startKernel(t, "k")
	c := h.connect()
	code := "∇ᵀ𝐱 x" // 5 code points, 12 bytes, 6 UTF-16 units
	for _, tc := range []struct {
		version    string
		cursor     any
		want       string // the cursor the session saw
		start, end int    // in the reply
	}{
		{"5.4", nil, "cursor=5", 5, 5},
		{"5.4", 3, "cursor=3", 3, 3},
		{"5.4", 5, "cursor=5", 5, 5},
		{"5.4", 99, "cursor=5", 5, 5},
		{"5.4", -4, "cursor=0", 0, 0},
		// Past the code points, within the UTF-16 length: JupyterLab's
		// UTF-16 count, answered in UTF-16.
		{"5.3", 6, "cursor=5", 6, 6},
		// Before 5.2 positions are UTF-16 units.
		{"5.1", 4, "cursor=3", 4, 4},
		{"5.0", 3, "cursor=2", 2, 2}, // inside the surrogate pair of 𝐱
	} {
		c.version = tc.version
		req := map[string]any{"code": code}
		if tc.cursor != nil {
			req["cursor_pos"] = tc.cursor
		}
		id := c.send("shell", MsgCompleteRequest, req)
		rep := content[CompleteReplyContent](t, c.reply("shell", id))
		if len(rep.Matches) != 1 || rep.Matches[0] != tc.want || rep.CursorStart != tc.start || rep.CursorEnd != tc.end {
			t.Errorf("version %s cursor %v: %+v, want %s [%d, %d]", tc.version, tc.cursor, rep, tc.want, tc.start, tc.end)
		}
	}
}

func TestUTF16Conversions(t *testing.T) {
	s := "a𝐱∇𝐱"
	for runes, units := range []int{0, 1, 3, 4, 6} {
		if got := utf16Index(s, runes); got != units {
			t.Errorf("utf16Index(%d) = %d, want %d", runes, got, units)
		}
		if got := runeIndex(s, units); got != runes {
			t.Errorf("runeIndex(%d) = %d, want %d", units, got, runes)
		}
	}
	if got := runeIndex(s, 99); got != 4 {
		t.Errorf("runeIndex past the end = %d", got)
	}
	for v, want := range map[string]bool{"5.1": true, "5.0": true, "4.1": true, "5.2": false, "5.4": false, "6.0": false, "": false, "x": false} {
		if got := olderThan52(v); got != want {
			t.Errorf("olderThan52(%q) = %v", v, got)
		}
	}
}

func TestOtherRequests(t *testing.T) {
	h := startKernel(t, "")
	c := h.connect()
	tests := []struct {
		msgType string
		content map[string]any
		reply   string
		check   string // substring of the reply content
	}{
		{MsgInspectRequest, map[string]any{"code": "known", "cursor_pos": 2}, MsgInspectReply, `"found":true`},
		{MsgInspectRequest, map[string]any{"code": "other"}, MsgInspectReply, `"found":false,"data":{},"metadata":{}`},
		{MsgIsCompleteRequest, map[string]any{"code": "f("}, MsgIsCompleteReply, `{"status":"incomplete","indent":"  "}`},
		{MsgIsCompleteRequest, map[string]any{"code": "f()"}, MsgIsCompleteReply, `{"status":"complete"}`},
		{MsgHistoryRequest, map[string]any{"hist_access_type": "tail", "n": 1, "output": true}, MsgHistoryReply, `[[1,1,["print a","a"]]]`},
		{MsgHistoryRequest, map[string]any{"hist_access_type": "tail", "n": 1}, MsgHistoryReply, `[[1,1,"print a"]]`},
		{MsgCommInfoRequest, map[string]any{}, MsgCommInfoReply, `"comms":{}`},
		{"debug_request", map[string]any{}, "debug_reply", `"ename":"UnknownMessageType"`},
		{MsgCompleteRequest, map[string]any{"code": 7}, MsgCompleteReply, `"status":"error","ename":"BadRequest"`},
	}
	for _, tc := range tests {
		id := c.send("shell", tc.msgType, tc.content)
		rep := c.reply("shell", id)
		if rep.Header.MsgType != tc.reply || !strings.Contains(string(rep.Content), tc.check) || !strings.Contains(string(rep.Content), `"status"`) {
			t.Errorf("%s %v: got %s %s, want %s with %s", tc.msgType, tc.content, rep.Header.MsgType, rep.Content, tc.reply, tc.check)
		}
		if got := types(c.outputs(id)); got != "status:busy status:idle" {
			t.Errorf("%s: iopub %s", tc.msgType, got)
		}
	}
	// comm_open is answered with comm_close on iopub.
	id := c.send("shell", MsgCommOpen, map[string]any{"comm_id": "c1", "target_name": "jupyter.widget", "data": map[string]any{}})
	outs := c.outputs(id)
	if got := types(outs); got != "status:busy comm_close status:idle" {
		t.Fatalf("comm_open: iopub %s", got)
	}
	if cc := content[CommCloseContent](t, outs[1]); cc.CommID != "c1" {
		t.Errorf("comm_close %+v", cc)
	}
}

func TestBadInputIgnored(t *testing.T) {
	h := startKernel(t, "key")
	c := h.connect()
	hdr := func(typ string) []byte {
		b, _ := json.Marshal(Header{MsgID: newID(), Session: "s", Username: "u", Date: timestamp(time.Now()), MsgType: typ, Version: "5.4"})
		return b
	}
	exec := []byte(`{"code":"print bad"}`)
	good := func(header, content []byte) [][]byte {
		parts := [][]byte{header, []byte("{}"), []byte("{}"), content}
		return append([][]byte{[]byte(delimiter), c.sign.sign(parts)}, parts...)
	}
	big := bytes.Repeat([]byte("x"), 10<<20)
	cases := map[string][][]byte{
		"no delimiter":    {[]byte("garbage")},
		"missing frames":  {[]byte(delimiter), []byte("sig"), hdr(MsgExecuteRequest)},
		"wrong signature": append([][]byte{[]byte(delimiter), []byte("00ff")}, hdr(MsgExecuteRequest), []byte("{}"), []byte("{}"), exec),
		"no signature":    append([][]byte{[]byte(delimiter), {}}, hdr(MsgExecuteRequest), []byte("{}"), []byte("{}"), exec),
		"malformed JSON":  good([]byte(`{"msg_id": `), exec),
		"content array":   good(hdr(MsgExecuteRequest), []byte(`[1]`)),
		"10 MB unsigned":  append([][]byte{[]byte(delimiter), []byte("00")}, hdr(MsgExecuteRequest), []byte("{}"), []byte("{}"), big),
	}
	for name, frames := range cases {
		c.sendRaw(frames...)
		// The kernel goes on answering.
		id := c.send("shell", MsgKernelInfoRequest, map[string]any{})
		c.reply("shell", id)
		_ = name
	}
	for _, code := range h.sess.executed() {
		if code == "print bad" {
			t.Errorf("a message with a bad signature was executed")
		}
	}
	logged := h.log.String()
	for _, want := range []string{"no <IDS|MSG> delimiter", "frames after the delimiter", "invalid signature", "header:", "content is not an object"} {
		if !strings.Contains(logged, want) {
			t.Errorf("log lacks %q:\n%s", want, logged)
		}
	}
}

func TestSignerVerify(t *testing.T) {
	s := signer{key: []byte("k")}
	parts := [][]byte{[]byte("{}"), []byte("{}"), []byte("{}"), []byte("{}")}
	sig := s.sign(parts)
	tests := []struct {
		name string
		s    signer
		sig  []byte
		want bool
	}{
		{"right", s, sig, true},
		{"upper case hex", s, bytes.ToUpper(sig), true},
		{"wrong", s, append([]byte("0"), sig[1:]...), sig[0] == '0'},
		{"empty", s, nil, false},
		{"unsigned kernel accepts any", signer{}, []byte("whatever"), true},
	}
	for _, tc := range tests {
		if got := tc.s.verify(tc.sig, parts); got != tc.want {
			t.Errorf("%s: verify = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestConnectionFile(t *testing.T) {
	tests := []struct {
		name, json string
		endpoint   string // of the shell port
		err        string
	}{
		{"tcp", `{"transport":"tcp","ip":"127.0.0.1","shell_port":5000,"control_port":5001,"stdin_port":5002,"iopub_port":5003,"hb_port":5004,"key":"a","signature_scheme":"hmac-sha256","kernel_name":"matcalc"}`, "tcp://127.0.0.1:5000", ""},
		{"ipc", `{"transport":"ipc","ip":"/tmp/kernel-x","shell_port":1,"control_port":2,"stdin_port":3,"iopub_port":4,"hb_port":5,"key":"","signature_scheme":"hmac-sha256"}`, "ipc:///tmp/kernel-x-1", ""},
		{"ipv6", `{"transport":"tcp","ip":"::1","shell_port":5000,"control_port":5001,"stdin_port":5002,"iopub_port":5003,"hb_port":5004,"key":"","signature_scheme":""}`, "tcp://[::1]:5000", ""},
		{"bad scheme", `{"transport":"tcp","ip":"127.0.0.1","shell_port":1,"control_port":2,"stdin_port":3,"iopub_port":4,"hb_port":5,"key":"a","signature_scheme":"hmac-md5"}`, "", "signature_scheme"},
		{"bad transport", `{"transport":"udp","ip":"127.0.0.1","shell_port":1,"control_port":2,"stdin_port":3,"iopub_port":4,"hb_port":5}`, "", "transport"},
		{"missing port", `{"transport":"tcp","ip":"127.0.0.1","shell_port":1,"control_port":2,"stdin_port":3,"iopub_port":4}`, "", "hb_port"},
		{"not JSON", `{`, "", "unexpected end"},
	}
	for _, tc := range tests {
		path := t.TempDir() + "/conn.json"
		if err := writeFile(path, tc.json); err != nil {
			t.Fatal(err)
		}
		ci, err := ReadConnectionFile(path)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%s: err %v, want %q", tc.name, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if got := ci.endpoint(ci.ShellPort); got != tc.endpoint {
			t.Errorf("%s: endpoint %s, want %s", tc.name, got, tc.endpoint)
		}
	}
}

func TestHeartbeatEcho(t *testing.T) {
	h := startKernel(t, "")
	req := newZmqReq(t, h.ci.endpoint(h.ci.HBPort))
	for _, ping := range []string{"ping", "∇ᵀ𝐱"} {
		if got := req(ping); got != ping {
			t.Errorf("heartbeat echoed %q, want %q", got, ping)
		}
	}
}
