package kernel

import (
	"encoding/json"
	"sync"
	"time"
	"unicode/utf8"
)

const (
	// streamDelay is how long stream text may wait to be batched.
	streamDelay = 50 * time.Millisecond
	// streamMax is how much stream text is sent at once at most.
	streamMax = 64 << 10
)

// cellSink is the Sink of one execute_request: it publishes on iopub with
// the request as parent, batching stream text.
type cellSink struct {
	k      *Kernel
	parent *Message
	silent bool

	mu      sync.Mutex
	n       int // execution count given to Input
	name    string
	buf     []byte
	timer   *time.Timer
	closed  bool
	inputed bool
}

func newCellSink(k *Kernel, parent *Message, silent bool) *cellSink {
	return &cellSink{k: k, parent: parent, silent: silent}
}

func (s *cellSink) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.n
}

// Input implements Sink.
func (s *cellSink) Input(executionCount int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.n = executionCount
	if s.silent || s.inputed || s.closed {
		return
	}
	s.inputed = true
	var code struct {
		Code string `json:"code"`
	}
	_ = json.Unmarshal(s.parent.Content, &code)
	s.k.publish(MsgExecuteInput, s.parent, ExecuteInputContent{Code: code.Code, ExecutionCount: executionCount})
}

// Stream implements Sink.
func (s *cellSink) Stream(name, text string) {
	if text == "" {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return
	}
	if name != s.name && len(s.buf) > 0 {
		s.flushLocked(true)
	}
	s.name = name
	s.buf = append(s.buf, text...)
	for len(s.buf) >= streamMax {
		if !s.flushLocked(false) {
			break
		}
	}
	if len(s.buf) > 0 && s.timer == nil {
		s.timer = time.AfterFunc(streamDelay, s.tick)
	}
}

func (s *cellSink) tick() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.timer = nil
	if !s.closed {
		s.flushLocked(false)
	}
}

// flushLocked publishes the buffered stream text, at most streamMax bytes
// of it, ending on a character boundary unless all is true. It reports
// whether anything was sent.
func (s *cellSink) flushLocked(all bool) bool {
	if len(s.buf) == 0 {
		return false
	}
	cut := len(s.buf)
	if cut > streamMax {
		cut = streamMax
	}
	if !all || cut < len(s.buf) {
		cut = runeBoundary(s.buf, cut)
	}
	if cut == 0 {
		return false
	}
	text := string(s.buf[:cut])
	s.buf = append(s.buf[:0], s.buf[cut:]...)
	s.k.publish(MsgStream, s.parent, StreamContent{Name: s.name, Text: text})
	return true
}

// runeBoundary returns the largest n' ≤ n such that b[:n'] does not end
// inside a UTF-8 encoding that may still be completed.
func runeBoundary(b []byte, n int) int {
	// Look back at most UTFMax-1 bytes for the start of a sequence.
	for i := n - 1; i >= 0 && i >= n-utf8.UTFMax; i-- {
		c := b[i]
		if c < 0x80 {
			return n // ASCII: the end is a boundary
		}
		if utf8.RuneStart(c) {
			need := 2
			switch {
			case c >= 0xF0:
				need = 4
			case c >= 0xE0:
				need = 3
			}
			if n-i < need {
				return i // incomplete sequence: cut before it
			}
			return n
		}
	}
	return n
}

func (s *cellSink) flushAll() {
	for s.flushLocked(true) {
	}
}

// Display implements Sink.
func (s *cellSink) Display(b Bundle) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return
	}
	s.flushAll()
	s.k.publish(MsgDisplayData, s.parent, DisplayDataContent{Data: nonNil(b.Data), Metadata: nonNil(b.Metadata)})
}

// Result implements Sink.
func (s *cellSink) Result(executionCount int, b Bundle) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed || s.silent {
		return
	}
	s.flushAll()
	s.k.publish(MsgExecuteResult, s.parent, ExecuteResultContent{ExecutionCount: executionCount, Data: nonNil(b.Data), Metadata: nonNil(b.Metadata)})
}

// Clear implements Sink.
func (s *cellSink) Clear(wait bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return
	}
	s.flushAll()
	s.k.publish(MsgClearOutput, s.parent, ClearOutputContent{Wait: wait})
}

// close flushes what is left; later calls are ignored (a goroutine a cell
// left behind cannot publish under the next request).
func (s *cellSink) close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.timer != nil {
		s.timer.Stop()
		s.timer = nil
	}
	s.flushAll()
	s.closed = true
}

func nonNil(m map[string]any) map[string]any {
	if m == nil {
		return map[string]any{}
	}
	return m
}
