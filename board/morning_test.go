package board

import (
	"testing"
	"time"
)

// TestFirstInMorning: the morning after the night, its first meal before
// its first activity, and nothing once it has begun.
func TestFirstInMorning(t *testing.T) {
	loc, err := time.LoadLocation("Europe/Copenhagen")
	if err != nil {
		t.Fatal(err)
	}
	at := func(d, h, m int) time.Time { return time.Date(2027, 1, d, h, m, 0, 0, loc) }
	bd := &Board{
		Department: Department{Timezone: "Europe/Copenhagen"},
		Meals: []Meal{
			{ID: "l13", Kind: Lunch, Start: at(13, 12, 0)},
			{ID: "b13", Kind: Breakfast, Start: at(13, 7, 30)},
			{ID: "b12", Kind: Breakfast, Start: at(12, 7, 30)},
		},
		Activities: []Activity{
			{ID: "g13", Title: "Gymnastik", Start: at(13, 9, 0)},
			{ID: "g14", Title: "Sang", Start: at(14, 10, 0)},
			{ID: "x14", Title: "Gåtur", Start: at(14, 9, 30)},
		},
	}
	for _, tt := range []struct {
		name string
		now  time.Time
		want Morning
		ok   bool
	}{
		{"evening: tomorrow's breakfast", at(12, 22, 30), Morning{Start: at(13, 7, 30), Meal: Breakfast}, true},
		{"after midnight: this morning's", at(13, 3, 0), Morning{Start: at(13, 7, 30), Meal: Breakfast}, true},
		{"breakfast has begun: the activity", at(13, 8, 0), Morning{Start: at(13, 9, 0), Title: "Gymnastik"}, true},
		{"a morning without meals: its first activity", at(13, 23, 0), Morning{Start: at(14, 9, 30), Title: "Gåtur"}, true},
		{"noon: nothing more this morning", at(15, 11, 0), Morning{}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := FirstInMorning(bd, tt.now)
			if ok != tt.ok || !got.Start.Equal(tt.want.Start) || got.Meal != tt.want.Meal || got.Title != tt.want.Title {
				t.Fatalf("FirstInMorning = %+v %t, want %+v %t", got, ok, tt.want, tt.ok)
			}
		})
	}
	if _, ok := FirstInMorning(nil, at(13, 3, 0)); ok {
		t.Fatal("a nil board has a morning")
	}
}
