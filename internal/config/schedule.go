package config

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ScheduleRule is one parsed power.schedule rule such as
// "mon-fri off 22:00-06:00": on the given weekdays, from Start to End
// (minutes after midnight), the display is forced Off or On. End before or
// equal to Start means the span runs past midnight into the next day; the
// weekdays name the day the span starts.
type ScheduleRule struct {
	Days  [7]bool // indexed by time.Weekday (Sunday = 0)
	Off   bool    // true for "off", false for "on"
	Start int     // minutes after midnight, 0..1439
	End   int     // minutes after midnight, 0..1440
}

var weekdays = map[string]time.Weekday{
	"sun": time.Sunday, "mon": time.Monday, "tue": time.Tuesday, "wed": time.Wednesday,
	"thu": time.Thursday, "fri": time.Friday, "sat": time.Saturday,
}

// ParseScheduleRule parses "<days> <off|on> <HH:MM>-<HH:MM>", where days is
// "daily" or a comma list of days and day ranges: "mon-fri", "sat,sun",
// "mon,wed,fri-sun". Ranges may wrap ("fri-mon").
func ParseScheduleRule(s string) (ScheduleRule, error) {
	var r ScheduleRule
	f := strings.Fields(strings.ToLower(s))
	if len(f) != 3 {
		return r, fmt.Errorf("%q is not \"<days> off <HH:MM>-<HH:MM>\" (e.g. \"mon-fri off 22:00-06:00\")", s)
	}
	if err := parseDays(f[0], &r.Days); err != nil {
		return r, fmt.Errorf("%q: %w", s, err)
	}
	switch f[1] {
	case "off":
		r.Off = true
	case "on":
	default:
		return r, fmt.Errorf("%q: %q must be \"off\" or \"on\"", s, f[1])
	}
	from, to, ok := strings.Cut(f[2], "-")
	if !ok {
		return r, fmt.Errorf("%q: %q is not a time span like \"22:00-06:00\"", s, f[2])
	}
	var err error
	if r.Start, err = parseClock(from, false); err != nil {
		return r, fmt.Errorf("%q: %w", s, err)
	}
	if r.End, err = parseClock(to, true); err != nil {
		return r, fmt.Errorf("%q: %w", s, err)
	}
	if r.Start == r.End {
		return r, fmt.Errorf("%q: the span starts and ends at the same time", s)
	}
	return r, nil
}

func parseDays(s string, days *[7]bool) error {
	if s == "daily" {
		for i := range days {
			days[i] = true
		}
		return nil
	}
	for _, part := range strings.Split(s, ",") {
		a, b, isRange := strings.Cut(part, "-")
		from, ok := weekdays[a]
		if !ok {
			return fmt.Errorf("%q is not a day (mon, tue, wed, thu, fri, sat, sun or daily)", a)
		}
		to := from
		if isRange {
			if to, ok = weekdays[b]; !ok {
				return fmt.Errorf("%q is not a day (mon, tue, wed, thu, fri, sat, sun or daily)", b)
			}
		}
		for d := from; ; d = (d + 1) % 7 {
			days[d] = true
			if d == to {
				break
			}
		}
	}
	return nil
}

// parseClock reads "HH:MM"; "24:00" is allowed only as an end time.
func parseClock(s string, end bool) (int, error) {
	h, m, ok := strings.Cut(s, ":")
	if !ok || len(h) != 2 || len(m) != 2 {
		return 0, fmt.Errorf("%q is not a time like \"06:00\"", s)
	}
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if err1 != nil || err2 != nil || hh < 0 || mm < 0 || mm > 59 || hh > 24 || (hh == 24 && (mm != 0 || !end)) {
		return 0, fmt.Errorf("%q is not a time like \"06:00\"", s)
	}
	return hh*60 + mm, nil
}
