package personal

import (
	"bytes"
	"encoding"
	"encoding/gob"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

const canary = "PRIVATCANARY-T1"

func page() *Page {
	return &Page{
		ProfileID: "p1", Name: "Karen",
		Shared:      []Item{{ID: "sh1", Kind: Picture, Title: canary, Media: Media{SHA256: "ab", Data: []byte(canary)}}},
		Tagged:      []string{"g1"},
		Groups:      []Group{{ID: "grp", Name: canary}},
		Suggestions: []Suggestion{{MeetingID: "mt1", Text: canary}},
	}
}

func TestNothingEncodes(t *testing.T) {
	p := page()
	values := map[string]any{"page": p, "page value": *p, "item": p.Shared[0], "media": p.Shared[0].Media,
		"group": p.Groups[0], "suggestion": p.Suggestions[0], "items": p.Shared}
	for name, v := range values {
		if b, err := json.Marshal(v); !errors.Is(err, ErrNotStorable) {
			t.Errorf("json.Marshal(%s) = %q, %v; want ErrNotStorable", name, b, err)
		}
		var buf bytes.Buffer
		if err := gob.NewEncoder(&buf).Encode(v); err == nil || strings.Contains(buf.String(), canary) {
			t.Errorf("gob encoded %s", name)
		}
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
			if s := fmt.Sprintf(verb, v); strings.Contains(s, canary) || strings.Contains(s, "Karen") {
				t.Errorf("fmt %s of %s shows the content: %s", verb, name, s)
			}
		}
		var log bytes.Buffer
		h := slog.New(slog.NewJSONHandler(&log, &slog.HandlerOptions{Level: slog.LevelDebug}))
		h.Debug("x", "v", v)
		slog.New(slog.NewTextHandler(&log, &slog.HandlerOptions{Level: slog.LevelDebug})).Debug("x", "v", v)
		if strings.Contains(log.String(), canary) {
			t.Errorf("a log line shows %s: %s", name, log.String())
		}
	}
	var _ encoding.TextMarshaler = Item{}
	var _ encoding.BinaryMarshaler = Page{}
}

func TestWipe(t *testing.T) {
	p := page()
	data := p.Shared[0].Media.Data
	shared := p.Shared
	p.Wipe()
	if bytes.Contains(data, []byte(canary)) || shared[0].Title != "" || p.Name != "" || p.Shared != nil {
		t.Errorf("wipe left content: %q %+v", data, shared[0].Title)
	}
	var nilPage *Page
	nilPage.Wipe()
}

func TestCloneIsOwnCopy(t *testing.T) {
	p := page()
	c := p.Clone()
	p.Wipe()
	if c.Name != "Karen" || c.Shared[0].Title != canary || !bytes.Equal(c.Shared[0].Media.Data, []byte(canary)) {
		t.Error("wiping the original changed the clone")
	}
}

// A session without a touch lives for the question and its answer time,
// and no longer: the sync keeps it with the backend exactly as long as the
// screen waits before it logs out.
func TestSessionRules(t *testing.T) {
	if IdleTimeout != AskAfter+AnswerFor || AskAfter <= 0 || AnswerFor <= 0 {
		t.Errorf("idle timeout %v, asked after %v, answered for %v", IdleTimeout, AskAfter, AnswerFor)
	}
}
