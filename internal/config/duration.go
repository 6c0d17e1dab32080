package config

import (
	"fmt"
	"time"
)

// Duration is a time.Duration written as a string in the file ("5m",
// "1h30m", "200ms").
type Duration time.Duration

// D returns d as a time.Duration.
func (d Duration) D() time.Duration { return time.Duration(d) }

func (d Duration) String() string { return time.Duration(d).String() }

// MarshalText writes d as Go duration text.
func (d Duration) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads Go duration text such as "5m" or "90s".
func (d *Duration) UnmarshalText(text []byte) error {
	v, err := time.ParseDuration(string(text))
	if err != nil {
		return &durationError{text: string(text)}
	}
	*d = Duration(v)
	return nil
}

// durationError is the message a bad duration gets; Parse recognises it to
// keep the toml package's wording out of the user's way.
type durationError struct{ text string }

func (e *durationError) Error() string {
	return fmt.Sprintf("%q is not a duration (e.g. \"5m\", \"90s\", \"1h30m\")", e.text)
}
