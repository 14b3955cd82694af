package kernel

import (
	"testing"
	"time"
)

// BenchmarkExecuteRoundTrip measures an execute_request of an empty cell,
// from sending it to receiving idle, over ipc with zmq4 client sockets.
func BenchmarkExecuteRoundTrip(b *testing.B) {
	c := startKernel(b, "key").connect()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		id := c.send("shell", MsgExecuteRequest, map[string]any{"code": ""})
		c.reply("shell", id)
		c.outputs(id)
	}
}

// BenchmarkEncodeDecode measures signing and encoding a message, then
// verifying and decoding it.
func BenchmarkEncodeDecode(b *testing.B) {
	s := signer{key: []byte("0123456789abcdef0123456789abcdef")}
	h := Header{MsgID: newID(), Session: newID(), Username: "u", Date: timestamp(time.Now()), MsgType: MsgExecuteRequest, Version: ProtocolVersion}
	content := ExecuteRequestContent{Code: "grad(x'*A*x, x)"}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		frames, err := s.encode([][]byte{[]byte("id")}, h, nil, nil, content)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := s.decode(frames); err != nil {
			b.Fatal(err)
		}
	}
}
