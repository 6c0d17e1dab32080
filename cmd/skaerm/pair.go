package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"skaerm/internal/app"
	"skaerm/internal/pairing"
	"skaerm/sync"
)

func cmdPair(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := app.NewFlags("pair", "[--config FILE] [--backend URL] [--token-file FILE]", stderr)
	var f app.Flags
	f.Register(fs, true)
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
	client, err := sync.NewClient(s.Config.Backend.URL, s.Config.Backend.CAFile)
	if err != nil {
		return err
	}
	flow := &pairing.Flow{
		BaseURL:    client.BaseURL(),
		HTTPClient: client.HTTP(),
		Logger:     app.Logger(s.Config.Log.Level),
		Show: func(code, uri string, expires time.Time) {
			fmt.Fprintf(stdout, "\n    %s\n\nType this code into the Manager (%s) before %s.\n",
				code, uri, expires.Local().Format("15:04"))
		},
	}
	tok, err := flow.Pair(ctx)
	if err != nil {
		return err
	}
	if err := pairing.SaveToken(s.Config.Backend.TokenFile, tok); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "paired: the token is in %s\n", s.Config.Backend.TokenFile)
	return nil
}
