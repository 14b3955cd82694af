// Command matcalc is a Jupyter kernel and a terminal for matcalc, a small
// matrix language for teaching matrix calculus.
//
// Usage:
//
//	matcalc kernel -f CONNECTION_FILE   serve a Jupyter client
//	matcalc install [--user | --sys-prefix | --prefix DIR | --sys] [--name NAME]
//	                [--jupyter PATH | --python PATH] [--in-place]
//	matcalc uninstall [same options]
//	matcalc run FILE                    run the cells of FILE (split at %% lines)
//	matcalc version                     print the version
//	matcalc                             a REPL on a terminal, else run cells from stdin
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"golang.org/x/term"

	"github.com/matcalc/matcalc/kernel"
	"github.com/matcalc/matcalc/kernel/kernelspec"
	"github.com/matcalc/matcalc/session"
)

// version is set at build time: go build -ldflags "-X main.version=v1.2.3".
var version = "dev"

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

const usage = `usage:
  matcalc kernel -f CONNECTION_FILE   serve a Jupyter client
  matcalc install [--user | --sys-prefix | --prefix DIR | --sys] [--name NAME]
                  [--jupyter PATH | --python PATH] [--in-place]
                                      install the Jupyter kernelspec (default --user) with a
                                      copy of this binary beside it; --sys-prefix is the
                                      prefix of the Python running the jupyter on the PATH
                                      (or --jupyter PATH, or --python PATH)
  matcalc uninstall [same options]    remove it
  matcalc run FILE                    run the cells of FILE (split at %% lines)
  matcalc version                     print the version
  matcalc                             a REPL on a terminal, else run cells from stdin
`

func run(args []string, stdin *os.File, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		return runInteractive(stdin, stdout, stderr)
	}
	switch args[0] {
	case "kernel":
		return runKernel(args[1:], stderr)
	case "install", "uninstall":
		return runInstall(args[0], args[1:], stdout, stderr)
	case "run":
		if len(args) != 2 {
			fmt.Fprint(stderr, usage)
			return 2
		}
		return runFile(args[1], stdout, stderr)
	case "version", "--version", "-version":
		fmt.Fprintf(stdout, "matcalc %s\n", version)
		return 0
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	}
	fmt.Fprintf(stderr, "matcalc: unknown command %q\n%s", args[0], usage)
	return 2
}

func runKernel(args []string, stderr io.Writer) int {
	fs := flag.NewFlagSet("kernel", flag.ContinueOnError)
	fs.SetOutput(stderr)
	conn := fs.String("f", "", "connection file written by the Jupyter client")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *conn == "" {
		fmt.Fprintln(stderr, "matcalc kernel: -f CONNECTION_FILE is required")
		return 2
	}
	ci, err := kernel.ReadConnectionFile(*conn)
	if err != nil {
		fmt.Fprintln(stderr, "matcalc kernel:", err)
		return 1
	}
	logger := log.New(stderr, "matcalc kernel: ", log.LstdFlags)
	k, err := kernel.New(ci, session.New(version), logger)
	if err != nil {
		fmt.Fprintln(stderr, "matcalc kernel:", err)
		return 1
	}
	defer k.Close()
	// A marker beside the connection file lives as long as the kernel:
	// found at start, it says the kernel before this one on the same
	// connection file died without shutting down (killed, out of memory),
	// and the client restarted it. The student is told that what was
	// defined is gone; a restart the student asked for exits cleanly and
	// says nothing.
	marker := *conn + ".matcalc-running"
	if _, err := os.Stat(marker); err == nil {
		k.Notice(restartNotice)
	}
	if err := os.WriteFile(marker, []byte(strconv.Itoa(os.Getpid())+"\n"), 0o600); err == nil {
		defer os.Remove(marker)
	}

	// Clients in signal mode SIGINT the whole process group: an interrupt.
	// SIGTERM ends the kernel.
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		for sig := range sigs {
			if sig == os.Interrupt {
				k.Interrupt()
				continue
			}
			cancel()
		}
	}()
	// Like ipykernel, end when the client that started the kernel dies
	// without shutting it down (a console killed, a server crashed).
	if os.Getenv("JPY_PARENT_PID") != "" {
		go watchParent(ctx, cancel)
	}
	_, err = k.Run(ctx)
	if err != nil && !errors.Is(err, context.Canceled) {
		fmt.Fprintln(stderr, "matcalc kernel:", err)
		return 1
	}
	return 0
}

// restartNotice is what the first cell after an unexpected restart shows.
const restartNotice = "matcalc restarted: the previous kernel of this notebook stopped without shutting down " +
	"(it was killed, or ran out of memory), so every name defined before is gone. " +
	"Run the cells above again (Cell ▸ Run All Above).\n"

// watchParent cancels when the process that started this one exits.
func watchParent(ctx context.Context, cancel context.CancelFunc) {
	parent := os.Getppid()
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if os.Getppid() != parent {
				cancel()
				return
			}
		}
	}
}

func runInstall(cmd string, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	fs.SetOutput(stderr)
	user := fs.Bool("user", false, "the user's Jupyter data directory (the default)")
	sysPrefix := fs.Bool("sys-prefix", false, "the prefix of the Python that runs the Jupyter in use (the jupyter on the PATH, or --jupyter / --python)")
	prefix := fs.String("prefix", "", "PREFIX/share/jupyter/kernels")
	system := fs.Bool("sys", false, "/usr/local/share/jupyter/kernels")
	name := fs.String("name", "matcalc", "kernelspec name")
	jupyterCmd := fs.String("jupyter", "", "the jupyter command to install for (default: jupyter on the PATH)")
	python := fs.String("python", "", "the Python that runs the Jupyter to install for")
	inPlace := fs.Bool("in-place", false, "install: run this binary where it is instead of a copy beside the kernelspec (for a binary in a lasting place, like /usr/local/bin)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	chosen := 0
	scope := kernelspec.User
	for _, c := range []struct {
		on bool
		s  kernelspec.Scope
	}{{*user, kernelspec.User}, {*sysPrefix, kernelspec.SysPrefix}, {*prefix != "", kernelspec.Prefix}, {*system, kernelspec.System}} {
		if c.on {
			chosen++
			scope = c.s
		}
	}
	if chosen > 1 || fs.NArg() > 0 || *jupyterCmd != "" && *python != "" {
		fmt.Fprintf(stderr, "matcalc %s: give at most one of --user, --sys-prefix, --prefix DIR, --sys, and at most one of --jupyter, --python\n", cmd)
		return 2
	}
	// The Jupyter this is for: needed by --sys-prefix and when named; else
	// the jupyter on the PATH, if any, to warn when it would not look there.
	jup, jerr := kernelspec.FindJupyter(*jupyterCmd, *python)
	if jerr != nil && (scope == kernelspec.SysPrefix || *jupyterCmd != "" || *python != "") {
		fmt.Fprintf(stderr, "matcalc %s: %v\n", cmd, jerr)
		return 1
	}
	if jerr != nil {
		jup = nil
	}
	data, err := kernelspec.DataDir(scope, *prefix, jup)
	if err != nil {
		fmt.Fprintf(stderr, "matcalc %s: %v\n", cmd, err)
		return 1
	}
	kernels := filepath.Join(data, "kernels")
	if cmd == "uninstall" {
		d, err := kernelspec.Uninstall(kernels, *name)
		if err != nil {
			fmt.Fprintf(stderr, "matcalc uninstall: %v\n", err)
			return 1
		}
		fmt.Fprintf(stdout, "removed kernelspec %s (and its copy of the binary) from %s\n", *name, d)
		return 0
	}
	exe, err := os.Executable()
	if err != nil {
		fmt.Fprintf(stderr, "matcalc install: %v\n", err)
		return 1
	}
	info := session.New(version).Info()
	spec, err := kernelspec.New(exe, info.Implementation, info.Language.Name)
	if err != nil {
		fmt.Fprintf(stderr, "matcalc install: %v\n", err)
		return 1
	}
	if *name != spec.DisplayName {
		// Two kernels in the launcher must not look alike.
		spec.DisplayName += " (" + *name + ")"
	}
	in, err := kernelspec.Install(kernels, *name, spec, kernelspec.Options{InPlace: *inPlace})
	if err != nil {
		fmt.Fprintf(stderr, "matcalc install: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "installed kernelspec %s in %s\n", *name, in.Dir)
	if in.Copied {
		fmt.Fprintf(stdout, "  the kernel runs %s, a copy of this binary: it keeps working if the build or checkout is moved or deleted\n", in.Binary)
	} else {
		fmt.Fprintf(stdout, "  the kernel runs %s in place (--in-place): keep it there\n", in.Binary)
	}
	switch {
	case jup == nil:
		fmt.Fprintf(stdout, "  no jupyter on the PATH to check that it will find the kernel (%v)\n", jerr)
	case jup.OnDataPath(data):
		fmt.Fprintf(stdout, "  for %s: `jupyter kernelspec list` lists it\n", jup)
	default:
		fmt.Fprintf(stdout, "  for %s\n", jup)
		fmt.Fprintf(stderr, "matcalc install: warning: %s is not on the data path of %s (%s): that Jupyter will not list this kernel unless JUPYTER_PATH includes %s\n",
			data, jup, strings.Join(jup.DataPath, ", "), data)
	}
	return 0
}

// interruptContext returns a context cancelled by SIGINT.
func interruptContext() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt)
}

func runFile(path string, stdout, stderr io.Writer) int {
	src, err := os.ReadFile(path)
	if err != nil {
		fmt.Fprintln(stderr, "matcalc run:", err)
		return 1
	}
	ctx, stop := interruptContext()
	defer stop()
	if failed := session.New(version).RunText(ctx, string(src), stdout, stderr); failed > 0 {
		fmt.Fprintf(stderr, "matcalc run: %d cell(s) failed\n", failed)
		return 1
	}
	return 0
}

func runInteractive(stdin *os.File, stdout, stderr io.Writer) int {
	s := session.New(version)
	if term.IsTerminal(int(stdin.Fd())) {
		// Stray SIGINTs at the prompt must not kill the REPL; cells
		// catch their own.
		signal.Notify(make(chan os.Signal, 1), os.Interrupt)
		if err := s.REPL(context.Background(), stdin, stdout); err != nil {
			fmt.Fprintln(stderr, "matcalc:", err)
			return 1
		}
		return 0
	}
	ctx, stop := interruptContext()
	defer stop()
	failed, err := s.RunReader(ctx, stdin, stdout, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "matcalc:", err)
		return 1
	}
	if failed > 0 {
		return 1
	}
	return 0
}
