package session

import (
	"os/exec"
	"strings"
	"testing"
)

// TestNoWireProtocol keeps the layers apart: the session (and with it the
// terminal REPL and the WebAssembly build) is written against kernel/lang
// and must build without the Jupyter wire protocol and its ZeroMQ
// transport.
func TestNoWireProtocol(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".", "../kernel/lang").CombinedOutput()
	if err != nil {
		t.Skipf("go list: %v: %s", err, out)
	}
	for _, dep := range strings.Fields(string(out)) {
		if strings.Contains(dep, "zmq4") || dep == "github.com/matcalc/matcalc/kernel" {
			t.Errorf("session depends on %s", dep)
		}
	}
}
