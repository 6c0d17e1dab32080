package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"skaerm/cmd/internal/app"
	"skaerm/internal/config"
)

// errNoURL makes `skaerm config check` exit 1 on a configuration that is
// valid but cannot work yet.
var errNoURL = errors.New("[backend] url is still missing: the screen can neither pair nor sync until it is set (`skaerm config example` shows it)")

func cmdConfig(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs := app.NewFlags("config", "example | check [--config FILE]", stderr)
	var f app.Flags
	f.Register(fs, false)
	sub := ""
	if len(args) > 0 {
		sub = args[0]
	}
	switch sub {
	case "example":
		if err := app.Parse(fs, args[1:]); err != nil {
			return err
		}
		_, err := stdout.Write(config.Example())
		return err
	case "check":
	case "-h", "-help", "--help":
		return app.Parse(fs, args)
	case "":
		fmt.Fprintln(stderr, "skaerm config: say what to do: example (print a configuration with every key) or check (check a file)")
		fs.Usage()
		return app.ErrUsage
	default:
		fmt.Fprintf(stderr, "skaerm config: unknown subcommand %q: want example or check\n", sub)
		fs.Usage()
		return app.ErrUsage
	}
	if err := app.Parse(fs, args[1:]); err != nil {
		return err
	}
	s, err := f.Resolve()
	if err != nil {
		return err
	}
	if s.ConfigPath == "" {
		fmt.Fprintf(stdout, "no configuration file (looked for %s): the defaults apply\n", config.DefaultPath)
	} else {
		fmt.Fprintf(stdout, "%s is valid\n", s.ConfigPath)
	}
	if s.Config.Backend.URL == "" {
		return errNoURL
	}
	return nil
}
