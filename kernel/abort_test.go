package kernel

import (
	"testing"
	"time"

	"github.com/go-zeromq/zmq4"
)

// sendDated sends an execute_request on shell with the given header date
// and session ("" is the client's own).
func (c *client) sendDated(code, date, session string) string {
	c.t.Helper()
	if session == "" {
		session = c.session
	}
	h := Header{MsgID: newID(), Session: session, Username: "test", Date: date, MsgType: MsgExecuteRequest, Version: ProtocolVersion}
	frames, err := c.sign.encode(nil, h, nil, nil, map[string]any{"code": code})
	if err != nil {
		c.t.Fatal(err)
	}
	if err := c.shell.Send(zmq4.NewMsgFrom(frames...)); err != nil {
		c.t.Fatal(err)
	}
	return h.MsgID
}

func msDate(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// TestStopOnErrorAbortsBurstSentBeforeReply: "Run All" through a busy
// server, or a kernel faster than its client. The client dated three
// cells at once, but the second and third reach the kernel only after it
// has answered the first, failed, cell. They must be aborted; what the
// client sends once it has the reply must run.
func TestStopOnErrorAbortsBurstSentBeforeReply(t *testing.T) {
	for _, tc := range []struct {
		name   string
		format func(time.Time) string
		after  []time.Duration // dates of the burst, after the failed cell's
		lag    time.Duration   // the failed cell's date before it is sent
	}{
		// Python sends at once, µs apart.
		{"jupyter_client µs dates", timestamp, []time.Duration{20 * time.Microsecond, 40 * time.Microsecond, 60 * time.Microsecond}, 0},
		// A browser's clock ticks in ms: the next cell may be dated 1 ms on.
		{"browser ms dates", msDate, []time.Duration{time.Millisecond, time.Millisecond, 2 * time.Millisecond}, 0},
		// A slow client loop: each cell 40 ms after the one before.
		{"slow loop, chained", timestamp, []time.Duration{10 * time.Microsecond, 40 * time.Millisecond, 80 * time.Millisecond}, 0},
		// A browser whose clock is an hour behind the kernel's.
		{"skewed clock", func(t time.Time) string { return msDate(t.Add(-time.Hour)) }, []time.Duration{0, time.Millisecond, 2 * time.Millisecond}, 0},
		// The failed cell took 20 ms to arrive (a loaded server), the
		// others were sent 10 ms after it, before the reply by the
		// common clock (rule 3).
		{"slow path, same clock", timestamp, []time.Duration{10 * time.Millisecond, 11 * time.Millisecond, 12 * time.Millisecond}, 20 * time.Millisecond},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := startKernel(t, "k")
			c := h.connect()
			t0 := time.Now().Add(-tc.lag)
			first := c.sendDated("fail", tc.format(t0), "")
			if rep := content[ExecuteReplyContent](t, c.reply("shell", first)); rep.Status != "error" {
				t.Fatalf("first: %+v", rep)
			}
			var ids []string
			for _, after := range tc.after {
				ids = append(ids, c.sendDated("print queued", tc.format(t0.Add(after)), ""))
			}
			for i, id := range ids {
				if rep := content[ExecuteReplyContent](t, c.reply("shell", id)); rep.Status != "error" || rep.EName != "ExecutionAborted" {
					t.Errorf("cell %d of the burst: %+v", i+2, rep)
				}
			}
			if ran := h.sess.executed(); len(ran) != 1 {
				t.Errorf("executed %q, want only the failed cell", ran)
			}
			time.Sleep(time.Until(t0.Add(tc.after[len(tc.after)-1] + 2*burstGap)))
			id := c.send("shell", MsgExecuteRequest, map[string]any{"code": "print next"})
			if rep := content[ExecuteReplyContent](t, c.reply("shell", id)); rep.Status != "ok" {
				t.Errorf("a cell sent after the error reply: %+v", rep)
			}
		})
	}
}

// TestStopOnErrorOtherClient: another client's cell that arrives after the
// error reply runs, whatever its clock says, and does not end the first
// client's abort.
func TestStopOnErrorOtherClient(t *testing.T) {
	h := startKernel(t, "k")
	c := h.connect()
	t0 := time.Now()
	first := c.sendDated("fail", timestamp(t0), "")
	c.reply("shell", first)
	other := c.sendDated("print other", timestamp(t0.Add(-time.Hour)), "other-session")
	if rep := content[ExecuteReplyContent](t, c.reply("shell", other)); rep.Status != "ok" {
		t.Errorf("other client's cell: %+v", rep)
	}
	late := c.sendDated("print late", timestamp(t0), "")
	if rep := content[ExecuteReplyContent](t, c.reply("shell", late)); rep.Status != "error" {
		t.Errorf("the first client's burst after another's cell: %+v", rep)
	}
}

// TestStopOnErrorUndatedRequest: a request without a usable date is
// aborted only if it was queued before the reply.
func TestStopOnErrorUndatedRequest(t *testing.T) {
	h := startKernel(t, "k")
	c := h.connect()
	first := c.sendDated("fail", timestamp(time.Now()), "")
	c.reply("shell", first)
	id := c.sendDated("print undated", "", "")
	if rep := content[ExecuteReplyContent](t, c.reply("shell", id)); rep.Status != "ok" {
		t.Errorf("undated cell after the reply: %+v", rep)
	}
}

func TestParseDate(t *testing.T) {
	for _, tc := range []struct {
		in  string
		ok  bool
		res time.Duration
		at  time.Time
	}{
		{"2026-12-06T11:48:58.123456Z", true, time.Microsecond, time.Date(2026, 12, 6, 11, 48, 58, 123456000, time.UTC)},
		{"2026-12-06T11:48:58.123Z", true, time.Millisecond, time.Date(2026, 12, 6, 11, 48, 58, 123000000, time.UTC)},
		{"2026-12-06T12:48:58.123456+01:00", true, time.Microsecond, time.Date(2026, 12, 6, 11, 48, 58, 123456000, time.UTC)},
		{"2026-12-06T11:48:58.123456", true, time.Microsecond, time.Date(2026, 12, 6, 11, 48, 58, 123456000, time.UTC)},
		{"2026-12-06T11:48:58Z", true, maxDateSlack, time.Date(2026, 12, 6, 11, 48, 58, 0, time.UTC)},
		{"", false, 0, time.Time{}},
		{"yesterday", false, 0, time.Time{}},
	} {
		at, res, ok := parseDate(tc.in)
		if ok != tc.ok || res != tc.res || !at.Equal(tc.at) {
			t.Errorf("parseDate(%q) = %v, %v, %v; want %v, %v, %v", tc.in, at, res, ok, tc.at, tc.res, tc.ok)
		}
	}
}
