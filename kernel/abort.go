package kernel

import (
	"strings"
	"time"
)

// This file decides which execute requests stop_on_error aborts.
//
// When a cell fails and its request asked for stop_on_error, the cells the
// client had already sent must not run: "Run All" sends every cell at once
// and expects the ones after an error to be aborted. The old rule, abort
// what is queued in the kernel when the error reply goes out (ipykernel's,
// with its stop_on_error_timeout of 0), depends on speed: a kernel that
// answers the failing cell in a millisecond replies before the next cells
// have come through a busy Notebook server or proxy, and they run.
//
// The rule here asks instead whether the client sent a request before the
// error reply left the kernel, judging by the request's header date. The
// failed request F was dated dF by the client and arrived at tF on the
// kernel's clock; the kernel dated its error reply tR. A later execute
// request Q, dated dQ, from the same client session is aborted when
//
//  1. it arrived before tR (it was queued: the old rule, for any session);
//  2. dQ − dF ≤ (tR − tF) + the resolution of the client's dates (a
//     browser stamps milliseconds): Q left the client before F's reply
//     could have reached it, measured on each clock separately, which
//     holds whatever the skew between the client's clock and the kernel's
//     (a browser far from the hub);
//  3. the clocks agree (F's date is at most sameClock before its arrival,
//     and not after it: a client on the same machine, or on NTP) and
//     dQ ≤ tR: Q was sent before the reply, by the common clock; or
//  4. Q was sent within burstGap, on the client's clock, of a request
//     aborted before it: the rest of the same burst ("Run All" sends cell
//     after cell in one loop that cannot read the reply meanwhile).
//
// The first execute request of that session that meets none of these
// runs and ends the abort; so does the window's expiry, abortExpiry after
// the reply. A request without a parsable date is judged by rule 1 only.
// A client that sends a cell once it has read the error reply runs it,
// unless it sends it within burstGap of the last cell aborted (rule 4): no
// person reacts that fast, and "Run All" in JupyterLab may take longer
// than the failed cell to send its later cells. A client that is itself
// preempted between sending two cells for longer than the failed cell
// took and than burstGap sends the second after the reply and cannot be
// told from one that reacted to it: that cell runs (ipykernel, whose
// stop_on_error_timeout is 0, aborts only what is queued, rule 1).
type abortWindow struct {
	session  string
	sent     time.Time     // dF, on the client's clock (zero: no usable date)
	took     time.Duration // tR − tF, on the kernel's clock
	res      time.Duration // resolution of dF
	replied  time.Time     // tR
	synced   bool          // the client's clock agrees with the kernel's
	lastSent time.Time     // date of the last request aborted by date
}

const (
	// sameClock is how far behind the kernel's clock a client's may be
	// for rule 3 to trust its dates on the kernel's clock.
	sameClock = 100 * time.Millisecond
	// burstGap is the longest pause, on the client's clock, between two
	// requests of one burst (rule 3).
	burstGap = 50 * time.Millisecond
	// abortExpiry ends an abort window the client never came back to.
	abortExpiry = time.Minute
	// maxDateSlack bounds the resolution credited to a coarse date.
	maxDateSlack = 10 * time.Millisecond
)

// newAbortWindow starts aborting after the failed request h, which
// arrived at arrived, is answered at replied.
func newAbortWindow(h Header, arrived, replied time.Time) *abortWindow {
	w := &abortWindow{session: h.Session, took: replied.Sub(arrived), replied: replied}
	if w.took < 0 {
		w.took = 0
	}
	if d, res, ok := parseDate(h.Date); ok {
		w.sent, w.res = d, res
		lag := arrived.Sub(d)
		w.synced = lag >= 0 && lag <= sameClock
	}
	return w
}

// aborts reports whether the execute request h, which arrived at arrived,
// is to be aborted, and whether the window is over.
func (w *abortWindow) aborts(h Header, arrived time.Time) (abort, over bool) {
	if arrived.Sub(w.replied) > abortExpiry {
		return false, true
	}
	d, res, dated := parseDate(h.Date)
	same := h.Session == w.session && dated && !w.sent.IsZero()
	switch {
	case arrived.Before(w.replied):
		abort = true
	case same && d.Sub(w.sent) <= w.took+max(res, w.res):
		abort = true
	case same && w.synced && !d.After(w.replied.Add(max(res, w.res))):
		abort = true
	case same && !w.lastSent.IsZero() && d.Sub(w.lastSent) <= burstGap:
		abort = true
	}
	if abort && same && d.After(w.lastSent) {
		w.lastSent = d
	}
	// Another client's request neither ends this client's burst nor is
	// judged by its clock.
	return abort, !abort && h.Session == w.session
}

// parseDate reads a header date (ISO 8601, as jupyter_client, browsers
// and this kernel write them) and the resolution it was written with. A
// date without a zone is UTC, as old jupyter_client wrote it.
func parseDate(s string) (t time.Time, res time.Duration, ok bool) {
	if s == "" {
		return time.Time{}, 0, false
	}
	var err error
	if t, err = time.Parse(time.RFC3339Nano, s); err != nil {
		if t, err = time.Parse("2006-01-02T15:04:05.999999999", s); err != nil {
			return time.Time{}, 0, false
		}
	}
	digits := 0
	if i := strings.IndexByte(s, '.'); i >= 0 {
		for _, c := range s[i+1:] {
			if c < '0' || c > '9' {
				break
			}
			digits++
		}
	}
	res = time.Second
	for i := 0; i < digits && res > time.Nanosecond; i++ {
		res /= 10
	}
	return t, min(res, maxDateSlack), true
}
