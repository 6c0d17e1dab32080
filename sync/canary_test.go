package sync

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"skaerm/board"
	"skaerm/internal/clock"
)

// canaries are values a screen must never store: if any of them shows up in
// the cache file, a field or a person slipped through the filter.
var canaries = []string{
	"Canarylastname", "canary.mail@example.dk", "+45 2233 4455", "010101-1234", "1931-02-03",
	"Canarynotes", "Canaryunknown", "x_canary_field", "Canaryhidden", "hid-canary",
	"Canaryanon", "Canaryexternal", "Canarydraft", "Canaryprivate", "Canarymeta", "Canarycomment",
	"Canarytagged", "PRIVATCANARY", "Canarybooker",
}

// canaryBoard is a board that carries every kind of value the policy drops.
func canaryBoard(avatar, anonAvatar, hiddenAvatar, photo, privatePhoto string) string {
	pii := `"last_name": "Canarylastname", "email": "canary.mail@example.dk", "phone": "+45 2233 4455",
		"cpr": "010101-1234", "birthday": "1931-02-03", "notes": "Canarynotes: diabetes",
		"x_canary_field": {"nested": ["Canaryunknown"]}`
	return fmt.Sprintf(`{
	"generated_at": "2026-11-23T06:00:00Z",
	"department": {"id": "d1", "name": "Solsikken", "timezone": "Europe/Copenhagen", "locale": "da", "x_canary_field": "Canaryunknown"},
	"profiles": [
		{"id": "p1", "kind": "resident", "first_name": "Karen", "alias": "", "visible_on_screen": true, "anonymized": false,
		 "avatar": {"sha256": %q, "content_type": "image/png", "width": 64, "height": 64}, %s},
		{"id": "p2", "kind": "resident", "first_name": "Canaryanon", "alias": "", "visible_on_screen": true, "anonymized": true,
		 "avatar": {"sha256": %q}, %s},
		{"id": "hid-canary", "kind": "resident", "first_name": "Canaryhidden", "visible_on_screen": false,
		 "avatar": {"sha256": %q}, %s},
		{"id": "e1", "kind": "external", "first_name": "Canaryexternal", "visible_on_screen": true, %s},
		{"id": "s1", "kind": "staff", "first_name": "Ole", "visible_on_screen": true, %s}
	],
	"activities": [{"id": "a1", "title": "Banko", "start": "2026-11-23T14:00:00+01:00", "end": "2026-11-23T15:00:00+01:00",
		"capacity": 12, "signup_open": true, "signups": ["p1", "p2", "hid-canary"], "x_canary_field": "Canaryunknown"}],
	"meals": [{"id": "m1", "kind": "lunch", "start": "2026-11-23T12:00:00+01:00", "menu": "Frikadeller", "signups": ["hid-canary"]}],
	"meetings": [{"id": "mt1", "title": "Husmøde", "start": "2026-11-24T10:00:00+01:00",
		"suggestions": [{"id": "sg1", "profile_id": "hid-canary", "text": "Tur til stranden"}]}],
	"bookables": [{"id": "r1", "name": "Vaskeriet", "pictogram": "laundry", "slots": "fixed", "slot_times": ["07:00-09:00", "09:00-11:00"],
		"open": "07:00-22:00", "max_ahead_days": 14, "max_per_week": 2, "cancel_until_minutes": 60, "login_required": false,
		"notes": "PRIVATCANARY: Karens tøj vaskes separat", "booked_by": [{"profile_id": "hid-canary", "first_name": "Canaryhidden"}],
		"x_canary_field": "Canaryunknown"}],
	"bookings": [{"id": "b1", "resource": "Minibussen", "start": "2026-11-24T10:00:00+01:00", "profile_id": "hid-canary"},
		{"id": "b2", "resource": "Vaskeriet", "resource_id": "r1", "start": "2026-11-24T07:00:00+01:00", "end": "2026-11-24T09:00:00+01:00",
		 "profile_id": "hid-canary", "booked_by": "Canarybooker", "comment": "PRIVATCANARY: vasker for Canaryhidden", "x_canary_field": "Canaryunknown"}],
	"roster": [{"id": "r1", "profile_id": "s1", "role": "SSA", "shift": "day", "start": "2026-11-23T07:00:00+01:00", "end": "2026-11-23T15:00:00+01:00"}],
	"news": [{"id": "n1", "title": "Velkommen", "visible_on_screen": true, "image": {"sha256": %q}},
	         {"id": "n2", "title": "Canarydraft", "body": "Canarydraft", "visible_on_screen": false}],
	"gallery": [{"id": "g1", "caption": "Sommerfest", "image": {"sha256": %q}, "visible_on_screen": true, "tagged": ["hid-canary", "Canarytagged"]},
	            {"id": "g2", "caption": "Canaryprivate", "image": {"sha256": %q}, "visible_on_screen": false}],
	"x_canary_field": ["Canaryunknown"]
}`, avatar, pii, anonAvatar, pii, hiddenAvatar, pii, pii, pii, photo, photo, privatePhoto)
}

// TestCanary syncs a board full of values a screen must not keep into a
// real cache file, then searches every byte of the file, every stored
// medium and every log line for them.
func TestCanary(t *testing.T) {
	clk := clock.NewFake(testNow)
	f := newFakeBackend(t, clk)
	avatar := f.addMedia("image/png", withPNGText(t, pngBytes(t, 64, 64), "Comment", "Canarymeta"))
	anon := f.addMedia("image/png", withPNGText(t, pngBytes(t, 65, 64), "Author", "Canaryanon"))
	hidden := f.addMedia("image/png", withPNGText(t, pngBytes(t, 66, 64), "Author", "Canaryhidden"))
	photo := f.addMedia("image/jpeg", withJPEGComment(t, jpegBytes(t, 120, 80), "Canarycomment"))
	private := f.addMedia("image/jpeg", withJPEGComment(t, jpegBytes(t, 121, 80), "Canaryprivate"))
	f.setBoard(canaryBoard(avatar, anon, hidden, photo, private), `"v1"`)
	f.features = []string{"sessions", "weather", "audio", "bookables"} // every part of the board is read

	dir := t.TempDir()
	c := openCache(t, dir, clk)
	var logs bytes.Buffer
	s := newSyncer(t, f.URL, c, clk, func(o *Options) {
		o.Logger = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	})
	res, err := s.SyncOnce(context.Background())
	if err != nil {
		t.Fatalf("SyncOnce: %v", err)
	}
	if res.MediaFetched != 2 || res.MediaFailed != 0 {
		t.Errorf("media fetched %d, failed %d; want the avatar and the photo only", res.MediaFetched, res.MediaFailed)
	}
	for _, h := range []string{anon, hidden, private} {
		if n := len(f.reqs("/media/" + h)); n != 0 {
			t.Errorf("fetched media %s that the policy drops", h[:8])
		}
	}

	// The board is what the screen should show.
	b, err := c.Board()
	if err != nil {
		t.Fatal(err)
	}
	if p, _ := b.Profile("p2"); p.Name != "" || p.Avatar != "" {
		t.Errorf("anonymized profile = %+v", p)
	}
	if s := b.Activities[0].Signups; s.Count() != 3 || s.Hidden != 1 {
		t.Errorf("activity signups = %+v, want 2 named and 1 hidden", s)
	}
	if r, ok := b.Bookable("r1"); !ok || len(r.SlotTimes) != 2 {
		t.Errorf("bookable r1 = %+v: not stored, the search below would prove little", r)
	}
	if x := board.BookingsOf(b, "r1"); len(x) != 1 || x[0].ProfileID != "" {
		t.Errorf("bookings of r1 = %+v, want b2 taken by nobody named", x)
	}
	var stored [][]byte
	for _, h := range b.MediaHashes() {
		m, err := c.Media(h)
		if err != nil {
			t.Fatalf("media %s: %v", h[:8], err)
		}
		stored = append(stored, m)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}

	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	var all [][]byte
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, data)
		if !bytes.Contains(data, []byte("Karen")) {
			t.Errorf("%s does not hold the permitted name Karen: the search below would prove nothing", filepath.Base(name))
		}
	}
	all = append(all, stored...)
	all = append(all, logs.Bytes())
	for i, data := range all {
		lower := bytes.ToLower(data)
		for _, c := range canaries {
			if bytes.Contains(lower, []byte(strings.ToLower(c))) {
				t.Errorf("canary %q found in %s", c, what(i, len(files), len(stored)))
			}
		}
		for _, h := range []string{anon, hidden, private} {
			if bytes.Contains(lower, []byte(h)) {
				t.Errorf("hash of a dropped image found in %s", what(i, len(files), len(stored)))
			}
		}
	}
}

func what(i, files, media int) string {
	switch {
	case i < files:
		return "the cache file"
	case i < files+media:
		return "a stored medium"
	}
	return "the log"
}

// withPNGText adds a tEXt chunk (metadata a camera or editor may write)
// after the PNG header.
func withPNGText(t testing.TB, p []byte, key, text string) []byte {
	t.Helper()
	const headerEnd = 8 + 4 + 4 + 13 + 4 // signature, IHDR length, type, data, CRC
	data := append([]byte(key+"\x00"), text...)
	var chunk bytes.Buffer
	binary.Write(&chunk, binary.BigEndian, uint32(len(data)))
	chunk.WriteString("tEXt")
	chunk.Write(data)
	binary.Write(&chunk, binary.BigEndian, crc32.ChecksumIEEE(append([]byte("tEXt"), data...)))
	out := append([]byte{}, p[:headerEnd]...)
	out = append(out, chunk.Bytes()...)
	return append(out, p[headerEnd:]...)
}

// withJPEGComment adds a COM segment after the start-of-image marker.
func withJPEGComment(t testing.TB, j []byte, text string) []byte {
	t.Helper()
	out := append([]byte{}, j[:2]...)
	out = append(out, 0xFF, 0xFE)
	out = binary.BigEndian.AppendUint16(out, uint16(len(text)+2))
	out = append(out, text...)
	return append(out, j[2:]...)
}
