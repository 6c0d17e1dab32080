// Command skaerm-backend runs the reference backend: the Screen API, the
// admin API, the pairing page (/pair) and the staff preview (/preview). With
// --demo it serves a made-up Danish care home, enough for a screen to run
// against out of the box.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"skaerm/backend"
	"skaerm/internal/clock"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	switch {
	case errors.Is(err, flag.ErrHelp):
	case err != nil:
		fmt.Fprintln(os.Stderr, "skaerm-backend:", err)
		os.Exit(1)
	}
}

// tokens collects --token, repeated or comma separated.
type tokens []string

func (t *tokens) String() string { return strings.Join(*t, ",") }
func (t *tokens) Set(v string) error {
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			*t = append(*t, s)
		}
	}
	return nil
}

// run parses args, serves until ctx ends, then shuts down.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("skaerm-backend", flag.ContinueOnError)
	fs.SetOutput(stderr)
	listen := fs.String("listen", "127.0.0.1:8470", "address to listen on")
	data := fs.String("data", "./skaerm-backend-data", "directory of the backend's store")
	demo := fs.Bool("demo", false, "seed a demo care home when the store is empty")
	adminToken := fs.String("admin-token", "", "token admin clients other than loopback must send")
	verbose := fs.Bool("v", false, "log debug messages")
	plainV1 := fs.Bool("v1", false, "answer as a plain Screen API v1 backend: no capabilities, no weather, no booking on the screen")
	clockFrom := fs.String("clock-from", "", "start the backend's clock at this instant, RFC 3339 (a demo of the night), and run on from there")
	var toks tokens
	fs.Var(&toks, "token", "fixed device token for the first department (repeatable, or comma separated)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: skaerm-backend [--listen ADDR] [--data DIR] [--demo] [--token T]... [--admin-token T] [--v1] [--clock-from RFC3339]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}

	var clk clock.Clock
	if *clockFrom != "" {
		t, err := time.Parse(time.RFC3339, *clockFrom)
		if err != nil {
			return fmt.Errorf("--clock-from %q is not an RFC 3339 time (e.g. 2027-01-12T03:00:00+01:00)", *clockFrom)
		}
		clk = clock.NewShifted(t)
	}
	level := slog.LevelInfo
	if *verbose {
		level = slog.LevelDebug
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	r, err := backend.Start(ctx, *listen, backend.Options{
		DataDir:    *data,
		Tokens:     toks,
		AdminToken: *adminToken,
		Demo:       *demo,
		PlainV1:    *plainV1,
		Logger:     log,
		Clock:      clk,
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "skaerm-backend on %s\n  preview: %s/preview\n  pairing: %s/pair\n", r.URL, r.URL, r.URL)
	select {
	case <-ctx.Done():
	case <-r.Done():
	}
	log.Info("shutting down")
	return r.Close()
}
