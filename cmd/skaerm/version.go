package main

import (
	"context"
	"fmt"
	"io"
	"runtime"

	"skaerm/cmd/internal/app"
)

func cmdVersion(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs := app.NewFlags("version", "", stderr)
	if err := app.Parse(fs, args); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "skaerm %s (commit %s, %s, %s/%s)\n", version, commit, runtime.Version(), runtime.GOOS, runtime.GOARCH)
	return nil
}
