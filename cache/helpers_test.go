package cache

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"skaerm/board"
	"skaerm/internal/clock"
)

// t0 is 10:00 on a Monday in Copenhagen.
var t0 = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

var copenhagen = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Copenhagen")
	if err != nil {
		panic(err)
	}
	return loc
}()

var residentNames = []string{
	"Karen", "Inge", "Hans", "Erik", "Kirsten", "Jens", "Bent", "Ruth", "Poul", "Birthe",
	"Grethe", "Aase", "Knud", "Else", "Niels", "Ellen", "Svend", "Lis", "Jørgen", "Gerda",
	"Ove", "Hanne", "Preben", "Bodil", "Arne", "Tove", "Leif", "Jytte", "Finn", "Lone",
	"Børge", "Ingrid", "Aage", "Edith", "Kaj", "Mette", "Willy", "Ester", "Otto", "Dagmar",
}

var staffNames = []string{
	"Mads", "Sofie", "Rasmus", "Ida", "Mikkel", "Freja", "Jonas", "Laura",
	"Emil", "Anna", "Oliver", "Emma", "Lucas", "Clara", "Noah", "Alma",
}

// hashOf makes a media hash the way the backend does: sha256 in hex.
func hashOf(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// testBoard builds a board the size of a real department: 40 residents,
// 16 staff, two external guests, and fifteen days (yesterday to 13 days
// ahead) of activities, meals, meetings, bookings and roster, plus news and
// a gallery. gen is written into every activity's capacity and the board's
// GeneratedAt, nameGen into every profile's name, so a reader can tell
// whether what it got is one whole generation; changing nameGen changes
// text, which makes the next store compact.
func testBoard(now time.Time, gen, nameGen int) *board.Board {
	b := &board.Board{
		GeneratedAt: now.Add(-time.Hour).Add(time.Duration(gen) * time.Millisecond),
		Department:  board.Department{ID: "d1", Name: "Solsikken", Timezone: "Europe/Copenhagen", Locale: "da"},
	}
	suffix := "-" + strconv.Itoa(nameGen)
	var residents, staff []string
	for i, n := range residentNames {
		id := fmt.Sprintf("r%02d", i)
		residents = append(residents, id)
		b.Profiles = append(b.Profiles, board.Profile{ID: id, Kind: board.Resident, Name: n + suffix, Avatar: hashOf("avatar-" + id)})
	}
	for i, n := range staffNames {
		id := fmt.Sprintf("s%02d", i)
		staff = append(staff, id)
		b.Profiles = append(b.Profiles, board.Profile{ID: id, Kind: board.Staff, Name: n + suffix, Avatar: hashOf("avatar-" + id)})
	}
	b.Profiles = append(b.Profiles,
		board.Profile{ID: "e0", Kind: board.External, Name: "Datter Lene" + suffix, Avatar: hashOf("avatar-e0")},
		board.Profile{ID: "e1", Kind: board.External, Name: "Frivillig Bo" + suffix},
	)

	local := now.In(copenhagen)
	y, m, d := local.Date()
	at := func(day, hour, minute int) time.Time { return time.Date(y, m, d+day, hour, minute, 0, 0, copenhagen) }
	pick := func(ids []string, start, n int) []string {
		var out []string
		for i := range n {
			out = append(out, ids[((start+i)%len(ids)+len(ids))%len(ids)])
		}
		return out
	}
	type slot struct {
		title, place, picto string
		h, min, dur         int
	}
	activities := []slot{
		{"Banko", "Fælleshuset", "games", 10, 0, 90},
		{"Gåtur i parken", "Hovedindgangen", "walk", 14, 0, 60},
		{"Sangaften", "Dagligstuen", "music", 19, 0, 60},
	}
	meals := []struct {
		kind     board.MealKind
		h, dur   int
		menu     string
		deadline int
	}{
		{board.Breakfast, 8, 60, "Rugbrød, ost og blødkogt æg", 7},
		{board.Lunch, 12, 60, "Frikadeller med kartofler og brun sovs", 10},
		{board.Coffee, 15, 45, "Kaffe og hjemmebagt kringle", 14},
		{board.Dinner, 18, 60, "Stegt flæsk med persillesovs", 16},
		{board.EveningMeal, 20, 30, "Te og franskbrød med marmelade", 19},
	}
	for day := -1; day <= board.DaysAhead-1; day++ {
		for k, s := range activities {
			start := at(day, s.h, s.min)
			ids := pick(residents, day+k*7+10, 8)
			if k == 0 && day == 0 {
				ids = append(ids, "e0")
			}
			if k == 1 && day == 5 {
				ids = append(ids, "e1")
			}
			b.Activities = append(b.Activities, board.Activity{
				ID: fmt.Sprintf("a%d-%d", day+1, k), Title: s.title, Location: s.place, Pictogram: s.picto,
				Description: "Kom og vær med. Der er kaffe bagefter, og personalet hjælper gerne med at komme derhen.",
				Start:       start, End: start.Add(time.Duration(s.dur) * time.Minute),
				Capacity: gen, SignupOpen: true, Image: hashOf("activity-" + s.picto),
				Signups: board.Signups{IDs: ids, Hidden: 1},
			})
		}
		for k, ml := range meals {
			start := at(day, ml.h, 0)
			b.Meals = append(b.Meals, board.Meal{
				ID: fmt.Sprintf("m%d-%d", day+1, k), Kind: ml.kind, Menu: ml.menu,
				Start: start, End: start.Add(time.Duration(ml.dur) * time.Minute), SignupDeadline: at(day, ml.deadline, 0),
				Signups: board.Signups{IDs: pick(residents, day+k, 20), Hidden: 2},
			})
		}
		if (day+7)%7 == 2 {
			start := at(day, 13, 0)
			b.Meetings = append(b.Meetings, board.Meeting{
				ID: fmt.Sprintf("mt%d", day+1), Title: "Husmøde", Location: "Dagligstuen",
				Start: start, End: start.Add(time.Hour), Signups: board.Signups{IDs: pick(residents, day, 12)},
				Suggestions: []board.Suggestion{
					{ID: fmt.Sprintf("sg%d-0", day+1), ProfileID: residents[(day+40)%40], Text: "Tur til stranden"},
					{ID: fmt.Sprintf("sg%d-1", day+1), Text: "Flere grøntsager til frokost"},
				},
			})
		}
		for k := range 2 {
			start := at(day, 9+4*k, 0)
			b.Bookings = append(b.Bookings, board.Booking{
				ID: fmt.Sprintf("b%d-%d", day+1, k), Resource: []string{"Minibussen", "Vaskeriet"}[k],
				Start: start, End: start.Add(2 * time.Hour), ProfileID: residents[(day*3+k+40)%40],
			})
		}
		shifts := []struct {
			kind   board.ShiftKind
			h, n   int
			length int
		}{{board.DayShift, 7, 3, 8}, {board.EveningShift, 15, 2, 8}, {board.NightShift, 23, 1, 8}}
		for _, sh := range shifts {
			for i := range sh.n {
				start := at(day, sh.h, 0)
				b.Roster = append(b.Roster, board.Shift{
					ID: fmt.Sprintf("r%d-%s-%d", day+1, sh.kind, i), ProfileID: staff[(day*6+i+sh.h+16)%16],
					Role: "Social- og sundhedsassistent", Shift: sh.kind, Start: start, End: start.Add(time.Duration(sh.length) * time.Hour),
				})
			}
		}
	}
	for i := range 5 {
		b.News = append(b.News, board.News{
			ID: fmt.Sprintf("n%d", i), Title: fmt.Sprintf("Nyt fra huset %d", i),
			Body:      "Vi får besøg af børnehaven på torsdag. Alle er velkomne i fælleshuset fra klokken ti.",
			Published: at(-i, 8, 0), Image: hashOf(fmt.Sprintf("news-%d", i)),
		})
	}
	for i := range 10 {
		b.Gallery = append(b.Gallery, board.Photo{
			ID: fmt.Sprintf("g%d", i), Caption: "Sommerfesten i haven", Image: hashOf(fmt.Sprintf("photo-%d", i)), Taken: at(-30-i, 15, 0),
		})
	}
	return b
}

// generationOf reports the gen and nameGen a testBoard was built with, or
// an error if the board mixes generations.
func generationOf(b *board.Board) (gen, nameGen int, err error) {
	if len(b.Activities) == 0 || len(b.Profiles) == 0 {
		return 0, 0, errors.New("board has no activities or profiles")
	}
	gen = b.Activities[0].Capacity
	for _, a := range b.Activities {
		if a.Capacity != gen {
			return 0, 0, fmt.Errorf("activity %s is from generation %d, activity %s from %d", b.Activities[0].ID, gen, a.ID, a.Capacity)
		}
	}
	nameGen = -1
	for _, p := range b.Profiles {
		i := strings.LastIndexByte(p.Name, '-')
		n, err := strconv.Atoi(p.Name[i+1:])
		if i < 0 || err != nil {
			return 0, 0, fmt.Errorf("profile %s has no generation in its name", p.ID)
		}
		if nameGen == -1 {
			nameGen = n
		} else if n != nameGen {
			return 0, 0, fmt.Errorf("profile %s is from name generation %d, others from %d", p.ID, n, nameGen)
		}
	}
	return gen, nameGen, nil
}

// newFakeClock returns a fake clock standing at t0.
func newFakeClock() *clock.Fake { return clock.NewFake(t0) }

// openTest opens a cache in a fresh directory with a fake clock and closes
// it when the test ends.
func openTest(t *testing.T) (*Cache, *clock.Fake) {
	t.Helper()
	clk := newFakeClock()
	c, err := Open(filepath.Join(t.TempDir(), "skaerm", "cache.db"), Options{Clock: clk})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c, clk
}

func reopen(t *testing.T, c *Cache, opts Options) *Cache {
	t.Helper()
	if err := c.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	c2, err := Open(c.Path(), opts)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	t.Cleanup(func() { _ = c2.Close() })
	return c2
}

func signup(id, item string) board.Signup {
	return board.Signup{ID: id, ItemType: board.ActivityItem, ItemID: item, ProfileID: "r01", Action: board.Join, At: t0}
}

func fileHas(t *testing.T, path string, needle []byte) bool {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return bytes.Contains(data, needle)
}

// leftovers lists the files Purge would remove besides the cache itself.
func leftovers(t *testing.T, path string) []string {
	t.Helper()
	matches, err := filepath.Glob(path + ".*")
	if err != nil {
		t.Fatal(err)
	}
	return matches
}

// testLogger sends the cache's log to the test's log.
func testLogger(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Helper()
	w.t.Log(strings.TrimSuffix(string(p), "\n"))
	return len(p), nil
}

// outboxIDs lists the ids in c's outbox, in order.
func outboxIDs(t *testing.T, c *Cache) []string {
	t.Helper()
	out, err := c.Outbox()
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, s := range out {
		ids = append(ids, s.ID)
	}
	return ids
}
