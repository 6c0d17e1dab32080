package main

import (
	"context"
	"fmt"
	"io"

	"skaerm/internal/app"
	"skaerm/internal/config"
)

func cmdConfig(_ context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "example" {
		_, err := stdout.Write(config.Example())
		return err
	}
	fs := app.NewFlags("config", "[example | check [--config FILE]]", stderr)
	var f app.Flags
	f.Register(fs, false)
	if len(args) == 0 || args[0] != "check" {
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
		return nil
	}
	fmt.Fprintf(stdout, "%s is valid\n", s.ConfigPath)
	return nil
}
