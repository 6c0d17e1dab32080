package sync

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"skaerm/board"
)

// noticeAt is a notice JSON on 23 November from..to (HH:MM, Copenhagen).
func noticeAt(id, level, title, from, to string) string {
	return fmt.Sprintf(`{"id": %q, "level": %q, "title": %q, "body": "Der er ingen vand i Solsikken i dag.", "from": "2026-11-23T%s:00+01:00", "until": "2026-11-23T%s:00+01:00", "wake": true}`,
		id, level, title, from, to)
}

// noticeDoc is a board with Karen, an activity and the notices.
func noticeDoc(notices ...string) string {
	return doc(prof("p1", "Karen"), `"activities": [`+act("a1", "p1")+`]`, `"notices": [`+strings.Join(notices, ",")+`]`)
}

func noticeIDs(b *board.Board) string {
	var out []string
	for _, n := range b.Notices {
		out = append(out, n.ID+":"+string(n.Level))
	}
	return strings.Join(out, ",")
}

func TestDecodeNotices(t *testing.T) {
	b, notes, _ := mustDecode(t, noticeDoc(noticeAt("u1", "urgent", "Vandet er lukket", "10:00", "12:00"), noticeAt("u2", "info", "Frisøren er syg", "08:00", "18:00")))
	if noticeIDs(b) != "u1:urgent,u2:info" || len(notes) != 0 {
		t.Fatalf("notices %s, notes %+v", noticeIDs(b), notes)
	}
	n := b.Notices[0]
	loc := b.Location()
	if n.Title != "Vandet er lukket" || n.Body == "" || !n.Wake || !n.From.Equal(time.Date(2026, 11, 23, 10, 0, 0, 0, loc)) || !n.Until.Equal(time.Date(2026, 11, 23, 12, 0, 0, 0, loc)) {
		t.Errorf("notice %+v", n)
	}
	at := func(h, m int) time.Time { return time.Date(2026, 11, 23, h, m, 0, 0, loc) }
	if got := b.NoticesAt(at(11, 0)); len(got) != 2 || got[0].ID != "u1" {
		t.Errorf("at 11:00: %+v, want the urgent one first", got)
	}
	if got := b.NoticesAt(at(12, 0)); len(got) != 1 || got[0].ID != "u2" {
		t.Errorf("at 12:00 (u1's until): %+v, want u2 alone", got)
	}
	if next := b.NextNoticeChange(at(11, 0)); !next.Equal(at(12, 0)) {
		t.Errorf("next change after 11:00: %s, want 12:00", next)
	}
	if next := b.NextNoticeChange(at(18, 0)); !next.IsZero() {
		t.Errorf("next change after the last: %s", next)
	}
}

// TestDecodeNoticesBadInput: each bad notice gets a note and costs only
// itself; the rest of the board is kept.
func TestDecodeNoticesBadInput(t *testing.T) {
	long := strings.Repeat("Vandet er lukket i hele huset ", 40)
	tests := []struct {
		name     string
		notice   string
		want     string // notice ids:level kept
		noteSays string
	}{
		{"until before from", noticeAt("u1", "urgent", "Brandøvelse", "14:00", "13:00"), "", "until is not after from"},
		{"until equal to from", noticeAt("u1", "info", "Brandøvelse", "14:00", "14:00"), "", "until is not after from"},
		{"no until", `{"id": "u1", "level": "info", "title": "Brandøvelse", "from": "2026-11-23T14:00:00+01:00"}`, "", "no until"},
		{"until not a time", `{"id": "u1", "level": "info", "title": "Brandøvelse", "until": "i morgen"}`, "", "until is not a time"},
		{"no title and no body", `{"id": "u1", "level": "info", "until": "2026-11-23T14:00:00+01:00"}`, "", "neither title nor body"},
		{"no title: the body alone", `{"id": "u1", "level": "info", "body": "Frisøren er syg i dag", "until": "2026-11-23T14:00:00+01:00"}`, "u1:info", "no title"},
		{"an unknown level is shown as info", noticeAt("u1", "critical", "Brandøvelse", "13:00", "14:00"), "u1:info", "neither info nor urgent"},
		{"a title longer than the screen holds is cut", noticeAt("u1", "urgent", long, "13:00", "14:00"), "u1:urgent", "text cut"},
		{"a field of the wrong type", `{"id": "u1", "level": "info", "title": 7, "until": "2026-11-23T14:00:00+01:00"}`, "", "notices[0]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, notes, _ := mustDecode(t, noticeDoc(tc.notice))
			if got := noticeIDs(b); got != tc.want {
				t.Errorf("notices %q, want %q", got, tc.want)
			}
			if len(b.Activities) != 1 || len(b.Profiles) != 1 {
				t.Errorf("the rest of the board lost: %d activities, %d profiles", len(b.Activities), len(b.Profiles))
			}
			if !hasNoteSaying(notes, "notice", "u1", tc.noteSays) && !hasNoteSaying(notes, "notice", "", tc.noteSays) {
				t.Errorf("notes %+v, want one saying %q", notes, tc.noteSays)
			}
			for _, n := range b.Notices {
				if len([]rune(n.Title)) > maxNoticeTitle || len([]rune(n.Body)) > maxNoticeBody {
					t.Errorf("notice of %d+%d runes kept", len([]rune(n.Title)), len([]rune(n.Body)))
				}
			}
		})
	}
}

// TestDecodeFiftyNotices: of 50 notices at once, maxNotices are kept,
// every urgent one among them, and the rest each get a note.
func TestDecodeFiftyNotices(t *testing.T) {
	var ns []string
	for i := range 50 {
		level := "info"
		if i%10 == 9 {
			level = "urgent"
		}
		ns = append(ns, noticeAt(fmt.Sprintf("u%02d", i), level, "Besked", "08:00", "18:00"))
	}
	b, notes, _ := mustDecode(t, noticeDoc(ns...))
	if len(b.Notices) != maxNotices {
		t.Fatalf("%d notices kept, want %d", len(b.Notices), maxNotices)
	}
	urgent := 0
	for _, n := range b.Notices {
		if n.Level == board.NoticeUrgent {
			urgent++
		}
	}
	if urgent != 5 || len(b.Activities) != 1 {
		t.Errorf("%d urgent kept of 5, %d activities", urgent, len(b.Activities))
	}
	dropped := 0
	for _, n := range notes {
		if n.Kind == "notice" && strings.Contains(n.Reason, "more than") {
			dropped++
		}
	}
	if dropped != 50-maxNotices {
		t.Errorf("%d notes on dropped notices, want %d", dropped, 50-maxNotices)
	}
}

// TestDecodeNoticesOnlyWhenOffered: a backend that does not name notices
// has none for the screen.
func TestDecodeNoticesOnlyWhenOffered(t *testing.T) {
	b, notes, _, err := decodeWith(strings.NewReader(noticeDoc(noticeAt("u1", "urgent", "Brandøvelse", "13:00", "14:00"))), decodeOptions{Weather: true, Audio: true, Bookables: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Notices) != 0 || len(notes) != 0 {
		t.Errorf("notices %v, notes %+v: want none", b.Notices, notes)
	}
}
