// Command matcalc is a Jupyter kernel and a terminal for matcalc, a small
// matrix language for teaching matrix calculus.
//
// Usage:
//
//	matcalc kernel -f CONNECTION_FILE   serve a Jupyter client
//	matcalc install [--user | --sys-prefix | --prefix DIR | --sys] [--name NAME]
//	matcalc uninstall [--user | --sys-prefix | --prefix DIR | --sys] [--name NAME]
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
	"syscall"
	"time"

	"golang.org/x/term"

	"github.com/matcalc/matcalc/kernel"
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
                                      install the Jupyter kernelspec (default --user)
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
	sysPrefix := fs.Bool("sys-prefix", false, "the Python environment's prefix ($CONDA_PREFIX, $VIRTUAL_ENV or python3's sys.prefix)")
	prefix := fs.String("prefix", "", "PREFIX/share/jupyter/kernels")
	system := fs.Bool("sys", false, "/usr/local/share/jupyter/kernels")
	name := fs.String("name", "matcalc", "kernelspec name")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	chosen := 0
	scope := kernel.User
	for _, c := range []struct {
		on bool
		s  kernel.Scope
	}{{*user, kernel.User}, {*sysPrefix, kernel.SysPrefix}, {*prefix != "", kernel.Prefix}, {*system, kernel.System}} {
		if c.on {
			chosen++
			scope = c.s
		}
	}
	if chosen > 1 || fs.NArg() > 0 {
		fmt.Fprintf(stderr, "matcalc %s: give at most one of --user, --sys-prefix, --prefix DIR, --sys\n", cmd)
		return 2
	}
	dir, err := kernel.KernelsDir(scope, *prefix)
	if err != nil {
		fmt.Fprintf(stderr, "matcalc %s: %v\n", cmd, err)
		return 1
	}
	if cmd == "uninstall" {
		d, err := kernel.Uninstall(dir, *name)
		if err != nil {
			fmt.Fprintf(stderr, "matcalc uninstall: %v\n", err)
			return 1
		}
		fmt.Fprintf(stdout, "removed kernelspec %s from %s\n", *name, d)
		return 0
	}
	exe, err := os.Executable()
	if err != nil {
		fmt.Fprintf(stderr, "matcalc install: %v\n", err)
		return 1
	}
	spec, err := kernel.NewSpec(exe)
	if err != nil {
		fmt.Fprintf(stderr, "matcalc install: %v\n", err)
		return 1
	}
	if *name != spec.DisplayName {
		// Two kernels in the launcher must not look alike.
		spec.DisplayName += " (" + *name + ")"
	}
	d, err := kernel.Install(dir, *name, spec)
	if err != nil {
		fmt.Fprintf(stderr, "matcalc install: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "installed kernelspec %s in %s\n", *name, d)
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
