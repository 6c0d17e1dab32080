package sync

import (
	"strings"
	"testing"

	"skaerm/board"
)

// audioDoc is a board whose department carries announcements ann (JSON,
// "" for none) and whose activity, meal, meeting and news each carry the
// recording rec (JSON, "" for none).
func audioDoc(ann, rec string) string {
	dept := `"department": {"id": "d1", "name": "Solsikken", "timezone": "Europe/Copenhagen", "locale": "da"`
	if ann != "" {
		dept += `, "announcements": ` + ann
	}
	dept += "}"
	audio := ""
	if rec != "" {
		audio = `, "audio": ` + rec
	}
	return `{"generated_at": "2026-11-23T06:00:00Z", ` + dept + `, "profiles": [` + prof("p1", "Karen") + `],
	"activities": [{"id": "a1", "title": "Banko", "start": "2026-11-23T14:00:00+01:00", "signups": ["p1"]` + audio + `}],
	"meals": [{"id": "m1", "kind": "lunch", "start": "2026-11-23T12:00:00+01:00", "menu": "Suppe"` + audio + `}],
	"meetings": [{"id": "mt1", "title": "Husmøde", "start": "2026-11-23T10:00:00+01:00"` + audio + `}],
	"news": [{"id": "n1", "title": "Julefrokost", "visible_on_screen": true` + audio + `}]}`
}

const goodHash = "9f86d081884c7d659a2feb15b0bf8a7e4f3e0bdc0a8c4bb2a0b94bf3e9f6f5d4"

func TestDecodeAnnouncementsAndRecordings(t *testing.T) {
	b, notes, _ := mustDecode(t, audioDoc(`{"enabled": true, "before_minutes": 15, "quiet": "20:30-08:00", "voice": "x"}`,
		`{"sha256": "`+strings.ToUpper(goodHash)+`", "content_type": "audio/mpeg", "seconds": 14, "speaker": "Karen Jensen"}`))
	if len(notes) != 0 {
		t.Errorf("notes %+v", notes)
	}
	want := &board.Announcements{Enabled: true, BeforeMinutes: 15, Quiet: &board.DaySpan{From: 20*60 + 30, To: 8 * 60}}
	if got := jsonOf(t, b.Department.Announcements); got != jsonOf(t, want) {
		t.Errorf("announcements\n got %s\nwant %s", got, jsonOf(t, want))
	}
	rec := &board.Audio{SHA256: goodHash, ContentType: "audio/mpeg", Seconds: 14}
	for what, got := range map[string]*board.Audio{"activity": b.Activities[0].Audio, "meal": b.Meals[0].Audio,
		"meeting": b.Meetings[0].Audio, "news": b.News[0].Audio} {
		if jsonOf(t, got) != jsonOf(t, rec) {
			t.Errorf("%s audio %s, want %s", what, jsonOf(t, got), jsonOf(t, rec))
		}
	}
	// Unknown members are not kept: a recording's speaker is a full name.
	for _, s := range []string{"Jensen", "speaker", "voice"} {
		if strings.Contains(jsonOf(t, b), s) {
			t.Errorf("the board keeps %q", s)
		}
	}
	// Without before_minutes the lead is ten minutes; without quiet, none.
	b, notes, _ = mustDecode(t, audioDoc(`{"enabled": true}`, ""))
	if a := b.Department.Announcements; a == nil || a.BeforeMinutes != 10 || a.Quiet != nil || len(notes) != 0 {
		t.Errorf("defaults: %s, notes %+v", jsonOf(t, a), notes)
	}
	// Absent: nothing, no note.
	b, notes, _ = mustDecode(t, audioDoc("", ""))
	if b.Department.Announcements != nil || b.Activities[0].Audio != nil || len(notes) != 0 {
		t.Errorf("absent: %s, notes %+v", jsonOf(t, b.Department), notes)
	}
}

// A bad announcements setting is dropped whole (a screen that cannot tell
// its quiet hours stays quiet); the board is kept.
func TestDecodeRefusesBadAnnouncements(t *testing.T) {
	for _, tc := range []struct{ name, ann, reason string }{
		{"no lead", `{"enabled": true, "before_minutes": 0}`, "before_minutes 0"},
		{"negative lead", `{"enabled": true, "before_minutes": -5}`, "before_minutes -5"},
		{"a day's lead", `{"enabled": true, "before_minutes": 1440}`, "before_minutes 1440"},
		{"quiet in words", `{"enabled": true, "quiet": "om natten"}`, "quiet"},
		{"quiet at 25 o'clock", `{"enabled": true, "quiet": "25:00-08:00"}`, "quiet"},
		{"quiet of no length", `{"enabled": true, "quiet": "08:00-08:00"}`, "quiet"},
		{"quiet without the end", `{"enabled": true, "quiet": "20:30"}`, "quiet"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, notes, stats := mustDecode(t, audioDoc(tc.ann, ""))
			if b.Department.Announcements != nil {
				t.Errorf("kept %s", jsonOf(t, b.Department.Announcements))
			}
			if len(b.Activities) != 1 || len(b.Meals) != 1 {
				t.Errorf("the rest of the board was lost")
			}
			if len(notes) != 1 || notes[0].Kind != "announcements" || !strings.Contains(notes[0].Reason, tc.reason) || stats.DroppedItems != 1 {
				t.Errorf("notes %+v, want one announcements note saying %q", notes, tc.reason)
			}
		})
	}
	// The wrong type is the board's problem, as for any member.
	if _, _, _, err := decode(strings.NewReader(audioDoc(`{"enabled": "yes"}`, ""))); err == nil {
		t.Error("announcements with enabled as text decoded")
	}
}

// A recording that breaks the contract is dropped with a note; the item is
// kept, to be read by the speech engine.
func TestDecodeRefusesBadRecordings(t *testing.T) {
	for _, tc := range []struct{ name, rec, reason string }{
		{"short hash", `{"sha256": "abc", "content_type": "audio/mpeg", "seconds": 14}`, "hash"},
		{"video", `{"sha256": "` + goodHash + `", "content_type": "video/mp4", "seconds": 14}`, "content_type"},
		{"no type", `{"sha256": "` + goodHash + `", "seconds": 14}`, "content_type"},
		{"ten minutes", `{"sha256": "` + goodHash + `", "content_type": "audio/wav", "seconds": 600}`, "600 seconds"},
		{"no length", `{"sha256": "` + goodHash + `", "content_type": "audio/ogg"}`, "0 seconds"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, notes, _ := mustDecode(t, audioDoc("", tc.rec))
			if len(b.Activities) != 1 || len(b.Meals) != 1 || len(b.Meetings) != 1 || len(b.News) != 1 {
				t.Fatalf("items lost: %s", jsonOf(t, b))
			}
			if b.Activities[0].Audio != nil || b.Meals[0].Audio != nil || b.Meetings[0].Audio != nil || b.News[0].Audio != nil {
				t.Errorf("a bad recording was kept")
			}
			if len(notes) != 4 || !strings.Contains(notes[0].Reason, tc.reason) {
				t.Errorf("notes %+v, want four saying %q", notes, tc.reason)
			}
		})
	}
}

// A backend that does not offer audio (a plain v1 backend, or v1.1
// without the feature) gets neither recordings nor announcements read.
func TestAudioOnlyWhenOffered(t *testing.T) {
	d := audioDoc(`{"enabled": true, "before_minutes": 10}`, `{"sha256": "`+goodHash+`", "content_type": "audio/mpeg", "seconds": 14}`)
	b, _, _, err := decodeWith(strings.NewReader(d), decodeOptions{Weather: true})
	if err != nil {
		t.Fatal(err)
	}
	if b.Department.Announcements != nil || b.Activities[0].Audio != nil {
		t.Errorf("audio read from a backend that does not offer it: %s", jsonOf(t, b))
	}
}

func TestParseDaySpan(t *testing.T) {
	for in, want := range map[string]board.DaySpan{
		"20:30-08:00": {From: 1230, To: 480},
		"12:00-13:30": {From: 720, To: 810},
		"00:00-23:59": {From: 0, To: 1439},
	} {
		got, err := board.ParseDaySpan(in)
		if err != nil || got != want || got.String() != in {
			t.Errorf("%q = %+v (%s), %v; want %+v", in, got, got.String(), err, want)
		}
	}
	for _, bad := range []string{"", "20:30", "20:30-8:00", "20:30 - 08:00", "20:60-08:00", "24:00-08:00", "-1:00-08:00", "20:30-08:00x"} {
		if _, err := board.ParseDaySpan(bad); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
}
