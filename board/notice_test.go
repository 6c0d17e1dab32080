package board

import (
	"testing"
	"time"
)

// TestTrimKeepsNoticesOfTheWindow: a notice that ended before the window
// leaves the cache with the day; one still running stays.
func TestTrimKeepsNoticesOfTheWindow(t *testing.T) {
	loc := cph(t)
	now := time.Date(2026, 11, 23, 9, 30, 0, 0, loc)
	b := &Board{Department: Department{Timezone: "Europe/Copenhagen"}, Notices: []Notice{
		{ID: "old", Level: NoticeInfo, Title: "Frisøren", From: now.AddDate(0, 0, -3), Until: now.AddDate(0, 0, -2)},
		{ID: "now", Level: NoticeUrgent, Title: "Vandet", From: now.Add(-time.Hour), Until: now.Add(time.Hour)},
	}}
	got := b.Trim(WindowAt(now, loc)).Notices
	if len(got) != 1 || got[0].ID != "now" {
		t.Errorf("kept %+v, want the running notice alone", got)
	}
}
