// Command skaerm-screen is the drawing half of skaerm: `skaerm run` and
// `skaerm snapshot` hand over to it. It links the graphics library, which
// needs an X display from the moment it loads; everything that works without
// a display lives in skaerm.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"skaerm/cmd/internal/app"
)

// Set by the build: -ldflags "-X main.version=... -X main.commit=...".
var (
	version = "0.0.0-dev"
	commit  = "unknown"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := dispatch(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

func dispatch(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, "Usage: skaerm-screen run|snapshot [flags] (normally started as skaerm run / skaerm snapshot)")
		return 2
	}
	var err error
	switch args[0] {
	case "run":
		err = cmdRun(ctx, args[1:], stdout, stderr)
	case "snapshot":
		err = cmdSnapshot(ctx, args[1:], stdout, stderr)
	default:
		fmt.Fprintf(stderr, "skaerm-screen: unknown command %q (run or snapshot)\n", args[0])
		return 2
	}
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, app.ErrUsage):
		if err != app.ErrUsage {
			fmt.Fprintf(stderr, "skaerm %s: %v\n", args[0], err)
		}
		return 2
	default:
		fmt.Fprintf(stderr, "skaerm %s: %v\n", args[0], err)
		return 1
	}
}
