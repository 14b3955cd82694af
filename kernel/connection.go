package kernel

import (
	"encoding/json"
	"fmt"
	"net"
	"os"
	"strconv"
)

// ConnectionInfo is the content of a connection file written by a Jupyter
// client. Unknown keys (kernel_name, curve keys) are ignored.
type ConnectionInfo struct {
	Transport       string `json:"transport"`
	IP              string `json:"ip"`
	ShellPort       int    `json:"shell_port"`
	ControlPort     int    `json:"control_port"`
	StdinPort       int    `json:"stdin_port"`
	IOPubPort       int    `json:"iopub_port"`
	HBPort          int    `json:"hb_port"`
	Key             string `json:"key"`
	SignatureScheme string `json:"signature_scheme"`
}

// ReadConnectionFile reads and checks a connection file.
func ReadConnectionFile(path string) (*ConnectionInfo, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("kernel: reading connection file: %w", err)
	}
	var ci ConnectionInfo
	if err := json.Unmarshal(b, &ci); err != nil {
		return nil, fmt.Errorf("kernel: connection file %s: %w", path, err)
	}
	if err := ci.check(); err != nil {
		return nil, fmt.Errorf("kernel: connection file %s: %w", path, err)
	}
	return &ci, nil
}

func (ci *ConnectionInfo) check() error {
	if ci.Transport == "" {
		ci.Transport = "tcp"
	}
	if ci.Transport != "tcp" && ci.Transport != "ipc" {
		return fmt.Errorf("unsupported transport %q (want tcp or ipc)", ci.Transport)
	}
	if ci.IP == "" {
		if ci.Transport == "tcp" {
			ci.IP = "127.0.0.1"
		} else {
			ci.IP = "kernel-ipc"
		}
	}
	if ci.Key != "" && ci.SignatureScheme != "hmac-sha256" {
		return fmt.Errorf("unsupported signature_scheme %q (want hmac-sha256)", ci.SignatureScheme)
	}
	for _, p := range []struct {
		name string
		port int
	}{{"shell_port", ci.ShellPort}, {"control_port", ci.ControlPort}, {"stdin_port", ci.StdinPort}, {"iopub_port", ci.IOPubPort}, {"hb_port", ci.HBPort}} {
		if p.port <= 0 || p.port > 65535 && ci.Transport == "tcp" {
			return fmt.Errorf("%s %d out of range", p.name, p.port)
		}
	}
	return nil
}

// endpoint returns the ZeroMQ endpoint of a port: tcp://IP:PORT or
// ipc://IP-PORT.
func (ci *ConnectionInfo) endpoint(port int) string {
	if ci.Transport == "ipc" {
		return fmt.Sprintf("ipc://%s-%d", ci.IP, port)
	}
	_, addr := ci.netAddr(port)
	return "tcp://" + addr
}

// netAddr returns the Go network and address of a port.
func (ci *ConnectionInfo) netAddr(port int) (network, addr string) {
	if ci.Transport == "ipc" {
		return "unix", fmt.Sprintf("%s-%d", ci.IP, port)
	}
	ip := ci.IP
	if ip == "*" {
		ip = "0.0.0.0"
	}
	return "tcp", net.JoinHostPort(ip, strconv.Itoa(port))
}
