package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCommands(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.mc")
	bad := filepath.Join(dir, "bad.mc")
	os.WriteFile(good, []byte("%echo one\n%%\n%echo two\n"), 0o644)
	os.WriteFile(bad, []byte("%echo one\n%%\n%nope\n%%\n%echo three\n"), 0o644)
	prefix := filepath.Join(dir, "prefix")
	tests := []struct {
		args     []string
		status   int
		out, err string // substrings
	}{
		{[]string{"version"}, 0, "matcalc dev", ""},
		{[]string{"help"}, 0, "matcalc kernel -f", ""},
		{[]string{"bogus"}, 2, "", "unknown command"},
		{[]string{"kernel"}, 2, "", "-f CONNECTION_FILE is required"},
		{[]string{"kernel", "-f", filepath.Join(dir, "missing.json")}, 1, "", "connection file"},
		{[]string{"run", good}, 0, "one\ntwo\n", ""},
		{[]string{"run", bad}, 1, "one\nthree\n", "1 cell(s) failed"},
		{[]string{"run"}, 2, "", "usage"},
		{[]string{"install", "--prefix", prefix, "--name", "mc-test"}, 0, "installed kernelspec mc-test", ""},
		{[]string{"install", "--user", "--sys"}, 2, "", "at most one"},
		{[]string{"uninstall", "--prefix", prefix, "--name", "mc-test"}, 0, "removed kernelspec mc-test", ""},
		{[]string{"uninstall", "--prefix", prefix, "--name", "mc-test"}, 1, "", "no kernelspec"},
	}
	for _, tc := range tests {
		var out, errw bytes.Buffer
		status := run(tc.args, os.Stdin, &out, &errw)
		if status != tc.status || !strings.Contains(out.String(), tc.out) || !strings.Contains(errw.String(), tc.err) {
			t.Errorf("matcalc %s: status %d, stdout %q, stderr %q; want %d, %q, %q",
				strings.Join(tc.args, " "), status, out.String(), errw.String(), tc.status, tc.out, tc.err)
		}
	}
}
