package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
)

// screenBinary is the companion program that draws.
const screenBinary = "skaerm-screen"

// findScreen looks for skaerm-screen beside this executable, then on PATH,
// then where the package installs it.
func findScreen() (string, error) {
	if self, err := os.Executable(); err == nil {
		p := filepath.Join(filepath.Dir(self), screenBinary)
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	if p, err := exec.LookPath(screenBinary); err == nil {
		return p, nil
	}
	p := filepath.Join("/usr/lib/skaerm", screenBinary)
	if _, err := os.Stat(p); err == nil {
		return p, nil
	}
	return "", errors.New("skaerm-screen not found beside skaerm, on PATH or in /usr/lib/skaerm: build both with 'make build'")
}

// execScreen hands the command over to skaerm-screen, replacing this process
// so systemd keeps watching the same PID.
func execScreen(name string) func(context.Context, []string, io.Writer, io.Writer) error {
	return func(_ context.Context, args []string, _, _ io.Writer) error {
		bin, err := findScreen()
		if err != nil {
			return err
		}
		argv := append([]string{bin, name}, args...)
		if err := syscall.Exec(bin, argv, os.Environ()); err != nil {
			return fmt.Errorf("start %s: %w", bin, err)
		}
		return nil // not reached
	}
}
