package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestHelp(t *testing.T) {
	var out, errOut bytes.Buffer
	if err := run(context.Background(), []string{"--help"}, &out, &errOut); !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("--help: %v", err)
	}
	for _, f := range []string{"-listen", "-data", "-demo", "-token", "-admin-token"} {
		if !strings.Contains(errOut.String(), f) {
			t.Errorf("usage lacks %s", f)
		}
	}
	if err := run(context.Background(), []string{"--nope"}, &out, &errOut); err == nil {
		t.Error("an unknown flag was accepted")
	}
}

func TestRunsUntilCancelled(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // serve, then shut down at once
	var out, errOut bytes.Buffer
	if err := run(ctx, []string{"--listen", "127.0.0.1:0", "--data", dir, "--token", "a,b", "--token", "c"}, &out, &errOut); err != nil {
		t.Fatalf("run: %v (%s)", err, errOut.String())
	}
	if !strings.Contains(out.String(), "/preview") {
		t.Errorf("output %q lacks the preview URL", out.String())
	}
	if _, err := os.Stat(filepath.Join(dir, "backend.db")); err != nil {
		t.Errorf("no store: %v", err)
	}
}

func TestTokensFlag(t *testing.T) {
	var toks tokens
	toks.Set("a, b,,c")
	toks.Set("d")
	if got := toks.String(); got != "a,b,c,d" {
		t.Errorf("tokens %q", got)
	}
}
