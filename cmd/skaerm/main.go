// Command skaerm is the care-home wall screen: it pulls the department's board
// from the backend, keeps it in a local cache and draws it fullscreen.
//
// The drawing commands (run, snapshot) live in the companion binary
// skaerm-screen, because the graphics library opens the X display as soon as
// it is loaded: keeping it out of this binary lets a technician run status,
// doctor, sync, pair and purge over SSH on a machine with no display.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"syscall"

	"skaerm/cmd/internal/app"
)

// Set by the build: -ldflags "-X main.version=... -X main.commit=...".
var (
	version = "0.0.0-dev"
	commit  = "unknown"
)

// command is one subcommand: its one-line summary and what it does.
type command struct {
	summary string
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) error
}

func commands() map[string]command {
	return map[string]command{
		"run":      {"show the screen fullscreen (runs skaerm-screen)", cmdRun},
		"snapshot": {"render one page to a PNG file (runs skaerm-screen)", cmdSnapshot},
		"sync":     {"pull the board from the backend into the cache", cmdSync},
		"status":   {"print the cache's state for a technician", cmdStatus},
		"purge":    {"wipe the cache and its media (decommissioning a screen)", cmdPurge},
		"pair":     {"pair this screen with the backend (prints a code to type into the Manager)", cmdPair},
		"doctor":   {"check everything a screen needs and say what to do", cmdDoctor},
		"config":   {"print an example configuration file, or check one", cmdConfig},
		"say":      {"speak a sentence through the loudspeaker (a speaker test)", cmdSay},
		"version":  {"print the version and commit", cmdVersion},
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := dispatch(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// dispatch runs the subcommand named by args[0] and returns the exit code.
// `skaerm help CMD` and `skaerm CMD --help` print the command's help on
// stdout. No command lets a Go panic reach the technician.
func dispatch(ctx context.Context, args []string, stdout, stderr io.Writer) (code int) {
	defer func() {
		if p := recover(); p != nil {
			fmt.Fprintf(stderr, "skaerm: internal error: %v (please report it with `skaerm version`)\n", p)
			code = 1
		}
	}()
	cmds := commands()
	if len(args) >= 2 && args[0] == "help" {
		args = []string{args[1], "--help"}
	}
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(stdout, cmds)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	c, ok := cmds[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "skaerm: unknown command %q\n\n", args[0])
		usage(stderr, cmds)
		return 2
	}
	errOut := stderr
	if wantsHelp(args[1:]) {
		errOut = stdout // help asked for is the answer, not an error
	}
	err := c.run(ctx, args[1:], stdout, errOut)
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, app.ErrUsage):
		if err != app.ErrUsage {
			fmt.Fprintf(stderr, "skaerm %s: %v\n", args[0], err)
		}
		return 2
	default:
		fmt.Fprintf(stderr, "skaerm %s: %v\n", args[0], err)
		var ec exitCoder
		if errors.As(err, &ec) {
			return ec.ExitCode()
		}
		return 1
	}
}

// wantsHelp reports whether a command line asks for help.
func wantsHelp(args []string) bool {
	for _, a := range args {
		switch a {
		case "--":
			return false
		case "-h", "-help", "--help":
			return true
		}
	}
	return false
}

type exitCoder interface{ ExitCode() int }

func usage(w io.Writer, cmds map[string]command) {
	fmt.Fprintf(w, "skaerm %s: the care-home wall screen\n\nUsage: skaerm <command> [flags]\n\nCommands:\n", version)
	names := make([]string, 0, len(cmds))
	for n := range cmds {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-9s %s\n", n, cmds[n].summary)
	}
	fmt.Fprintf(w, "\nRun 'skaerm help <command>' (or 'skaerm <command> --help') for its flags.\n")
}
