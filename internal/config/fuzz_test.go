package config

import (
	"bytes"
	"errors"
	"reflect"
	"testing"

	"github.com/BurntSushi/toml"
)

// FuzzParse checks that Parse never panics on any file, that every failure
// is a configuration error (errors.Is ErrInvalid) naming the file, and that
// any configuration it accepts passes Validate and survives being written
// out and read back unchanged.
func FuzzParse(f *testing.F) {
	f.Add(string(Example()))
	f.Add("")
	f.Add("[backend]\nurl = \"http://127.0.0.1:8080\"\n")
	f.Add("[backend]\nurl = \"https://m.example.dk\"\n[sync]\npoll_interval = \"30s\"\n")
	f.Add("[power]\nschedule = [\"mon-fri off 22:00-06:00\", \"sat,sun on 07:00-23:00\"]\n")
	f.Add("[backend]\nurl = \"https://m.example.dk\"\n[status]\nlisten = \"127.0.0.1:8090\"\n[motion]\nenabled = true\ndebounce = \"1ms\"\n")
	f.Add("[backend]\nurl = 5\n")
	f.Add("[backend]\nurll = \"x\"\n[[power]]\n")
	f.Fuzz(func(t *testing.T, data string) {
		c, err := Parse("fuzz.toml", []byte(data))
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("error is not a configuration error: %v", err)
			}
			return
		}
		if err := c.Validate(); err != nil {
			t.Fatalf("Parse accepted a config that does not validate: %v", err)
		}
		var buf bytes.Buffer
		if err := toml.NewEncoder(&buf).Encode(c); err != nil {
			t.Fatalf("encode accepted config: %v", err)
		}
		again, err := Parse("again.toml", buf.Bytes())
		if err != nil {
			t.Fatalf("accepted config does not read back: %v\n%s", err, buf.Bytes())
		}
		if !reflect.DeepEqual(normalize(c), normalize(again)) {
			t.Fatalf("config changed on the way back:\n%+v\n%+v", c, again)
		}
	})
}

// normalize makes an empty and a missing schedule compare equal: TOML has
// no way to tell them apart once written.
func normalize(c Config) Config {
	if len(c.Power.Schedule) == 0 {
		c.Power.Schedule = nil
	}
	return c
}
