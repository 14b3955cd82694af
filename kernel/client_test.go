package kernel

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-zeromq/zmq4"
)

// This file is a small Jupyter client for the tests: DEALER sockets on
// shell and control, a SUB on iopub and a REQ on the heartbeat, all
// zmq4's, talking to a kernel over real sockets.

// testSession is a Session whose cells are commands:
//
//	print TEXT    stream TEXT to stdout
//	chunks TEXT   stream TEXT one byte per write
//	result TEXT   an execute_result
//	display TEXT  a display_data
//	fail          an error
//	sleep         wait until interrupted
//	panic         panic
type testSession struct {
	mu    sync.Mutex
	count int
	ran   []string
}

func (s *testSession) Info() Info {
	return Info{Implementation: "test", ImplementationVersion: "0", Language: LanguageInfo{Name: "test", Version: "0", Mimetype: "text/plain", FileExtension: ".t"}, Banner: "test"}
}

func (s *testSession) Execute(ctx context.Context, req ExecuteRequest, out Sink) ExecuteResult {
	s.mu.Lock()
	s.ran = append(s.ran, req.Code)
	if req.StoreHistory {
		s.count++
	}
	n := s.count
	s.mu.Unlock()
	out.Input(n)
	res := ExecuteResult{ExecutionCount: n}
	for _, line := range strings.Split(req.Code, "\n") {
		cmd, arg, _ := strings.Cut(line, " ")
		switch cmd {
		case "print":
			out.Stream("stdout", arg)
		case "chunks":
			for i := 0; i < len(arg); i++ {
				out.Stream("stdout", arg[i:i+1])
			}
		case "result":
			out.Result(n, Bundle{Data: map[string]any{"text/plain": arg}})
		case "display":
			out.Display(Bundle{Data: map[string]any{"text/plain": arg}})
		case "fail":
			res.Err = &ExecError{Kind: testError{}, Value: "failed", Traceback: []string{"TestError: failed"}}
			return res
		case "sleep":
			<-ctx.Done()
			res.Err = &ExecError{Kind: Interrupted, Value: ctx.Err().Error()}
			return res
		case "panic":
			panic("test panic")
		}
	}
	return res
}

func (s *testSession) executed() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.ran...)
}

func (s *testSession) Complete(code string, cursor int) Completion {
	return Completion{Matches: []string{fmt.Sprintf("cursor=%d", cursor)}, Start: cursor, End: cursor}
}

func (s *testSession) Inspect(code string, cursor, detail int) Bundle {
	if code == "known" {
		return Bundle{Data: map[string]any{"text/plain": "a known name"}}
	}
	return Bundle{}
}

func (s *testSession) IsComplete(code string) (string, string) {
	if strings.HasSuffix(code, "(") {
		return "incomplete", "  "
	}
	return "complete", ""
}

func (s *testSession) History(req HistoryRequest) []HistoryEntry {
	return []HistoryEntry{{Session: 1, Line: 1, Input: "print a", Output: "a"}}
}

// harness is a running kernel with its connection info.
type harness struct {
	t    testing.TB
	k    *Kernel
	ci   *ConnectionInfo
	sess *testSession
	done chan struct{}
	log  *lockedBuffer
}

type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func startKernel(t testing.TB, key string) *harness {
	t.Helper()
	dir := t.TempDir()
	ci := &ConnectionInfo{Transport: "ipc", IP: filepath.Join(dir, "k"), ShellPort: 1, ControlPort: 2, StdinPort: 3, IOPubPort: 4, HBPort: 5, Key: key, SignatureScheme: "hmac-sha256"}
	return startKernelOn(t, ci)
}

// startKernelOn starts a kernel serving a testSession on ci.
func startKernelOn(t testing.TB, ci *ConnectionInfo) *harness {
	t.Helper()
	h := &harness{t: t, ci: ci, sess: &testSession{}, done: make(chan struct{}), log: &lockedBuffer{}}
	k, err := New(ci, h.sess, log.New(h.log, "", 0))
	if err != nil {
		t.Fatal(err)
	}
	h.k = k
	go func() {
		defer close(h.done)
		if _, err := k.Run(context.Background()); err != nil {
			t.Errorf("Run: %v", err)
		}
	}()
	t.Cleanup(func() {
		k.stop(false)
		select {
		case <-h.done:
		case <-time.After(5 * time.Second):
			t.Error("kernel did not stop")
		}
		k.Close()
	})
	return h
}

// client is a Jupyter client connected to a harness.
type client struct {
	t       testing.TB
	sign    signer
	session string
	version string // of the requests' headers; "" means ProtocolVersion
	shell   zmq4.Socket
	control zmq4.Socket
	iopub   zmq4.Socket
	ctx     context.Context
	cancel  context.CancelFunc
	replies map[string]chan *Message // by channel
	pub     chan *Message
}

func (h *harness) connect() *client {
	t := h.t
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	c := &client{t: t, sign: signer{key: []byte(h.ci.Key)}, session: newID(), ctx: ctx, cancel: cancel,
		replies: map[string]chan *Message{"shell": make(chan *Message, 1000), "control": make(chan *Message, 100)},
		pub:     make(chan *Message, 100000)}
	c.shell = zmq4.NewDealer(ctx, zmq4.WithID(zmq4.SocketIdentity("shell-"+c.session)))
	c.control = zmq4.NewDealer(ctx)
	c.iopub = zmq4.NewSub(ctx)
	for _, d := range []struct {
		s    zmq4.Socket
		port int
	}{{c.shell, h.ci.ShellPort}, {c.control, h.ci.ControlPort}, {c.iopub, h.ci.IOPubPort}} {
		if err := d.s.Dial(h.ci.endpoint(d.port)); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.iopub.SetOption(zmq4.OptionSubscribe, ""); err != nil {
		t.Fatal(err)
	}
	go c.read(c.shell, c.replies["shell"])
	go c.read(c.control, c.replies["control"])
	go c.read(c.iopub, c.pub)
	t.Cleanup(c.close)
	// Wait until the SUB is connected: kernel_info until status arrives.
	deadline := time.Now().Add(10 * time.Second)
	for {
		id := c.send("shell", MsgKernelInfoRequest, map[string]any{})
		c.reply("shell", id)
		select {
		case m := <-c.pub:
			if m.Header.MsgType == MsgStatus {
				time.Sleep(20 * time.Millisecond)
				c.drain()
				return c
			}
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatal("iopub never delivered a status message")
		}
	}
}

func (c *client) close() {
	c.cancel()
	c.shell.Close()
	c.control.Close()
	c.iopub.Close()
}

func (c *client) read(s zmq4.Socket, dst chan *Message) {
	for {
		msg, err := s.Recv()
		if err != nil {
			return
		}
		// On iopub the topic comes where identities would.
		m, err := c.sign.decode(msg.Frames)
		if err != nil {
			c.t.Errorf("client: kernel sent a bad message: %v", err)
			continue
		}
		select {
		case dst <- m:
		case <-c.ctx.Done():
			return
		}
	}
}

// send sends a request on "shell" or "control" and returns its msg_id.
func (c *client) send(channel, msgType string, content any) string {
	c.t.Helper()
	version := c.version
	if version == "" {
		version = ProtocolVersion
	}
	h := Header{MsgID: newID(), Session: c.session, Username: "test", Date: timestamp(time.Now()), MsgType: msgType, Version: version}
	frames, err := c.sign.encode(nil, h, nil, nil, content)
	if err != nil {
		c.t.Fatal(err)
	}
	s := c.shell
	if channel == "control" {
		s = c.control
	}
	if err := s.Send(zmq4.NewMsgFrom(frames...)); err != nil {
		c.t.Fatal(err)
	}
	return h.MsgID
}

// sendRaw sends frames as they are on shell.
func (c *client) sendRaw(frames ...[]byte) {
	c.t.Helper()
	if err := c.shell.Send(zmq4.NewMsgFrom(frames...)); err != nil {
		c.t.Fatal(err)
	}
}

// reply waits for the reply to msgID on channel.
func (c *client) reply(channel, msgID string) *Message {
	c.t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case m := <-c.replies[channel]:
			if parentID(m) == msgID {
				return m
			}
		case <-timeout:
			c.t.Fatalf("no reply to %s on %s", msgID, channel)
			return nil
		}
	}
}

// outputs returns the iopub messages whose parent is msgID, from busy to
// idle inclusive.
func (c *client) outputs(msgID string) []*Message {
	c.t.Helper()
	var got []*Message
	timeout := time.After(20 * time.Second)
	for {
		select {
		case m := <-c.pub:
			if parentID(m) != msgID {
				continue
			}
			got = append(got, m)
			if m.Header.MsgType == MsgStatus && state(m) == "idle" {
				return got
			}
		case <-timeout:
			c.t.Fatalf("no idle for %s; got %s", msgID, types(got))
			return nil
		}
	}
}

func (c *client) drain() {
	for {
		select {
		case <-c.pub:
		default:
			return
		}
	}
}

func parentID(m *Message) string {
	var h Header
	_ = json.Unmarshal(m.ParentHeader, &h)
	return h.MsgID
}

func state(m *Message) string {
	var s StatusContent
	_ = json.Unmarshal(m.Content, &s)
	return s.ExecutionState
}

func types(ms []*Message) string {
	var ts []string
	for _, m := range ms {
		t := m.Header.MsgType
		if t == MsgStatus {
			t += ":" + state(m)
		}
		ts = append(ts, t)
	}
	return strings.Join(ts, " ")
}

func content[T any](t testing.TB, m *Message) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(m.Content, &v); err != nil {
		t.Fatalf("%s content: %v", m.Header.MsgType, err)
	}
	return v
}

func writeFile(path, s string) error { return os.WriteFile(path, []byte(s), 0o600) }

// newZmqReq returns a function that sends a message on a REQ socket
// connected to endpoint and returns the answer.
func newZmqReq(t *testing.T, endpoint string) func(string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	s := zmq4.NewReq(ctx)
	t.Cleanup(func() { cancel(); s.Close() })
	if err := s.Dial(endpoint); err != nil {
		t.Fatal(err)
	}
	return func(msg string) string {
		t.Helper()
		if err := s.Send(zmq4.NewMsgString(msg)); err != nil {
			t.Fatal(err)
		}
		m, err := s.Recv()
		if err != nil {
			t.Fatal(err)
		}
		return string(m.Frames[0])
	}
}

// testError is the error kind of the test language's failing cell.
type testError struct{}

func (testError) String() string { return "TestError" }
