package kernel

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/go-zeromq/zmq4"
)

// This file implements the three kinds of ZeroMQ socket the kernel binds
// (ROUTER, PUB and the heartbeat's REP) on top of zmq4's ZMTP connection,
// zmq4.Conn, with a listener, queues and goroutines of our own.
//
// zmq4's own PUB socket sends to every subscriber from one goroutine,
// holding a lock while it writes: a subscriber that stops reading (a
// notebook tab closed without a FIN, a stalled client) blocks delivery to
// all the others, and its unbounded queue grows without limit
// (go-zeromq/zmq4 issue 151). Here each subscriber has a bounded queue and
// a writer goroutine of its own with a write deadline: a slow subscriber
// loses messages or is dropped, and never delays the others.

const (
	handshakeTimeout = 5 * time.Second
	writeTimeout     = 10 * time.Second
	// maxFrame and maxMessage bound what a peer may send; a peer that
	// announces more is disconnected before anything is allocated.
	maxFrame   = 64 << 20
	maxMessage = 64 << 20
	maxFrames  = 4096 // frames in one message
	// subQueue is how many messages, and subBytes how many bytes, may
	// wait for one subscriber.
	subQueue = 4096
	subBytes = 32 << 20
)

var errTooLarge = errors.New("zmtp: frame or message too large")

// nullSecurity is ZMTP's NULL mechanism (zmq4's own is not exported).
type nullSecurity struct{}

func (nullSecurity) Type() zmq4.SecurityType { return zmq4.NullSecurity }

func (nullSecurity) Handshake(conn *zmq4.Conn, server bool) error {
	raw, err := conn.Meta.MarshalZMTP()
	if err != nil {
		return fmt.Errorf("zmtp: marshal metadata: %w", err)
	}
	if err := conn.SendCmd(zmq4.CmdReady, raw); err != nil {
		return fmt.Errorf("zmtp: send READY: %w", err)
	}
	cmd, err := conn.RecvCmd()
	if err != nil {
		return fmt.Errorf("zmtp: receive READY: %w", err)
	}
	if cmd.Name != zmq4.CmdReady {
		return fmt.Errorf("zmtp: got command %q, want READY", cmd.Name)
	}
	if err := conn.Peer.Meta.UnmarshalZMTP(cmd.Body); err != nil {
		return fmt.Errorf("zmtp: peer metadata: %w", err)
	}
	return nil
}

func (nullSecurity) Encrypt(w io.Writer, data []byte) (int, error) { return w.Write(data) }
func (nullSecurity) Decrypt(w io.Writer, data []byte) (int, error) { return w.Write(data) }

// wireConn wraps a net.Conn under a zmq4.Conn. After the handshake it
// buffers writes (flushed once per message) and checks the size of every
// incoming frame as its header goes by, so that zmq4 never allocates
// what a hostile peer announces.
type wireConn struct {
	net.Conn
	bw      *bufio.Writer
	framed  bool // handshake done: parse frames, buffer writes
	state   int  // 0: flag byte; 1: short size; 2..9: long size bytes; 10: body
	flag    byte
	sizeBuf [8]byte
	remain  uint64
	total   uint64
	frames  int
}

func (c *wireConn) Write(p []byte) (int, error) {
	if c.framed {
		return c.bw.Write(p)
	}
	return c.Conn.Write(p)
}

func (c *wireConn) flush() error { return c.bw.Flush() }

func (c *wireConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if c.framed && n > 0 {
		if perr := c.scan(p[:n]); perr != nil {
			return 0, perr
		}
	}
	return n, err
}

// scan follows the ZMTP framing of bytes read.
func (c *wireConn) scan(p []byte) error {
	for len(p) > 0 {
		switch {
		case c.state == 0:
			c.flag = p[0]
			p = p[1:]
			if c.flag&0x02 != 0 { // long
				c.state = 2
			} else {
				c.state = 1
			}
		case c.state == 1:
			c.remain = uint64(p[0])
			p = p[1:]
			if err := c.startBody(); err != nil {
				return err
			}
		case c.state >= 2 && c.state <= 9:
			c.sizeBuf[c.state-2] = p[0]
			p = p[1:]
			c.state++
			if c.state == 10 {
				c.remain = binary.BigEndian.Uint64(c.sizeBuf[:])
				if err := c.startBody(); err != nil {
					return err
				}
			}
		default: // body
			k := uint64(len(p))
			if k > c.remain {
				k = c.remain
			}
			c.remain -= k
			p = p[k:]
			if c.remain == 0 {
				c.endFrame()
			}
		}
	}
	return nil
}

func (c *wireConn) startBody() error {
	if c.remain > maxFrame {
		return fmt.Errorf("%w: frame of %d bytes", errTooLarge, c.remain)
	}
	c.total += c.remain
	c.frames++
	if c.frames > maxFrames {
		return fmt.Errorf("%w: message of more than %d frames", errTooLarge, maxFrames)
	}
	if c.total > maxMessage {
		return fmt.Errorf("%w: message of more than %d bytes", errTooLarge, c.total)
	}
	c.state = 10
	if c.remain == 0 {
		c.endFrame()
	}
	return nil
}

func (c *wireConn) endFrame() {
	c.state = 0
	if c.flag&0x01 == 0 || c.flag&0x04 != 0 { // last frame, or a command
		c.total = 0
		c.frames = 0
	}
}

// peer is one accepted ZMTP connection.
type peer struct {
	id  []byte
	zc  *zmq4.Conn
	wc  *wireConn
	wmu sync.Mutex
}

// send writes one message, all frames, with a deadline.
func (p *peer) send(frames [][]byte) error {
	p.wmu.Lock()
	defer p.wmu.Unlock()
	_ = p.wc.SetWriteDeadline(time.Now().Add(writeTimeout))
	if err := p.zc.SendMsg(zmq4.NewMsgFrom(frames...)); err != nil {
		return err
	}
	return p.wc.flush()
}

func (p *peer) close() { _ = p.wc.Conn.Close() }

// recv reads one message.
func (p *peer) recv() ([][]byte, error) {
	msg, err := p.zc.RecvMsg()
	if err != nil {
		return nil, err
	}
	if msg.Type == zmq4.CmdMsg {
		return nil, nil // PING and other commands carry no message
	}
	return msg.Frames, nil
}

// listener accepts ZMTP connections on one endpoint.
type listener struct {
	name   string
	typ    zmq4.SocketType
	ln     net.Listener
	path   string // ipc socket file to remove on close
	logger *log.Logger
	wg     sync.WaitGroup
	mu     sync.Mutex
	peers  map[*peer]struct{}
	closed bool
	serve  func(*peer)
}

func listen(name string, typ zmq4.SocketType, network, addr string, logger *log.Logger, serve func(*peer)) (*listener, error) {
	if network == "unix" {
		_ = os.Remove(addr)
	}
	ln, err := net.Listen(network, addr)
	if err != nil {
		return nil, fmt.Errorf("kernel: %s: listen on %s %s: %w", name, network, addr, err)
	}
	l := &listener{name: name, typ: typ, ln: ln, logger: logger, peers: map[*peer]struct{}{}, serve: serve}
	if network == "unix" {
		l.path = addr
	}
	l.wg.Add(1)
	go l.accept()
	return l, nil
}

func (l *listener) accept() {
	defer l.wg.Done()
	for {
		nc, err := l.ln.Accept()
		if err != nil {
			l.mu.Lock()
			closed := l.closed
			l.mu.Unlock()
			if closed {
				return
			}
			l.logger.Printf("%s: accept: %v", l.name, err)
			time.Sleep(50 * time.Millisecond)
			continue
		}
		l.wg.Add(1)
		go l.handle(nc)
	}
}

func (l *listener) handle(nc net.Conn) {
	defer l.wg.Done()
	wc := &wireConn{Conn: nc, bw: bufio.NewWriterSize(nc, 32<<10)}
	_ = nc.SetDeadline(time.Now().Add(handshakeTimeout))
	zc, err := zmq4.Open(wc, nullSecurity{}, l.typ, zmq4.SocketIdentity("kernel-"+l.name), true, nil)
	if err != nil {
		if !errors.Is(err, io.EOF) && !errors.Is(err, syscall.EPIPE) && !errors.Is(err, syscall.ECONNRESET) {
			l.logger.Printf("%s: handshake with %s failed: %v", l.name, nc.RemoteAddr(), err)
		}
		_ = nc.Close()
		return
	}
	_ = nc.SetDeadline(time.Time{})
	wc.framed = true
	p := &peer{zc: zc, wc: wc}
	if id := zc.Peer.Meta["Identity"]; id != "" {
		p.id = []byte(id)
	}
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		_ = nc.Close()
		return
	}
	l.peers[p] = struct{}{}
	l.mu.Unlock()
	defer func() {
		l.mu.Lock()
		delete(l.peers, p)
		l.mu.Unlock()
		p.close()
	}()
	l.serve(p)
}

// close stops accepting, closes every connection and waits for their
// goroutines.
func (l *listener) close() {
	l.mu.Lock()
	l.closed = true
	for p := range l.peers {
		p.close()
	}
	l.mu.Unlock()
	_ = l.ln.Close()
	l.wg.Wait()
	if l.path != "" {
		_ = os.Remove(l.path)
	}
}

// inbound is a message received on a ROUTER: frames[0] is the identity
// of the peer it came from.
type inbound struct {
	frames [][]byte
	at     time.Time // when it arrived
}

// router is a ROUTER socket: incoming messages are prefixed with the
// sender's identity; outgoing messages are routed by their first frame.
type router struct {
	*listener
	in     chan inbound
	done   chan struct{}
	idmu   sync.Mutex
	byID   map[string]*peer
	nextID uint32
}

func newRouter(name, network, addr string, logger *log.Logger) (*router, error) {
	r := &router{in: make(chan inbound, 64), done: make(chan struct{}), byID: map[string]*peer{}}
	l, err := listen(name, zmq4.Router, network, addr, logger, r.serve)
	if err != nil {
		return nil, err
	}
	r.listener = l
	return r, nil
}

func (r *router) serve(p *peer) {
	r.idmu.Lock()
	if p.id == nil {
		r.nextID++
		p.id = binary.BigEndian.AppendUint32([]byte{0}, r.nextID)
	}
	r.byID[string(p.id)] = p
	r.idmu.Unlock()
	defer func() {
		r.idmu.Lock()
		if r.byID[string(p.id)] == p {
			delete(r.byID, string(p.id))
		}
		r.idmu.Unlock()
	}()
	for {
		frames, err := p.recv()
		if err != nil {
			if errors.Is(err, errTooLarge) {
				r.logger.Printf("%s: dropping connection: %v", r.name, err)
			}
			return
		}
		if frames == nil {
			continue
		}
		select {
		case r.in <- inbound{frames: append([][]byte{p.id}, frames...), at: time.Now()}:
		case <-r.done:
			return
		}
	}
}

// send routes frames[1:] to the peer whose identity is frames[0].
func (r *router) send(frames [][]byte) error {
	if len(frames) < 2 {
		return errors.New("router: message without identity")
	}
	r.idmu.Lock()
	p := r.byID[string(frames[0])]
	r.idmu.Unlock()
	if p == nil {
		return fmt.Errorf("router %s: no peer %q (gone)", r.name, frames[0])
	}
	if err := p.send(frames[1:]); err != nil {
		p.close()
		return fmt.Errorf("router %s: %w", r.name, err)
	}
	return nil
}

func (r *router) close() {
	close(r.done)
	r.listener.close()
}

// subscriber is one connection to the PUB socket.
type subscriber struct {
	p      *peer
	q      chan [][]byte
	mu     sync.Mutex
	topics [][]byte
	joined bool // its first subscription has arrived (pb.smu)
	drops  int
	queued atomic.Int64 // bytes waiting in q
}

func (s *subscriber) wants(topic []byte) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, t := range s.topics {
		if len(t) <= len(topic) && string(topic[:len(t)]) == string(t) {
			return true
		}
	}
	return false
}

// publisher is a PUB socket with a bounded queue per subscriber.
//
// A subscriber that joins late misses what was published before its
// subscription arrived (ZeroMQ's "slow joiner"). That matters after a
// restart: the client's shell connection and its iopub subscription come
// back independently, and a client that sent a cell while the kernel was
// down gets its execute_reply from the new kernel before its subscription
// is in, so the cell's outputs and its idle status were lost. JEP 65's
// iopub_welcome cannot be sent with zmq4 (its XPUB swallows subscriptions),
// so during its first replayWindow a publisher keeps what it publishes in
// reply to requests (a backlog, bounded by backlogMessages and
// backlogBytes) and replays it, in order, to every subscriber when its
// first subscription arrives, before any live message. A subscriber thus
// gets each message once, whether it was connected before or after it was
// published. After the window the backlog is dropped and late joiners
// miss what came before, as with any PUB socket.
type publisher struct {
	*listener
	smu  sync.Mutex
	subs map[*subscriber]struct{}

	born         time.Time
	backlog      [][][]byte // nil once the window has passed
	backlogBytes int64
	backlogOpen  bool // still recording
}

// Bounds of the backlog replayed to late subscribers.
const (
	replayWindow    = 10 * time.Second
	backlogMessages = 4096
	backlogBytes    = 16 << 20
)

func newPublisher(network, addr string, logger *log.Logger) (*publisher, error) {
	pb := &publisher{subs: map[*subscriber]struct{}{}, born: time.Now(), backlogOpen: true}
	l, err := listen("iopub", zmq4.Pub, network, addr, logger, pb.serve)
	if err != nil {
		return nil, err
	}
	pb.listener = l
	return pb, nil
}

func (pb *publisher) serve(p *peer) {
	s := &subscriber{p: p, q: make(chan [][]byte, subQueue)}
	pb.smu.Lock()
	pb.subs[s] = struct{}{}
	pb.smu.Unlock()
	writerDone := make(chan struct{})
	go func() {
		defer close(writerDone)
		for frames := range s.q {
			err := p.send(frames)
			s.queued.Add(-msgSize(frames))
			if err != nil {
				if errors.Is(err, os.ErrDeadlineExceeded) {
					pb.logger.Printf("iopub: subscriber %s stopped reading: dropped", p.wc.RemoteAddr())
				}
				p.close()
				for frames := range s.q { // drain until the reader side closes q
					s.queued.Add(-msgSize(frames))
				}
				return
			}
		}
	}()
	defer func() {
		pb.smu.Lock()
		delete(pb.subs, s)
		close(s.q)
		pb.smu.Unlock()
		<-writerDone
	}()
	for {
		frames, err := p.recv()
		if err != nil {
			return
		}
		if len(frames) == 0 || len(frames[0]) == 0 {
			continue
		}
		f := frames[0]
		if f[0] == 1 && !s.joined {
			pb.join(s, f[1:])
			continue
		}
		s.mu.Lock()
		switch f[0] {
		case 1:
			s.topics = append(s.topics, append([]byte(nil), f[1:]...))
		case 0:
			for i, t := range s.topics {
				if string(t) == string(f[1:]) {
					s.topics = append(s.topics[:i], s.topics[i+1:]...)
					break
				}
			}
		}
		s.mu.Unlock()
	}
}

// join takes a subscriber's first subscription: under the same lock as
// publish, it replays the backlog matching topic and then subscribes, so
// that no message is missed or delivered twice.
func (pb *publisher) join(s *subscriber, topic []byte) {
	pb.smu.Lock()
	defer pb.smu.Unlock()
	pb.expireBacklog()
	t := append([]byte(nil), topic...)
	for _, frames := range pb.backlog {
		if len(t) <= len(frames[0]) && string(frames[0][:len(t)]) == string(t) {
			pb.enqueue(s, frames)
		}
	}
	s.mu.Lock()
	s.joined = true
	s.topics = append(s.topics, t)
	s.mu.Unlock()
}

// expireBacklog drops the backlog once the replay window has passed.
func (pb *publisher) expireBacklog() {
	if pb.backlogOpen && time.Since(pb.born) > replayWindow {
		pb.backlogOpen = false
		pb.backlog = nil
		pb.backlogBytes = 0
	}
}

// publish queues a message for every subscriber of its topic (frames[0])
// and never blocks: a subscriber whose queue is full misses it. When keep
// is true and the replay window is open, the message is also kept for
// subscribers that have not joined yet.
func (pb *publisher) publish(frames [][]byte, keep bool) {
	size := msgSize(frames)
	pb.smu.Lock()
	defer pb.smu.Unlock()
	pb.expireBacklog()
	if keep && pb.backlogOpen {
		if len(pb.backlog) < backlogMessages && pb.backlogBytes+size <= backlogBytes {
			pb.backlog = append(pb.backlog, frames)
			pb.backlogBytes += size
		} else {
			pb.logger.Printf("iopub: replay backlog full after %d messages: late subscribers may miss output", len(pb.backlog))
			pb.backlogOpen = false
			pb.backlog = nil
			pb.backlogBytes = 0
		}
	}
	for s := range pb.subs {
		if s.wants(frames[0]) {
			pb.enqueue(s, frames)
		}
	}
}

// enqueue queues frames for s unless its queue is full (pb.smu held).
func (pb *publisher) enqueue(s *subscriber, frames [][]byte) {
	size := msgSize(frames)
	if s.queued.Load()+size > subBytes {
		s.drops++
		return
	}
	select {
	case s.q <- frames:
		s.queued.Add(size)
	default:
		if s.drops == 0 {
			pb.logger.Printf("iopub: subscriber %s is not reading: dropping messages", s.p.wc.RemoteAddr())
		}
		s.drops++
	}
}

func msgSize(frames [][]byte) int64 {
	var n int64
	for _, f := range frames {
		n += int64(len(f))
	}
	return n
}

// subscribers returns how many subscribers are connected.
func (pb *publisher) subscribers() int {
	pb.smu.Lock()
	defer pb.smu.Unlock()
	return len(pb.subs)
}

// heartbeat echoes every message back to its sender.
func newHeartbeat(network, addr string, logger *log.Logger) (*listener, error) {
	return listen("hb", zmq4.Rep, network, addr, logger, func(p *peer) {
		for {
			frames, err := p.recv()
			if err != nil {
				return
			}
			if frames == nil {
				continue
			}
			if err := p.send(frames); err != nil {
				return
			}
		}
	})
}
