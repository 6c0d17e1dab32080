package sync

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"skaerm/board"
)

// testNow is a Monday morning in Copenhagen (CET, +01:00).
var testNow = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

const (
	hashA = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	hashB = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
)

// doc builds a board document with the given profiles and other top-level
// members (each a JSON fragment such as `"news": [...]`).
func doc(profiles string, members ...string) string {
	s := `{"generated_at": "2026-11-23T06:00:00Z",
	 "department": {"id": "d1", "name": "Solsikken", "timezone": "Europe/Copenhagen", "locale": "da"},
	 "profiles": [` + profiles + `]`
	for _, m := range members {
		s += ",\n" + m
	}
	return s + "}"
}

// prof is a visible resident profile with the given extra members.
func prof(id, first string, extra ...string) string {
	s := `{"id": "` + id + `", "kind": "resident", "first_name": "` + first + `", "visible_on_screen": true`
	for _, e := range extra {
		s += ", " + e
	}
	return s + "}"
}

// act is an activity today 14:00-15:00 with the given sign-ups.
func act(id string, signups ...string) string {
	return actAt(id, "2026-11-23T14:00:00+01:00", signups...)
}

func actAt(id, start string, signups ...string) string {
	b, _ := json.Marshal(signups)
	if signups == nil {
		b = []byte("[]")
	}
	return `{"id": "` + id + `", "title": "Banko", "start": "` + start + `", "end": "` + start + `", "capacity": 12, "signup_open": true, "signups": ` + string(b) + `}`
}

func mustDecode(t *testing.T, s string) (*board.Board, []note, filterStats) {
	t.Helper()
	b, notes, stats, err := decode(strings.NewReader(s))
	if err != nil {
		t.Fatalf("decode: %v\n%s", err, s)
	}
	return b, notes, stats
}

func names(b *board.Board) map[string]string {
	m := map[string]string{}
	for _, p := range b.Profiles {
		m[p.ID] = p.Name
	}
	return m
}

// TestPolicy checks each rule of the privacy policy on its own.
func TestPolicy(t *testing.T) {
	tests := []struct {
		name  string
		doc   string
		check func(t *testing.T, b *board.Board, notes []note, st filterStats)
	}{
		{
			name: "first name, trimmed, when there is no alias",
			doc:  doc(prof("p1", "  Karen  ", `"last_name": "Jensen"`)),
			check: func(t *testing.T, b *board.Board, _ []note, _ filterStats) {
				if got := names(b)["p1"]; got != "Karen" {
					t.Errorf("name = %q, want Karen", got)
				}
			},
		},
		{
			name: "alias wins over first name",
			doc:  doc(prof("p1", "Karen", `"alias": "Mormor K"`)),
			check: func(t *testing.T, b *board.Board, _ []note, _ filterStats) {
				if got := names(b)["p1"]; got != "Mormor K" {
					t.Errorf("name = %q, want the alias", got)
				}
			},
		},
		{
			name: "anonymized: alias and no avatar",
			doc:  doc(prof("p1", "Karen", `"alias": "K", "anonymized": true, "avatar": {"sha256": "`+hashA+`"}`)),
			check: func(t *testing.T, b *board.Board, _ []note, st filterStats) {
				p, _ := b.Profile("p1")
				if p.Name != "K" || p.Avatar != "" || !p.Anonymized {
					t.Errorf("profile = %+v, want alias K, no avatar, anonymized", p)
				}
				if st.AnonymizedAvatars != 1 {
					t.Errorf("AnonymizedAvatars = %d, want 1", st.AnonymizedAvatars)
				}
			},
		},
		{
			name: "anonymized without alias: no name (the screen says its own word), never the first name",
			doc:  doc(prof("p1", "Karen", `"anonymized": true`) + `,{"id": "s1", "kind": "staff", "first_name": "Ole", "anonymized": true, "visible_on_screen": true}`),
			check: func(t *testing.T, b *board.Board, _ []note, _ filterStats) {
				n := names(b)
				if n["p1"] != "" || n["s1"] != "" {
					t.Errorf("names = %v, want none", n)
				}
			},
		},
		{
			name: "avatar kept for a visible, not anonymized profile",
			doc:  doc(prof("p1", "Karen", `"avatar": {"sha256": "`+strings.ToUpper(hashA)+`", "content_type": "image/jpeg"}`)),
			check: func(t *testing.T, b *board.Board, _ []note, _ filterStats) {
				if p, _ := b.Profile("p1"); p.Avatar != hashA {
					t.Errorf("avatar = %q, want the lower-case hash", p.Avatar)
				}
			},
		},
		{
			name: "hidden profile not kept, its sign-ups only counted",
			doc: doc(prof("p1", "Karen")+`,{"id": "p2", "kind": "resident", "first_name": "Hiddenname", "visible_on_screen": false}`,
				`"activities": [`+act("a1", "p1", "p2")+`]`),
			check: func(t *testing.T, b *board.Board, _ []note, st filterStats) {
				if _, ok := b.Profile("p2"); ok {
					t.Error("hidden profile kept")
				}
				s := b.Activities[0].Signups
				if len(s.IDs) != 1 || s.IDs[0] != "p1" || s.Hidden != 1 || s.Count() != 2 {
					t.Errorf("signups = %+v, want [p1] and 1 hidden", s)
				}
				if st.HiddenProfiles != 1 {
					t.Errorf("HiddenProfiles = %d", st.HiddenProfiles)
				}
			},
		},
		{
			name: "profile without visible_on_screen is hidden",
			doc:  doc(`{"id": "p1", "kind": "resident", "first_name": "Karen"}`, `"meals": [{"id": "m1", "kind": "lunch", "start": "2026-11-23T12:00:00+01:00", "menu": "Frikadeller", "signups": ["p1"]}]`),
			check: func(t *testing.T, b *board.Board, _ []note, _ filterStats) {
				if len(b.Profiles) != 0 || b.Meals[0].Signups.Hidden != 1 {
					t.Errorf("profiles = %v, meal signups = %+v", b.Profiles, b.Meals[0].Signups)
				}
			},
		},
		{
			name: "sign-up naming a profile not on the board is counted, never named",
			doc:  doc(prof("p1", "Karen"), `"activities": [`+act("a1", "p1", "ghost", "ghost", "")+`]`),
			check: func(t *testing.T, b *board.Board, _ []note, _ filterStats) {
				s := b.Activities[0].Signups
				if len(s.IDs) != 1 || s.Hidden != 1 {
					t.Errorf("signups = %+v, want [p1] and 1 hidden (duplicates and empty ids once/never)", s)
				}
			},
		},
		{
			name: "suggestion, booking and shift by a hidden profile keep their content without an author",
			doc: doc(`{"id": "h1", "kind": "staff", "first_name": "Hiddenname", "visible_on_screen": false}`,
				`"meetings": [{"id": "mt1", "title": "Husmøde", "start": "2026-11-24T10:00:00+01:00", "suggestions": [{"id": "s1", "profile_id": "h1", "text": "Tur til stranden"}]}]`,
				`"bookings": [{"id": "b1", "resource": "Minibussen", "start": "2026-11-24T10:00:00+01:00", "end": "2026-11-24T12:00:00+01:00", "profile_id": "h1"}]`,
				`"roster": [{"id": "r1", "profile_id": "h1", "role": "SSA", "shift": "day", "start": "2026-11-23T07:00:00+01:00", "end": "2026-11-23T15:00:00+01:00"}]`),
			check: func(t *testing.T, b *board.Board, _ []note, _ filterStats) {
				if s := b.Meetings[0].Suggestions[0]; s.ProfileID != "" || s.Text != "Tur til stranden" {
					t.Errorf("suggestion = %+v", s)
				}
				if x := b.Bookings[0]; x.ProfileID != "" || x.Resource != "Minibussen" {
					t.Errorf("booking = %+v", x)
				}
				if r := b.Roster[0]; r.ProfileID != "" || r.Role != "SSA" {
					t.Errorf("shift = %+v", r)
				}
			},
		},
		{
			name: "news only when visible on screen",
			doc: doc(``, `"news": [{"id": "n1", "title": "Shown", "published": "2026-11-20T08:00:00Z", "visible_on_screen": true},
				{"id": "n2", "title": "Draft", "visible_on_screen": false}, {"id": "n3", "title": "Unsaid"}]`),
			check: func(t *testing.T, b *board.Board, _ []note, st filterStats) {
				if len(b.News) != 1 || b.News[0].ID != "n1" || st.InvisibleNews != 2 {
					t.Errorf("news = %+v (invisible %d), want only n1", b.News, st.InvisibleNews)
				}
			},
		},
		{
			name: "gallery only when visible, tags dropped",
			doc: doc(prof("p1", "Karen"), `"gallery": [{"id": "g1", "caption": "Sommerfest", "image": {"sha256": "`+hashA+`"}, "visible_on_screen": true, "tagged": ["p1", "taggedhidden"]},
				{"id": "g2", "caption": "Private", "image": {"sha256": "`+hashB+`"}, "visible_on_screen": false}]`),
			check: func(t *testing.T, b *board.Board, _ []note, _ filterStats) {
				if len(b.Gallery) != 1 || b.Gallery[0].ID != "g1" || b.Gallery[0].Image != hashA {
					t.Fatalf("gallery = %+v, want only g1", b.Gallery)
				}
				out, _ := json.Marshal(b)
				if strings.Contains(string(out), "taggedhidden") || strings.Contains(string(out), "tagged") {
					t.Errorf("tags survived: %s", out)
				}
			},
		},
		{
			name: "time without an offset drops the item",
			doc:  doc(``, `"activities": [`+actAt("a1", "2026-11-23T14:00:00")+`,`+act("a2")+`]`),
			check: func(t *testing.T, b *board.Board, notes []note, _ filterStats) {
				if len(b.Activities) != 1 || b.Activities[0].ID != "a2" {
					t.Errorf("activities = %+v, want only a2", b.Activities)
				}
				if !hasNote(notes, "activity", "a1") {
					t.Errorf("notes = %+v, want one for a1", notes)
				}
			},
		},
		{
			name: "empty ids drop the item",
			doc:  doc(prof("", "Noid"), `"activities": [`+act("")+`,`+act("a2")+`]`),
			check: func(t *testing.T, b *board.Board, _ []note, _ filterStats) {
				if len(b.Profiles) != 0 || len(b.Activities) != 1 {
					t.Errorf("profiles = %v, activities = %v", b.Profiles, b.Activities)
				}
			},
		},
		{
			name: "duplicate ids: the first wins",
			doc:  doc(prof("p1", "First")+`,`+prof("p1", "Second"), `"activities": [`+act("a1", "p1")+`,`+actAt("a1", "2026-11-24T10:00:00+01:00")+`]`),
			check: func(t *testing.T, b *board.Board, notes []note, _ filterStats) {
				if len(b.Profiles) != 1 || b.Profiles[0].Name != "First" {
					t.Errorf("profiles = %+v, want the first", b.Profiles)
				}
				if len(b.Activities) != 1 || b.Activities[0].Signups.Count() != 1 {
					t.Errorf("activities = %+v, want the first", b.Activities)
				}
				if !hasNote(notes, "profile", "p1") || !hasNote(notes, "activity", "a1") {
					t.Errorf("notes = %+v", notes)
				}
			},
		},
		{
			name: "invalid UTF-8 repaired, control characters removed",
			doc:  doc(prof("p1", "Ka\xffren\\u0007"), `"activities": [{"id": "a1", "title": "Ban`+"\xfe"+`ko\r\nnu", "start": "2026-11-23T14:00:00+01:00"}]`),
			check: func(t *testing.T, b *board.Board, _ []note, _ filterStats) {
				if got := names(b)["p1"]; got != "Ka\uFFFDren" {
					t.Errorf("name = %q", got)
				}
				if got := b.Activities[0].Title; got != "Ban\uFFFDko nu" {
					t.Errorf("title = %q", got)
				}
			},
		},
		{
			name: "strings capped",
			doc: doc(prof("p1", strings.Repeat("Å", 100)), `"activities": [{"id": "a1", "title": "`+strings.Repeat("x", 500)+`", "description": "`+
				strings.Repeat("ord ", 3000)+`", "start": "2026-11-23T14:00:00+01:00"}]`),
			check: func(t *testing.T, b *board.Board, _ []note, _ filterStats) {
				a := b.Activities[0]
				for _, c := range []struct {
					s   string
					max int
				}{{names(b)["p1"], maxNameRunes}, {a.Title, maxTitleRunes}, {a.Description, maxTextRunes}} {
					if n := utf8.RuneCountInString(c.s); n > c.max || !strings.HasSuffix(c.s, "…") {
						t.Errorf("%d runes (max %d), ends %q", n, c.max, c.s[len(c.s)-8:])
					}
				}
			},
		},
		{
			name: "malformed hashes dropped",
			doc: doc(prof("p1", "Karen", `"avatar": {"sha256": "abc"}`), `"activities": [{"id": "a1", "title": "x", "start": "2026-11-23T14:00:00+01:00", "image": {"sha256": "`+strings.Repeat("g", 64)+`"}}]`,
				`"gallery": [{"id": "g1", "image": {"sha256": "../../etc/passwd"}, "visible_on_screen": true}]`),
			check: func(t *testing.T, b *board.Board, _ []note, _ filterStats) {
				if p, _ := b.Profile("p1"); p.Avatar != "" {
					t.Errorf("avatar = %q", p.Avatar)
				}
				if b.Activities[0].Image != "" || len(b.Gallery) != 0 {
					t.Errorf("image = %q, gallery = %v", b.Activities[0].Image, b.Gallery)
				}
				if len(b.MediaHashes()) != 0 {
					t.Errorf("media = %v", b.MediaHashes())
				}
			},
		},
		{
			name: "unknown enum values dropped, logged by id only",
			doc: doc(prof("p1", "Karen")+`,{"id": "p9", "kind": "robot", "first_name": "Robotname", "visible_on_screen": true}`,
				`"meals": [{"id": "m1", "kind": "brunch", "start": "2026-11-23T11:00:00+01:00", "menu": "Secretmenu"}, {"id": "m2", "kind": "lunch", "start": "2026-11-23T12:00:00+01:00"}]`,
				`"roster": [{"id": "r1", "shift": "graveyard", "start": "2026-11-23T07:00:00+01:00"}]`),
			check: func(t *testing.T, b *board.Board, notes []note, _ filterStats) {
				if len(b.Meals) != 1 || b.Meals[0].ID != "m2" || len(b.Roster) != 0 || len(b.Profiles) != 1 {
					t.Errorf("meals = %v, roster = %v, profiles = %v", b.Meals, b.Roster, b.Profiles)
				}
				for _, want := range []string{"m1", "r1", "p9"} {
					if !hasNote(notes, "", want) {
						t.Errorf("no note for %s: %+v", want, notes)
					}
				}
				out, _ := json.Marshal(notes)
				for _, leak := range []string{"brunch", "graveyard", "robot", "Robotname", "Secretmenu"} {
					if strings.Contains(string(out), leak) {
						t.Errorf("notes carry %q: %s", leak, out)
					}
				}
			},
		},
		{
			name: "department defaults: zone and locale",
			doc:  `{"department": {"id": "d1", "name": "Solsikken", "locale": "nb-NO"}}`,
			check: func(t *testing.T, b *board.Board, _ []note, _ filterStats) {
				if b.Department.Timezone != DefaultTimezone || b.Department.Locale != "nb" {
					t.Errorf("department = %+v", b.Department)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, notes, st := mustDecode(t, tt.doc)
			tt.check(t, b, notes, st)
		})
	}
}

func hasNote(notes []note, kind, id string) bool {
	for _, n := range notes {
		if (kind == "" || n.Kind == kind) && n.ID == id {
			return true
		}
	}
	return false
}

// TestDecodeRejects checks documents that are not boards: the error wraps
// ErrBadBoard and does not quote the document.
func TestDecodeRejects(t *testing.T) {
	tests := []struct{ name, doc string }{
		{"empty", ``},
		{"not JSON", `<html>captive portal Secretvalue</html>`},
		{"cut short", `{"department": {"id": "d1"`},
		{"null", `null`},
		{"no department", `{"profiles": []}`},
		{"department without id", `{"department": {"name": "x"}}`},
		{"unknown time zone", `{"department": {"id": "d1", "timezone": "Mars/Olympus"}}`},
		{"wrong type", `{"department": {"id": "d1"}, "activities": [{"id": "a1", "capacity": "Secretvalue"}]}`},
		{"data after the document", `{"department": {"id": "d1"}} {"Secretvalue": 1}`},
		{"generated_at without offset", `{"generated_at": "2026-11-23T06:00:00", "department": {"id": "d1"}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := Decode(strings.NewReader(tt.doc))
			if !errors.Is(err, ErrBadBoard) || b != nil {
				t.Fatalf("Decode = %v, %v; want ErrBadBoard", b, err)
			}
			if strings.Contains(err.Error(), "Secretvalue") {
				t.Errorf("error quotes the document: %v", err)
			}
		})
	}
}

func TestCleanText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"  a \t b  ", "a b"},
		{"line one\r\nline two\rline three", "line one\nline two\nline three"},
		{"para\n\n\n\nnext", "para\n\nnext"},
		{"\n\nlead", "lead"},
		{"zero\u200bwidth\u202eflip", "zerowidthflip"},
	}
	for _, tt := range tests {
		if got := cleanText(tt.in, 100); got != tt.want {
			t.Errorf("cleanText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// FuzzDecode checks Decode never panics and whatever it returns keeps the
// policy's shape: valid UTF-8, capped names, well-formed hashes, no hidden
// profile named in a sign-up or a booking; and the bookables' rules hold:
// slots within open and in order, at most maxSlotsPerDay a day, a booking
// of a bookable names one on the board, ends after it starts and overlaps
// no other booking of it.
func FuzzDecode(f *testing.F) {
	f.Add(doc(prof("p1", "Karen", `"avatar": {"sha256": "`+hashA+`"}`), `"activities": [`+act("a1", "p1", "p2")+`]`))
	f.Add(canaryBoard(hashA, hashB, hashA, hashB, hashA))
	f.Add(`{"department": {"id": "d1"}, "meals": [{"id": "m", "kind": "lunch", "start": "2026-11-23T12:00:00+01:00"}]}`)
	f.Add(bookDoc(nil, nil))
	f.Add(bookDoc([]string{fixed("r3", "00:00-24:00", "22:00-24:00", "09:00-08:00", "10:00-12:00", "11:00-13:00"),
		free("r4", 0, 30, 60, "07:00-22:00"), free("r8", 1, 1, 60, "00:00-24:00"), free("r9", 15, 15, 1<<40, "00:00-24:00")},
		[]string{bookingAt("b2", "r1", "14:00", "16:00", "p1"), bookingAt("b0", "r1", "13:00", "14:00", "h1"),
			bookingAt("b5", "r4", "12:00", "11:00", "p1"), bookingAt("b6", "r77", "10:00", "11:00", "p1")}))
	f.Add(`{"department": {"id": "d1"}, "bookables": [{"id": "r", "name": "x", "slots": "fixed", "slot_times": ["07:00-24:00"], "open": "00:00-24:00"}],
		"bookings": [{"id": "b", "resource_id": "r", "start": "2026-11-23T12:00:00+01:00", "end": "2026-11-23T13:00:00+01:00"}]}`)
	f.Fuzz(func(t *testing.T, s string) {
		b, err := Decode(strings.NewReader(s))
		if err != nil {
			if !errors.Is(err, ErrBadBoard) {
				t.Fatalf("error does not wrap ErrBadBoard: %v", err)
			}
			return
		}
		out, _ := json.Marshal(b)
		if !utf8.Valid(out) {
			t.Fatal("invalid UTF-8 in the board")
		}
		on := map[string]bool{}
		for _, p := range b.Profiles {
			on[p.ID] = true
			if utf8.RuneCountInString(p.Name) > maxNameRunes {
				t.Fatalf("name %q", p.Name)
			}
			if p.Anonymized && p.Avatar != "" {
				t.Fatal("anonymized profile with an avatar")
			}
		}
		for _, h := range b.MediaHashes() {
			if _, ok := cleanHash(h); !ok || h != strings.ToLower(h) {
				t.Fatalf("hash %q", h)
			}
		}
		for _, a := range b.Activities {
			for _, id := range a.Signups.IDs {
				if !on[id] {
					t.Fatalf("sign-up names %q, not on the board", id)
				}
			}
		}
		bookables := map[string]bool{}
		for _, r := range b.Bookables {
			bookables[r.ID] = true
			checkBookable(t, r)
		}
		for i, x := range b.Bookings {
			if x.ProfileID != "" && !on[x.ProfileID] {
				t.Fatalf("booking names %q, not on the board", x.ProfileID)
			}
			if !x.End.IsZero() && !x.End.After(x.Start) {
				t.Fatalf("booking %s ends before it starts", x.ID)
			}
			if x.ResourceID == "" {
				continue
			}
			if !bookables[x.ResourceID] || x.End.IsZero() {
				t.Fatalf("booking %s of %q: no such bookable, or no end", x.ID, x.ResourceID)
			}
			for _, y := range b.Bookings[i+1:] {
				if y.ResourceID == x.ResourceID && x.Start.Before(y.End) && y.Start.Before(x.End) {
					t.Fatalf("bookings %s and %s of %s overlap", x.ID, y.ID, x.ResourceID)
				}
			}
		}
	})
}

// checkBookable fails t unless r keeps the rules a screen relies on.
func checkBookable(t *testing.T, r board.Bookable) {
	t.Helper()
	span := func(c board.ClockSpan) bool { return 0 <= c.From && c.From < c.To && c.To <= 24*60 }
	if !span(r.Open) || r.Name == "" || utf8.RuneCountInString(r.Name) > maxTitleRunes || r.MaxAheadDays < 0 ||
		r.MaxPerWeek < 0 || r.CancelUntilMinutes < 0 || r.CancelUntilMinutes > maxCancelMinutes {
		t.Fatalf("bookable %+v", r)
	}
	switch r.Slots {
	case board.FixedSlots:
		if len(r.SlotTimes) == 0 || len(r.SlotTimes) > maxSlotsPerDay {
			t.Fatalf("fixed bookable %s with %d slot times", r.ID, len(r.SlotTimes))
		}
		for i, c := range r.SlotTimes {
			if !span(c) || c.From < r.Open.From || c.To > r.Open.To || i > 0 && c.From < r.SlotTimes[i-1].To {
				t.Fatalf("bookable %s: slot %v out of open %v or out of order", r.ID, c, r.Open)
			}
		}
	case board.FreeSlots:
		if r.GridMinutes <= 0 || (r.Open.To-r.Open.From)/r.GridMinutes > maxSlotsPerDay || r.GridMinutes > r.Open.To-r.Open.From ||
			r.MinMinutes <= 0 || r.MinMinutes > r.MaxMinutes || r.MaxMinutes > maxBookingMinutes {
			t.Fatalf("free bookable %+v", r)
		}
	default:
		t.Fatalf("bookable %s: slots %q", r.ID, r.Slots)
	}
}
