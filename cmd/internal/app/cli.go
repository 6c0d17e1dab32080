package app

import (
	"errors"
	"flag"
	"fmt"
	"io"
)

// ErrUsage marks a command line that could not be parsed; the flag package
// has already said why, so the command exits 2 without more words.
var ErrUsage = errors.New("usage")

// UsageError marks err as a wrong command line that the command explains
// itself: it matches ErrUsage (exit 2), and its text says what is wrong.
func UsageError(err error) error { return usageError{err} }

type usageError struct{ err error }

func (u usageError) Error() string        { return u.err.Error() }
func (u usageError) Unwrap() error        { return u.err }
func (u usageError) Is(target error) bool { return target == ErrUsage }

// NewFlags returns a flag set for `skaerm NAME` that writes its help to w
// and reports errors instead of exiting.
func NewFlags(name, synopsis string, w io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("skaerm "+name, flag.ContinueOnError)
	fs.SetOutput(w)
	fs.Usage = func() {
		fmt.Fprintf(w, "Usage: skaerm %s %s\n\nFlags:\n", name, synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// Parse parses args, mapping a bad command line to ErrUsage; --help gives
// flag.ErrHelp.
func Parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return ErrUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(fs.Output(), "unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return ErrUsage
	}
	return nil
}
