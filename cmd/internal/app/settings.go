// Package app turns a configuration file and command-line flags into the
// settings the screen's commands run with, so skaerm and skaerm-screen read
// them the same way, and maps those settings onto the options of the parts
// that run with them (sync, display power, motion sensor). It opens nothing
// but the files it is told to read.
package app

import (
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"skaerm/internal/config"
	"skaerm/sync"
	"skaerm/sync/pairing"
)

// Flags are the command-line flags shared by the commands that talk to a
// backend or a cache; a flag given overrides the configuration file.
type Flags struct {
	Config    string
	Backend   string
	Token     string
	TokenFile string
	Cache     string
	CAFile    string
	LogLevel  string
}

// Register adds the flags to fs. withBackend adds the backend ones too.
func (f *Flags) Register(fs *flag.FlagSet, withBackend bool) {
	fs.StringVar(&f.Config, "config", "", "configuration file (default "+config.DefaultPath+" when it exists)")
	fs.StringVar(&f.Cache, "cache", "", "cache file (overrides [cache] path)")
	fs.StringVar(&f.LogLevel, "log-level", "", "debug, info, warn or error (overrides [log] level)")
	if withBackend {
		fs.StringVar(&f.Backend, "backend", "", "backend base URL (overrides [backend] url)")
		fs.StringVar(&f.Token, "token", "", "device token (instead of the token file)")
		fs.StringVar(&f.TokenFile, "token-file", "", "file holding the device token (overrides [backend] token_file)")
		fs.StringVar(&f.CAFile, "ca-file", "", "extra trusted CA certificates, PEM (overrides [backend] ca_file)")
	}
}

// Settings are the resolved configuration and where it came from.
type Settings struct {
	Config     config.Config
	ConfigPath string // "" when no file was read
	// Rejected is what ResolveUsable refused in the configuration file
	// (every problem, each with the file, line and key); nil when it took
	// the whole file.
	Rejected error
}

// Resolve reads the configuration file (the default one only if it exists)
// and applies the flags over it, then validates the result.
func (f Flags) Resolve() (Settings, error) {
	return f.resolve(config.Load)
}

// ResolveUsable is Resolve for the commands that report on a screen (status,
// doctor): a configuration file with mistakes does not stop them. Every key
// the file sets well applies, the rejected ones keep their defaults, and
// Settings.Rejected says what was rejected. Only bad flags are an error.
func (f Flags) ResolveUsable() (Settings, error) {
	var rejected error
	s, err := f.resolve(func(path string) (config.Config, error) {
		c, err := config.LoadUsable(path)
		// A missing backend address is not a rejected edit: the commands
		// that need one say so.
		var keep []error
		for _, e := range unjoin(err) {
			if e != nil && !config.IsMissingURL(e) {
				keep = append(keep, e)
			}
		}
		rejected = errors.Join(keep...)
		return c, nil
	})
	s.Rejected = rejected
	return s, err
}

func (f Flags) resolve(load func(path string) (config.Config, error)) (Settings, error) {
	s := Settings{Config: config.Default()}
	path := f.Config
	if path == "" {
		if _, err := os.Stat(config.DefaultPath); err == nil {
			path = config.DefaultPath
		}
	}
	if path != "" {
		// Named in full in every message about the file.
		if abs, err := filepath.Abs(path); err == nil {
			path = abs
		}
		c, err := load(path)
		if err != nil {
			return s, err
		}
		s.Config, s.ConfigPath = c, path
	}
	c := &s.Config
	set := func(dst *string, v string) {
		if v != "" {
			*dst = v
		}
	}
	set(&c.Backend.URL, strings.TrimRight(f.Backend, "/"))
	set(&c.Backend.TokenFile, f.TokenFile)
	set(&c.Backend.CAFile, f.CAFile)
	if f.Cache != "" {
		abs, err := filepath.Abs(f.Cache)
		if err != nil {
			return s, fmt.Errorf("cache path %s: %w", f.Cache, err)
		}
		c.Cache.Path = abs
	}
	set(&c.Log.Level, f.LogLevel)
	if err := withoutEmptyURL(c.Validate(), c.Backend.URL); err != nil {
		return s, fmt.Errorf("settings: %w", err)
	}
	return s, nil
}

// SyncOptions are the settings' backend, CA file, polling interval and
// size limits for the sync; the caller adds the token, the cache and hooks.
func (s Settings) SyncOptions() sync.Options {
	c := s.Config
	return sync.Options{
		BaseURL: c.Backend.URL, CAFile: c.Backend.CAFile,
		PollInterval:  c.Sync.PollInterval.D(),
		MaxBoardBytes: c.Sync.MaxBoardBytes, MaxMediaBytes: c.Sync.MaxMediaBytes,
	}
}

// withoutEmptyURL drops the complaint about a missing backend address: only
// the commands that talk to a backend need one, and they say so themselves
// (ErrNoBackend).
func withoutEmptyURL(err error, url string) error {
	if err == nil || url != "" {
		return err
	}
	var keep []error
	for _, e := range unjoin(err) {
		var ce *config.Error
		if errors.As(e, &ce) && ce.Key == "backend.url" {
			continue
		}
		keep = append(keep, e)
	}
	return errors.Join(keep...)
}

func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

// ErrNoBackend means neither the configuration nor the flags name a backend.
var ErrNoBackend = errors.New("no backend address: set [backend] url in the configuration file or give --backend")

// DeviceToken returns the device token: the --token flag, else the token file.
// It wraps pairing.ErrNoToken when the screen has not been paired.
func (f Flags) DeviceToken(s Settings) (string, error) {
	if f.Token != "" {
		return f.Token, nil
	}
	return pairing.LoadToken(s.Config.Backend.TokenFile)
}

// Logger returns a text logger to standard error at level (info when the
// level is not one slog knows).
func Logger(level string) *slog.Logger {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		l = slog.LevelInfo
	}
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: l}))
}
