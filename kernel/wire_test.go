package kernel

import (
	"bytes"
	"testing"
)

// FuzzDecode feeds arbitrary frames (the input split at NUL bytes) to the
// message decoder: it may refuse them, never panic.
func FuzzDecode(f *testing.F) {
	s := signer{key: []byte("key")}
	h := Header{MsgID: "1", Session: "s", MsgType: MsgExecuteRequest, Version: ProtocolVersion}
	good, _ := s.encode([][]byte{[]byte("id")}, h, nil, nil, map[string]any{"code": "x"})
	f.Add(bytes.Join(good, []byte{0}), true)
	f.Add([]byte("<IDS|MSG>\x00sig\x00{}\x00{}\x00{}\x00{}"), false)
	f.Add([]byte("<IDS|MSG>\x00\x00{\"msg_type\":\"x\"}\x00null\x00[]\x00{}"), false)
	f.Fuzz(func(t *testing.T, data []byte, signed bool) {
		frames := bytes.Split(data, []byte{0})
		sg := signer{}
		if signed {
			sg = s
		}
		m, err := sg.decode(frames)
		if err == nil && (m.Header.MsgType == "" || len(m.Content) == 0) {
			t.Errorf("decoded a message without type or content: %+v", m)
		}
	})
}

// FuzzWireScan feeds arbitrary bytes to the ZMTP frame scanner that
// guards zmq4's reads.
func FuzzWireScan(f *testing.F) {
	f.Add([]byte{0x00, 0x03, 'a', 'b', 'c'})
	f.Add([]byte{0x02, 0, 0, 1, 0, 0, 0, 0, 0})
	f.Add([]byte{0x01, 0x01, 'a', 0x00, 0x00})
	f.Fuzz(func(t *testing.T, data []byte) {
		var c wireConn
		c.framed = true
		for len(data) > 0 {
			n := 1 + int(data[0])%7
			if n > len(data) {
				n = len(data)
			}
			if err := c.scan(data[:n]); err != nil {
				return
			}
			data = data[n:]
		}
		if c.total > maxMessage {
			t.Errorf("accepted a message of %d bytes", c.total)
		}
	})
}
