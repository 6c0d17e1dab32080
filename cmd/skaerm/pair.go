package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"skaerm/cmd/internal/app"
	"skaerm/internal/status"
	"skaerm/sync"
	"skaerm/sync/pairing"
)

// errPaired makes `skaerm pair` refuse to replace a working token unasked.
type errPaired string

func (e errPaired) Error() string {
	return "this screen is already paired (its token is in " + string(e) + "); pairing again replaces the token: add --force to do it"
}

func cmdPair(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := app.NewFlags("pair", "[--config FILE] [--backend URL] [--token-file FILE] [--force]", stderr)
	var f app.Flags
	f.Register(fs, true)
	force := fs.Bool("force", false, "pair again although the screen has a token (the old one stops working)")
	if err := app.Parse(fs, args); err != nil {
		return err
	}
	s, err := f.Resolve()
	if err != nil {
		return err
	}
	if s.Config.Backend.URL == "" {
		return app.ErrNoBackend
	}
	tokenFile := s.Config.Backend.TokenFile
	if _, err := pairing.LoadToken(tokenFile); err == nil && !*force {
		return errPaired(tokenFile)
	}
	client, err := sync.NewClient(s.Config.Backend.URL, s.Config.Backend.CAFile)
	if err != nil {
		return err
	}
	// Times are the department's, as on the screen.
	loc := departmentZone(s.Config.Cache.Path)
	logger := slog.New(slog.DiscardHandler) // the sentences below say it all
	if f.LogLevel != "" {
		logger = app.Logger(f.LogLevel)
	}
	flow := &pairing.Flow{
		BaseURL:    client.BaseURL(),
		HTTPClient: client.HTTP(),
		Logger:     logger,
		Show: func(code, uri string, expires time.Time) {
			fmt.Fprintf(stdout, "\n    %s\n\nType this code into the Manager (%s) before %s (%s).\n",
				code, uri, expires.In(loc).Format("15:04"), loc)
		},
		Retrying: func(problem string, in time.Duration) {
			fmt.Fprintf(stderr, "%s; trying again in %s\n", problem, in)
		},
	}
	tok, err := flow.Pair(ctx)
	switch {
	case errors.Is(err, pairing.ErrWrongBackend):
		return fmt.Errorf("giving up: %w", err)
	case ctx.Err() != nil:
		return errors.New("stopped before staff typed the code: the screen is not paired")
	case err != nil:
		return err
	}
	if err := pairing.SaveToken(tokenFile, tok); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "paired: the token is in %s\n", tokenFile)
	return nil
}

// departmentZone is the time zone of the department whose board the cache
// holds (read from the running screen's report while it holds the cache),
// Europe/Copenhagen before the first sync.
func departmentZone(cachePath string) *time.Location {
	r, err := readStatus(cachePath)
	if err != nil {
		return status.Report{}.Location()
	}
	return r.Location()
}
