package power

import (
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // Europe/Copenhagen wherever the tests run
)

func cph(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Copenhagen")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func mustSchedule(t *testing.T, rules ...string) Schedule {
	t.Helper()
	s, err := ParseSchedule(rules)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestParseScheduleErrors(t *testing.T) {
	tests := []struct {
		rules []string
		want  string
	}{
		{[]string{"daily off 22:00-06:00", "mon-fry off 22:00-06:00"}, "rule 2"},
		{[]string{"daily of 22:00-06:00"}, `"off" or "on"`},
		{[]string{"daily off 22:00"}, "time span"},
		{[]string{"daily off 25:00-06:00"}, "not a time"},
		{[]string{"daily off 06:00-06:00"}, "same time"},
		{[]string{"off 22:00-06:00"}, "<days>"},
	}
	for _, tt := range tests {
		_, err := ParseSchedule(tt.rules)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseSchedule(%q) error %v, want one mentioning %q", tt.rules, err, tt.want)
		}
	}
}

func TestScheduleAt(t *testing.T) {
	loc := cph(t)
	at := func(s string) time.Time {
		t.Helper()
		v, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	week := mustSchedule(t, "mon-fri off 22:00-06:00", "sat,sun off 23:00-08:00", "sun on 07:00-07:30")
	// 2026-11-23 is a Monday.
	tests := []struct {
		name string
		s    Schedule
		t    time.Time
		want Mode
	}{
		{"monday evening before", week, at("2026-11-23 21:59"), Free},
		{"monday 22:00", week, at("2026-11-23 22:00"), ScheduledOff},
		{"tuesday 05:59 (monday's span)", week, at("2026-11-24 05:59"), ScheduledOff},
		{"tuesday 06:00", week, at("2026-11-24 06:00"), Free},
		{"friday 23:30", week, at("2026-11-27 23:30"), ScheduledOff},
		{"saturday 06:30 (friday's span ended)", week, at("2026-11-28 06:30"), Free},
		{"saturday 22:30 (weekend starts later)", week, at("2026-11-28 22:30"), Free},
		{"sunday 07:00 (sunday on wins)", week, at("2026-11-29 07:00"), ScheduledOn},
		{"sunday 07:45 (saturday's span)", week, at("2026-11-29 07:45"), ScheduledOff},
		{"monday 07:00 (sunday's span until 08:00)", week, at("2026-11-30 07:00"), ScheduledOff},
		{"no rules", Schedule{}, at("2026-11-23 03:00"), Free},
		{"whole day", mustSchedule(t, "sun off 00:00-24:00"), at("2026-11-29 23:59"), ScheduledOff},
		{"whole day ends", mustSchedule(t, "sun off 00:00-24:00"), at("2026-11-30 00:00"), Free},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, rule := tt.s.At(tt.t, loc); got != tt.want {
				t.Fatalf("At(%s) = %s (%q), want %s", tt.t, got, rule, tt.want)
			}
		})
	}
	// The later of two overlapping rules wins, whichever way round.
	onLast := mustSchedule(t, "daily off 22:00-06:00", "daily on 05:00-06:00")
	offLast := mustSchedule(t, "daily on 05:00-06:00", "daily off 22:00-06:00")
	if m, _ := onLast.At(at("2026-11-24 05:30"), loc); m != ScheduledOn {
		t.Errorf("on rule listed last: %s", m)
	}
	if m, _ := offLast.At(at("2026-11-24 05:30"), loc); m != ScheduledOff {
		t.Errorf("off rule listed last: %s", m)
	}
}

// TestScheduleDST checks that spans follow the wall clock in Copenhagen on
// the nights the clocks change, where a UTC reading would be an hour off.
func TestScheduleDST(t *testing.T) {
	loc := cph(t)
	s := mustSchedule(t, "daily off 22:00-06:00")
	utc := func(y int, m time.Month, d, h, min int) time.Time { return time.Date(y, m, d, h, min, 0, 0, time.UTC) }
	tests := []struct {
		name string
		t    time.Time
		want Mode
	}{
		// Spring: 06:00 CEST on 29 March is 04:00 UTC.
		{"spring 05:30 CEST", utc(2026, 3, 29, 3, 30), ScheduledOff},
		{"spring 06:00 CEST", utc(2026, 3, 29, 4, 0), Free},
		{"spring 22:00 CEST", utc(2026, 3, 29, 20, 0), ScheduledOff},
		{"saturday 21:59 CET", utc(2026, 3, 28, 20, 59), Free},
		// Autumn: 06:00 CET on 25 October is 05:00 UTC.
		{"autumn 05:59 CET", utc(2026, 10, 25, 4, 59), ScheduledOff},
		{"autumn 06:00 CET", utc(2026, 10, 25, 5, 0), Free},
		{"autumn saturday 22:00 CEST", utc(2026, 10, 24, 20, 0), ScheduledOff},
	}
	for _, tt := range tests {
		if got, _ := s.At(tt.t, loc); got != tt.want {
			t.Errorf("%s: At(%s) = %s, want %s", tt.name, tt.t, got, tt.want)
		}
	}
	// The spring night is 7 hours long, the autumn one 9.
	for _, c := range []struct {
		evening time.Time
		long    time.Duration
	}{
		{time.Date(2026, 3, 28, 21, 0, 0, 0, loc), 7 * time.Hour},
		{time.Date(2026, 10, 24, 21, 0, 0, 0, loc), 9 * time.Hour},
	} {
		start := s.NextChange(c.evening, loc)
		end := s.NextChange(start, loc)
		if start.In(loc).Hour() != 22 || end.Sub(start) != c.long {
			t.Errorf("night from %s: %s to %s, want 22:00 and %s long", c.evening, start.In(loc), end.In(loc), c.long)
		}
	}
}

func TestScheduleNextChange(t *testing.T) {
	loc := cph(t)
	s := mustSchedule(t, "mon-fri off 22:00-06:00")
	// Friday night's span ends Saturday 06:00; the next starts Monday 22:00.
	sat := time.Date(2026, 11, 28, 6, 0, 0, 0, loc)
	if got, want := s.NextChange(sat, loc), time.Date(2026, 11, 30, 22, 0, 0, 0, loc); !got.Equal(want) {
		t.Fatalf("NextChange(%s) = %s, want %s", sat, got, want)
	}
	if got := (Schedule{}).NextChange(sat, loc); !got.IsZero() {
		t.Fatalf("empty schedule NextChange = %s, want zero", got)
	}
}
