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
		if c.total > maxMessage || c.frames > maxFrames {
			t.Errorf("accepted a message of %d bytes, %d frames", c.total, c.frames)
		}
	})
}

func TestWireScanLimits(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		ok   bool
	}{
		{"short frame", []byte{0x00, 0x03, 'a', 'b', 'c'}, true},
		{"empty frames", bytes.Repeat([]byte{0x01, 0x00}, 100), true},
		{"too many frames", bytes.Repeat([]byte{0x01, 0x00}, maxFrames+1), false},
		{"many messages of one frame", bytes.Repeat([]byte{0x00, 0x00}, 3*maxFrames), true},
		{"huge long frame", []byte{0x02, 0, 0, 1, 0, 0, 0, 0, 0}, false},
		{"64 MB long frame", []byte{0x02, 0, 0, 0, 0, 4, 0, 0, 0}, true},
		{"two 40 MB frames", []byte{0x03, 0, 0, 0, 0, 2, 0x80, 0, 0}, true},
		{"command resets", []byte{0x04, 0x00, 0x01, 0x00}, true},
	}
	for _, tc := range tests {
		c := wireConn{framed: true}
		err := c.scan(tc.data)
		if (err == nil) != tc.ok {
			t.Errorf("%s: err %v, want ok=%v", tc.name, err, tc.ok)
		}
	}
	// The second 40 MB frame of one message crosses maxMessage.
	c := wireConn{framed: true}
	c.scan([]byte{0x03, 0, 0, 0, 0, 2, 0x80, 0, 0})
	c.remain = 0
	c.endFrame()
	if err := c.scan([]byte{0x02, 0, 0, 0, 0, 2, 0x80, 0, 0}); err == nil {
		t.Error("an 80 MB message was accepted")
	}
}
