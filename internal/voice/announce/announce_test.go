package announce

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"skaerm/board"
	"skaerm/internal/clock"
)

var cph = func() *time.Location {
	l, err := time.LoadLocation("Europe/Copenhagen")
	if err != nil {
		panic(err)
	}
	return l
}()

func at(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.ParseInLocation("2006-01-02 15:04", s, cph)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func quiet(t *testing.T, s string) *board.DaySpan {
	t.Helper()
	d, err := board.ParseDaySpan(s)
	if err != nil {
		t.Fatal(err)
	}
	return &d
}

// home is a department that announces ten minutes before, quiet from
// 20:30 to 08:00, with a knitting club and a lunch.
func home(t *testing.T, knitting string) *board.Board {
	t.Helper()
	return &board.Board{
		Department: board.Department{ID: "d1", Timezone: "Europe/Copenhagen", Locale: "da",
			Announcements: &board.Announcements{Enabled: true, BeforeMinutes: 10, Quiet: quiet(t, "20:30-08:00")}},
		Profiles: []board.Profile{{ID: "p1", Kind: board.Resident, Name: "Inger"}},
		Activities: []board.Activity{{ID: "a1", Title: "Strikkeklub", Location: "Dagligstuen", Start: at(t, knitting),
			Signups: board.Signups{IDs: []string{"p1"}}}},
		Meals: []board.Meal{{ID: "m1", Kind: board.Lunch, Start: at(t, "2026-12-01 12:00"), Menu: "Boller i karry",
			Signups: board.Signups{IDs: []string{"p1"}}}},
	}
}

// texts is what a decision says, in order.
func texts(d Decision) []string {
	var out []string
	for _, a := range d.Say {
		out = append(out, a.Text)
	}
	return out
}

func check(t *testing.T, what string, d Decision, next time.Time, say ...string) {
	t.Helper()
	if got := strings.Join(texts(d), " | "); got != strings.Join(say, " | ") {
		t.Errorf("%s: says %q, want %q", what, got, strings.Join(say, " | "))
	}
	if !d.Next.Equal(next) {
		t.Errorf("%s: next %s, want %s", what, d.Next.In(cph), next.In(cph))
	}
}

// A day on the fake clock: each item is said once, before_minutes before
// it starts, and never names a person.
func TestDayOnTheClock(t *testing.T) {
	b := home(t, "2026-12-01 14:00")
	c := clock.NewFake(at(t, "2026-12-01 09:00"))
	said := &Said{}
	var heard []string
	for range 10 {
		d := Decide(Inputs{Now: c.Now(), Board: b, Said: said})
		for _, a := range d.Say {
			heard = append(heard, c.Now().In(cph).Format("15:04")+" "+a.Text)
			said.Add(a)
		}
		if d.Next.IsZero() {
			break
		}
		c.Set(d.Next)
	}
	want := []string{
		"11:50 Om ti minutter: Frokost.",
		"13:50 Om ti minutter: Strikkeklub i Dagligstuen.",
	}
	if strings.Join(heard, "\n") != strings.Join(want, "\n") {
		t.Fatalf("heard:\n%s\nwant:\n%s", strings.Join(heard, "\n"), strings.Join(want, "\n"))
	}
	for _, h := range heard {
		if strings.Contains(h, "Inger") {
			t.Errorf("an announcement names a resident: %q", h)
		}
	}
}

func TestQuietHoursAcrossMidnight(t *testing.T) {
	for _, c := range []struct {
		name, knitting, now, next string
		say                       []string
	}{
		{"due in the evening quiet: never", "2026-12-01 21:00", "2026-12-01 20:50", "", nil},
		{"due after midnight, in the quiet", "2026-12-02 00:30", "2026-12-02 00:20", "", nil},
		{"due just before the quiet: said", "2026-12-01 20:35", "2026-12-01 20:25", "", []string{"Om ti minutter: Strikkeklub i Dagligstuen."}},
		{"starts as the quiet ends: never", "2026-12-02 08:00", "2026-12-02 07:50", "", nil},
		{"due in the morning quiet: said when it ends", "2026-12-02 08:05", "2026-12-02 07:55", "2026-12-02 08:00", nil},
		{"at the end of the quiet, with the minutes left", "2026-12-02 08:05", "2026-12-02 08:00", "", []string{"Om fem minutter: Strikkeklub i Dagligstuen."}},
		{"looking at night for the morning", "2026-12-02 08:30", "2026-12-01 23:00", "2026-12-02 08:20", nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			b := home(t, c.knitting)
			b.Meals = nil
			var next time.Time
			if c.next != "" {
				next = at(t, c.next)
			}
			check(t, c.name, Decide(Inputs{Now: at(t, c.now), Board: b}), next, c.say...)
		})
	}
}

// The lead time is real minutes and the quiet hours are the wall clock, on
// the days the clocks change too.
func TestDaylightSavingTime(t *testing.T) {
	// 29 March 2026: 02:00 CET becomes 03:00 CEST. An item at 03:05 CEST
	// is due at 01:55 CET, ten real minutes before.
	b := home(t, "2026-03-29 03:05")
	b.Meals = nil
	b.Department.Announcements.Quiet = nil
	start := b.Activities[0].Start
	if got := start.UTC().Format("15:04"); got != "01:05" {
		t.Fatalf("03:05 CEST is %s UTC", got)
	}
	due := time.Date(2026, 3, 29, 0, 55, 0, 0, time.UTC)
	check(t, "spring, before", Decide(Inputs{Now: due.Add(-time.Hour), Board: b}), due)
	check(t, "spring, due", Decide(Inputs{Now: due, Board: b}), time.Time{}, "Om ti minutter: Strikkeklub i Dagligstuen.")

	// The quiet hours end at 08:00 on the wall clock: 06:00 UTC on the
	// first day of summer time, 07:00 UTC on the first day of winter time.
	for _, c := range []struct{ day, endUTC string }{{"2026-03-29", "06:00"}, {"2026-10-25", "07:00"}} {
		b := home(t, c.day+" 08:05")
		b.Meals = nil
		d := Decide(Inputs{Now: at(t, c.day+" 07:55"), Board: b})
		if got := d.Next.UTC().Format("15:04"); got != c.endUTC || len(d.Say) != 0 {
			t.Errorf("%s: next %s UTC, says %q; want %s UTC and nothing", c.day, got, texts(d), c.endUTC)
		}
	}
}

// Staff move the activity: the plan follows the board, and an activity
// moved after it was announced is announced again for its new time.
func TestBoardChangeMovesActivity(t *testing.T) {
	said := &Said{}
	b := home(t, "2026-12-01 14:00")
	b.Meals = nil
	check(t, "before the change", Decide(Inputs{Now: at(t, "2026-12-01 13:00"), Board: b, Said: said}), at(t, "2026-12-01 13:50"))
	moved := home(t, "2026-12-01 15:00")
	moved.Meals = nil
	check(t, "old time, new board", Decide(Inputs{Now: at(t, "2026-12-01 13:50"), Board: moved, Said: said}), at(t, "2026-12-01 14:50"))
	d := Decide(Inputs{Now: at(t, "2026-12-01 14:50"), Board: moved, Said: said})
	check(t, "new time", d, time.Time{}, "Om ti minutter: Strikkeklub i Dagligstuen.")
	said.Add(d.Say[0])
	again := home(t, "2026-12-01 15:30")
	again.Meals = nil
	check(t, "moved after it was said", Decide(Inputs{Now: at(t, "2026-12-01 14:55"), Board: again, Said: said}), at(t, "2026-12-01 15:20"))
}

// What was said survives a restart through a file, and the file holds ids
// and times, never a title, a place or a name.
func TestNoDoubleAnnouncementAfterRestart(t *testing.T) {
	b := home(t, "2026-12-01 14:00")
	b.Meals = nil
	said := &Said{}
	d := Decide(Inputs{Now: at(t, "2026-12-01 13:50"), Board: b, Said: said})
	if len(d.Say) != 1 {
		t.Fatalf("says %q, want one announcement", texts(d))
	}
	said.Add(d.Say[0])
	path := filepath.Join(t.TempDir(), "said.json")
	data, err := json.Marshal(said)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, word := range []string{"Strikkeklub", "Dagligstuen", "Inger", "Om ti"} {
		if strings.Contains(string(data), word) {
			t.Errorf("the record holds %q: %s", word, data)
		}
	}

	// A new process, two minutes later.
	read, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var after Said
	if err := json.Unmarshal(read, &after); err != nil {
		t.Fatal(err)
	}
	now := at(t, "2026-12-01 13:52")
	check(t, "after the restart", Decide(Inputs{Now: now, Board: b, Said: &after}), time.Time{})
	check(t, "without the record", Decide(Inputs{Now: now, Board: b, Said: &Said{}}), time.Time{}, "Om otte minutter: Strikkeklub i Dagligstuen.")

	// A day later the record is pruned of the past.
	after.Prune(at(t, "2026-12-02 15:00"))
	if len(after.Items) != 0 {
		t.Errorf("after a day the record still holds %v", after.Items)
	}
}

func TestNothingSaid(t *testing.T) {
	now := at(t, "2026-12-01 13:50")
	for _, c := range []struct {
		name string
		in   func(b *board.Board) Inputs
	}{
		{"the screen says off", func(b *board.Board) Inputs { return Inputs{Now: now, Board: b, Off: true} }},
		{"the department has them off", func(b *board.Board) Inputs {
			b.Department.Announcements.Enabled = false
			return Inputs{Now: now, Board: b}
		}},
		{"the department says nothing", func(b *board.Board) Inputs {
			b.Department.Announcements = nil
			return Inputs{Now: now, Board: b}
		}},
		{"no board", func(*board.Board) Inputs { return Inputs{Now: now} }},
		{"starting in under a minute", func(b *board.Board) Inputs {
			return Inputs{Now: at(t, "2026-12-01 13:59").Add(30 * time.Second), Board: b}
		}},
	} {
		b := home(t, "2026-12-01 14:00")
		b.Meals = nil
		check(t, c.name, Decide(c.in(b)), time.Time{})
	}
}

// While the display is off by its schedule nothing is said; when it comes
// on before the item starts, the item is said with the minutes left.
func TestDisplayOffBySchedule(t *testing.T) {
	b := home(t, "2026-12-01 14:00")
	b.Meals = nil
	check(t, "off", Decide(Inputs{Now: at(t, "2026-12-01 13:50"), Board: b, ScheduledOff: true}), time.Time{})
	check(t, "on again", Decide(Inputs{Now: at(t, "2026-12-01 13:53"), Board: b}), time.Time{}, "Om syv minutter: Strikkeklub i Dagligstuen.")
}

// TestUrgentNoticeSaidOnce: an urgent notice is read once while shown,
// first of all that is due; an info notice is not read; in quiet hours one
// waits for their end (and is not said if it has ended by then) unless it
// wakes the display; while the display is off by its schedule only a waking
// one is said; with the department's announcements off it is still said.
func TestUrgentNoticeSaidOnce(t *testing.T) {
	water := board.Notice{ID: "u1", Level: board.NoticeUrgent, Title: "Vandet er lukket", Body: "Der er ingen vand i dag fra 10 til 12.",
		From: at(t, "2026-12-01 09:50"), Until: at(t, "2026-12-01 12:00")}
	b := home(t, "2026-12-01 10:00")
	b.Notices = []board.Notice{water, {ID: "u2", Level: board.NoticeInfo, Title: "Frisøren er syg", From: water.From, Until: water.Until}}
	said := &Said{}
	d := Decide(Inputs{Now: at(t, "2026-12-01 09:50"), Board: b, Said: said})
	if got := texts(d); len(got) != 2 || got[0] != "Vigtig besked: Vandet er lukket. Der er ingen vand i dag fra 10 til 12." || !strings.HasPrefix(got[1], "Om ti minutter") {
		t.Fatalf("at 09:50: %q, want the urgent notice, then the knitting club", got)
	}
	for _, a := range d.Say {
		said.Add(a)
	}
	if got := texts(Decide(Inputs{Now: at(t, "2026-12-01 10:30"), Board: b, Said: said})); len(got) != 0 {
		t.Errorf("said again: %q", got)
	}

	// Posted in the night: said when the quiet hours end, at 08:00.
	night := water
	night.From, night.Until = at(t, "2026-12-01 06:00"), at(t, "2026-12-01 09:00")
	b.Notices = []board.Notice{night}
	d = Decide(Inputs{Now: at(t, "2026-12-01 06:00"), Board: b, Said: &Said{}})
	if len(d.Say) != 0 || !d.Next.Equal(at(t, "2026-12-01 08:00")) {
		t.Errorf("in quiet hours: said %q, next %s, want nothing until 08:00", texts(d), d.Next)
	}
	if got := texts(Decide(Inputs{Now: at(t, "2026-12-01 08:00"), Board: b, Said: &Said{}})); len(got) != 1 {
		t.Errorf("at the end of quiet hours: %q, want the notice", got)
	}
	gone := night
	gone.Until = at(t, "2026-12-01 07:00")
	b.Notices = []board.Notice{gone}
	// The next thing to say is the knitting club, at 09:50.
	if d := Decide(Inputs{Now: at(t, "2026-12-01 06:00"), Board: b, Said: &Said{}}); len(d.Say) != 0 || !d.Next.Equal(at(t, "2026-12-01 09:50")) {
		t.Errorf("a notice ending in quiet hours: said %q, next %s, want nothing and the knitting club next", texts(d), d.Next)
	}
	woke := night
	woke.Wake = true
	b.Notices = []board.Notice{woke}
	if got := texts(Decide(Inputs{Now: at(t, "2026-12-01 06:00"), Board: b, ScheduledOff: true, Said: &Said{}})); len(got) != 1 {
		t.Errorf("a waking notice in the night: %q, want it at once", got)
	}
	b.Notices = []board.Notice{night}
	if got := texts(Decide(Inputs{Now: at(t, "2026-12-01 08:30"), Board: b, ScheduledOff: true, Said: &Said{}})); len(got) != 0 {
		t.Errorf("the display off by its schedule: %q, want nothing", got)
	}
	b.Department.Announcements.Enabled = false
	if got := texts(Decide(Inputs{Now: at(t, "2026-12-01 08:30"), Board: b, Said: &Said{}})); len(got) != 1 {
		t.Errorf("announcements off in the department: %q, want the notice still", got)
	}
}
