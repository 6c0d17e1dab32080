package main

import (
	"context"
	"fmt"
	"image/png"
	"io"
	"os"
	"time"

	"skaerm/board"
	"skaerm/cache"
	"skaerm/cmd/internal/app"
	"skaerm/display"
	"skaerm/sync"
)

// fixedLogin is a login that stays as it is: the session logged in for the
// snapshot, or none (the login pages without a session).
type fixedLogin struct {
	st display.LoginState
	l  *sync.Login
}

func (f *fixedLogin) State() display.LoginState { return f.st }
func (f *fixedLogin) LoginPIN(context.Context, string, string) display.LoginResult {
	return display.LoginResult{Outcome: display.LoginFailed}
}
func (f *fixedLogin) Logout(string)     {}
func (f *fixedLogin) Touch()            {}
func (f *fixedLogin) SignupMade(string) {}
func (f *fixedLogin) Suggest(context.Context, string, string) display.LoginResult {
	return display.LoginResult{Outcome: display.SuggestRefused}
}

// snapshotLogin logs in through the backend and fetches Min side into
// memory. The caller logs out when the picture is drawn.
func snapshotLogin(ctx context.Context, url, ca, token string, in app.SnapshotLogin) (*fixedLogin, error) {
	if url == "" {
		return nil, app.ErrNoBackend
	}
	conn, err := sync.NewBackend(url, ca, token, version)
	if err != nil {
		return nil, fmt.Errorf("backend: %w", err)
	}
	l, err := sync.NewLogin(sync.LoginOptions{Backend: conn})
	if err != nil {
		return nil, err
	}
	var who sync.Who
	if in.Method == "pin" {
		who, err = l.LoginPIN(ctx, in.Profile, in.PIN)
	} else {
		who, _, err = l.LoginTag(ctx, in.Tag)
	}
	if err != nil {
		return nil, fmt.Errorf("log in for the snapshot: %w", err)
	}
	page, err := l.Page(ctx)
	if err != nil {
		l.Logout(ctx, sync.EndLogout)
		return nil, fmt.Errorf("fetch Min side: %w", err)
	}
	return &fixedLogin{l: l, st: display.LoginState{Offered: true, Who: who.ProfileID, Name: who.Name, Page: page}}, nil
}

func cmdSnapshot(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	// real clock: a snapshot is of now unless --at says otherwise.
	f, snap, err := app.ParseSnapshot(args, stderr, time.Now())
	if err != nil {
		return err
	}
	pageID, w, h, when, out := snap.Page, snap.Width, snap.Height, snap.At, &snap.Out
	opts := display.Options{Locale: snap.Locale}
	if pageID.Is(board.PagePairing) {
		opts.Pairing = func() (string, string, bool) { return snap.Code, "", true }
	}
	s, err := f.Resolve()
	if err != nil {
		return err
	}
	c, err := cache.Open(s.Config.Cache.Path, cache.Options{ReadOnly: true})
	if err != nil {
		return err
	}
	defer c.Close()
	switch {
	case snap.Login.Method != "":
		token, err := f.DeviceToken(s)
		if err != nil {
			return err
		}
		sl, err := snapshotLogin(ctx, s.Config.Backend.URL, s.Config.Backend.CAFile, token, snap.Login)
		if err != nil {
			return err
		}
		defer sl.l.Logout(context.WithoutCancel(ctx), sync.EndLogout)
		opts.Login = sl
	case pageID.Is(board.PageLogin):
		opts.Login = &fixedLogin{st: display.LoginState{Offered: true}}
	}
	img, err := display.Snapshot(c, pageID, w, h, when, opts)
	if err != nil {
		return fmt.Errorf("render %s: %w", pageID, err)
	}
	file, err := os.Create(*out)
	if err != nil {
		return err
	}
	if err := png.Encode(file, img); err != nil {
		file.Close()
		return fmt.Errorf("write %s: %w", *out, err)
	}
	if err := file.Close(); err != nil {
		return fmt.Errorf("write %s: %w", *out, err)
	}
	fmt.Fprintf(stdout, "wrote %s (%s, %dx%d)\n", *out, pageID, w, h)
	return nil
}
