package power

import (
	"fmt"
	"time"

	"skaerm/internal/config"
)

// Mode is what the schedule says about an instant.
type Mode int

// Schedule modes.
const (
	Free         Mode = iota // no rule: motion and touch decide
	ScheduledOff             // an "off" rule: dark unless woken
	ScheduledOn              // an "on" rule: lit regardless of idleness
)

func (m Mode) String() string {
	switch m {
	case ScheduledOff:
		return "scheduled off"
	case ScheduledOn:
		return "scheduled on"
	}
	return "free"
}

// Schedule is the parsed power.schedule: rules such as
// "mon-fri off 22:00-06:00" read in the department's time zone. Where rules
// overlap, the later one wins. The zero Schedule has no rules.
type Schedule struct {
	rules []rule
}

type rule struct {
	config.ScheduleRule
	text string
}

// ParseSchedule parses rules in the configuration's syntax (see
// config.ParseScheduleRule); an error names the rule by its number.
func ParseSchedule(lines []string) (Schedule, error) {
	var s Schedule
	for i, l := range lines {
		r, err := config.ParseScheduleRule(l)
		if err != nil {
			return Schedule{}, fmt.Errorf("power schedule rule %d: %w", i+1, err)
		}
		s.rules = append(s.rules, rule{ScheduleRule: r, text: l})
	}
	return s, nil
}

// span is one rule's stretch of wall-clock time starting on one date.
type span struct {
	from, to time.Time
	r        *rule
}

// spans lists the rules' spans that start on the dates from first to last
// days after t's date (in loc). Wall-clock times are resolved on each date,
// so a span is 1 hour shorter or longer across a DST change. A time that
// does not exist on a spring-forward night moves an hour later, as
// time.Date does.
func (s Schedule) spans(t time.Time, loc *time.Location, first, last int) []span {
	y, m, d := t.In(loc).Date()
	var out []span
	for off := first; off <= last; off++ {
		day := time.Date(y, m, d+off, 12, 0, 0, 0, loc)
		dy, dm, dd := day.Date()
		for i := range s.rules {
			r := &s.rules[i]
			if !r.Days[day.Weekday()] {
				continue
			}
			from := time.Date(dy, dm, dd, r.Start/60, r.Start%60, 0, 0, loc)
			endDay := dd
			if r.End <= r.Start {
				endDay++
			}
			to := time.Date(dy, dm, endDay, r.End/60, r.End%60, 0, 0, loc)
			if to.After(from) {
				out = append(out, span{from: from, to: to, r: r})
			}
		}
	}
	return out
}

// At reports the schedule's mode at t and the rule that decided it ("" in
// Free mode).
func (s Schedule) At(t time.Time, loc *time.Location) (Mode, string) {
	mode, text, best := Free, "", -1
	for _, sp := range s.spans(t, loc, -1, 0) {
		if t.Before(sp.from) || !t.Before(sp.to) {
			continue
		}
		if idx := s.index(sp.r); idx > best {
			best, text, mode = idx, sp.r.text, ScheduledOn
			if sp.r.Off {
				mode = ScheduledOff
			}
		}
	}
	return mode, text
}

func (s Schedule) index(r *rule) int {
	for i := range s.rules {
		if &s.rules[i] == r {
			return i
		}
	}
	return -1
}

// NextChange returns the first span start or end after t within the coming
// week, or the zero time when there are no rules. Not every boundary changes
// the mode (two rules may meet); re-evaluating there is harmless.
func (s Schedule) NextChange(t time.Time, loc *time.Location) time.Time {
	var next time.Time
	for _, sp := range s.spans(t, loc, -1, 8) {
		for _, b := range []time.Time{sp.from, sp.to} {
			if b.After(t) && (next.IsZero() || b.Before(next)) {
				next = b
			}
		}
	}
	return next
}

// Len is the number of rules.
func (s Schedule) Len() int { return len(s.rules) }
