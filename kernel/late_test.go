package kernel

import (
	"context"
	"testing"
	"time"

	"github.com/go-zeromq/zmq4"
)

// connectLate connects shell and control only: the client's iopub
// subscription comes later, with subscribe, as after a kernel restart
// when the client's sockets reconnect each on its own.
func (h *harness) connectLate() *client {
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
	}{{c.shell, h.ci.ShellPort}, {c.control, h.ci.ControlPort}} {
		if err := d.s.Dial(h.ci.endpoint(d.port)); err != nil {
			t.Fatal(err)
		}
	}
	go c.read(c.shell, c.replies["shell"])
	go c.read(c.control, c.replies["control"])
	t.Cleanup(c.close)
	return c
}

// subscribe connects the client's iopub and subscribes to everything.
func (c *client) subscribe(h *harness) {
	c.t.Helper()
	if err := c.iopub.Dial(h.ci.endpoint(h.ci.IOPubPort)); err != nil {
		c.t.Fatal(err)
	}
	if err := c.iopub.SetOption(zmq4.OptionSubscribe, ""); err != nil {
		c.t.Fatal(err)
	}
	go c.read(c.iopub, c.pub)
}

// TestLateSubscriberGetsOutputs is the first cell after a restart: the
// kernel answers the cell before the client's iopub subscription is in.
// The subscriber must still get every output of it, in order, once.
func TestLateSubscriberGetsOutputs(t *testing.T) {
	h := startKernel(t, "late")
	c := h.connectLate()
	ok := c.send("shell", MsgExecuteRequest, map[string]any{"code": "print before\nresult r"})
	if rep := content[ExecuteReplyContent](t, c.reply("shell", ok)); rep.Status != "ok" {
		t.Fatalf("reply: %+v", rep)
	}
	bad := c.send("shell", MsgExecuteRequest, map[string]any{"code": "fail", "stop_on_error": false})
	if rep := content[ExecuteReplyContent](t, c.reply("shell", bad)); rep.Status != "error" {
		t.Fatalf("reply: %+v", rep)
	}
	c.subscribe(h)
	if got, want := types(c.outputs(ok)), "status:busy execute_input stream execute_result status:idle"; got != want {
		t.Errorf("first cell, iopub:\n got %s\nwant %s", got, want)
	}
	if got, want := types(c.outputs(bad)), "status:busy execute_input error status:idle"; got != want {
		t.Errorf("failed cell, iopub:\n got %s\nwant %s", got, want)
	}
	// Live messages follow the replay, each once.
	live := c.send("shell", MsgExecuteRequest, map[string]any{"code": "print after"})
	c.reply("shell", live)
	if got, want := types(c.outputs(live)), "status:busy execute_input stream status:idle"; got != want {
		t.Errorf("live cell, iopub:\n got %s\nwant %s", got, want)
	}
	time.Sleep(50 * time.Millisecond)
	for len(c.pub) > 0 {
		if m := <-c.pub; parentID(m) == ok || parentID(m) == bad || parentID(m) == live {
			t.Errorf("delivered twice: %s of %s", m.Header.MsgType, parentID(m))
		}
	}
}

// TestEarlySubscriberGetsNoReplay: a subscriber connected from the start
// gets every message once, the replay adds nothing.
func TestEarlySubscriberGetsNoReplay(t *testing.T) {
	h := startKernel(t, "early")
	c := h.connect()
	id := c.send("shell", MsgExecuteRequest, map[string]any{"code": "print x"})
	c.reply("shell", id)
	if got, want := types(c.outputs(id)), "status:busy execute_input stream status:idle"; got != want {
		t.Errorf("iopub:\n got %s\nwant %s", got, want)
	}
	late := h.connectLate()
	late.subscribe(h)
	// The newcomer sees the earlier cell (within the replay window); the
	// first client sees nothing twice.
	if got, want := types(late.outputs(id)), "status:busy execute_input stream status:idle"; got != want {
		t.Errorf("newcomer:\n got %s\nwant %s", got, want)
	}
	time.Sleep(50 * time.Millisecond)
	for len(c.pub) > 0 {
		if m := <-c.pub; parentID(m) == id {
			t.Errorf("delivered twice: %s", m.Header.MsgType)
		}
	}
}
