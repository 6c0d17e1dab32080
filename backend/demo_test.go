package backend

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestDemoIsDeterministic(t *testing.T) {
	for _, dept := range []string{"d1", "d2"} {
		a, err := DemoBoard(testDay, dept)
		if err != nil {
			t.Fatal(err)
		}
		// Another time of the same day, in another zone: the same plans,
		// other weather.
		b, err := DemoBoard(testDay.Add(13*time.Hour).UTC(), dept)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(withoutWeather(t, a), withoutWeather(t, b)) {
			t.Errorf("%s: two demo boards of the same day differ", dept)
		}
		if bytes.Equal(a, b) {
			t.Errorf("%s: the demo weather at 23:00 is the weather of the morning", dept)
		}
		c, err := DemoBoard(testDay.AddDate(0, 0, 1), dept)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Equal(a, c) {
			t.Errorf("%s: the next day's demo board is the same", dept)
		}
	}

	// A fresh demo server serves exactly DemoBoard's bytes, and so does a
	// second one: media included.
	want, _ := DemoBoard(testDay, "d1")
	var boards [][]byte
	for i := 0; i < 2; i++ {
		tb := startBackend(t)
		r := tb.get(t, "/api/screen/v1/board")
		boards = append(boards, r.body)
		b, _ := DemoBoardValue(testDay, "d1")
		for _, p := range b.Profiles {
			if p.Avatar == nil {
				continue
			}
			m := tb.get(t, "/api/screen/v1/media/"+p.Avatar.SHA256)
			data, ct, ok := DemoMedia(p.Avatar.SHA256)
			if !ok || ct != "image/png" || !bytes.Equal(m.body, data) {
				t.Fatalf("avatar of %s differs between server and DemoMedia", p.ID)
			}
		}
	}
	if !bytes.Equal(boards[0], want) || !bytes.Equal(boards[1], want) {
		t.Error("a demo server's board differs from DemoBoard")
	}
}

func TestDemoPicturesAreDrawnTheSameEveryTime(t *testing.T) {
	f := randomFace(demoRand(1, 2), true, false)
	a := drawFace(f, 64)
	b := drawFace(f, 64)
	if !bytes.Equal(a.Pix, b.Pix) {
		t.Error("the same face drew differently")
	}
	s1 := drawScene(sceneHarbour, 160, 120, 7)
	s2 := drawScene(sceneHarbour, 160, 120, 7)
	if !bytes.Equal(s1.Pix, s2.Pix) {
		t.Error("the same scene drew differently")
	}
	if bytes.Equal(s1.Pix, drawScene(sceneHarbour, 160, 120, 8).Pix) {
		t.Error("another seed drew the same scene")
	}
}

func TestDemoHasWhatAScreenMustHandle(t *testing.T) {
	b1, err := DemoBoardValue(testDay, "d1")
	if err != nil {
		t.Fatal(err)
	}
	b2, err := DemoBoardValue(testDay, "d2")
	if err != nil {
		t.Fatal(err)
	}
	var hidden, anonymized, external, noAvatar, staff, residents int
	danish := false
	for _, b := range []*Board{b1, b2} {
		for _, p := range b.Profiles {
			if p.LastName == "" || p.Email == "" || p.Phone == "" || p.CPR == "" || p.Birthday == "" || p.Notes == "" {
				t.Errorf("profile %s lacks a private field: %+v", p.ID, p)
			}
			if !p.VisibleOnScreen {
				hidden++
			}
			if p.Anonymized {
				anonymized++
				if !strings.HasPrefix(p.Alias, "Beboer ") {
					t.Errorf("anonymized %s has alias %q", p.ID, p.Alias)
				}
			}
			switch p.Kind {
			case KindExternal:
				external++
				if p.Home == "" {
					t.Errorf("external %s has no home", p.ID)
				}
			case KindStaff:
				staff++
			case KindResident:
				residents++
			}
			if p.Avatar == nil {
				noAvatar++
			} else if p.Avatar.Width != 512 || p.Avatar.Height != 512 || p.Avatar.ContentType != "image/png" {
				t.Errorf("avatar of %s: %+v", p.ID, p.Avatar)
			}
			if strings.ContainsAny(p.FirstName+p.LastName, "æøåÆØÅ") {
				danish = true
			}
		}
	}
	if hidden < 3 || anonymized < 2 || external != 1 || noAvatar < 4 || staff != 16 || residents != 40 || !danish {
		t.Errorf("hidden %d, anonymized %d, external %d, without avatar %d, staff %d, residents %d, æøå %v",
			hidden, anonymized, external, noAvatar, staff, residents, danish)
	}

	// The external profile is on the board because it is signed up.
	signedUp := false
	for _, a := range b1.Activities {
		signedUp = signedUp || slices.Contains(a.Signups, "x1")
	}
	if !signedUp {
		t.Error("external x1 is on d1's board without a sign-up")
	}
	if _, ok := profileByID(b1, "x2"); ok {
		t.Error("external x2, signed up to nothing, is on the board")
	}

	var full, closed, limitless int
	pictos := map[string]bool{}
	days := map[string]int{}
	for _, a := range b1.Activities {
		if a.Capacity > 0 && len(a.Signups) >= a.Capacity {
			full++
		}
		if !a.SignupOpen {
			closed++
		}
		if a.Capacity == 0 {
			limitless++
		}
		pictos[a.Pictogram] = true
		if !slices.Contains(Pictograms, a.Pictogram) {
			t.Errorf("activity %s: unknown pictogram %q", a.ID, a.Pictogram)
		}
	}
	if full == 0 || closed == 0 || limitless == 0 || len(pictos) < 6 {
		t.Errorf("activities: %d full, %d closed, %d without limit, %d pictograms", full, closed, limitless, len(pictos))
	}
	for _, m := range b1.Meals {
		days[m.Start.Format(time.DateOnly)]++
	}
	if len(days) != 16 {
		t.Errorf("meals on %d days, want 16 (yesterday to today+14)", len(days))
	}
	for day, n := range days {
		if n != 5 {
			t.Errorf("%s: %d meals, want 5", day, n)
		}
	}
	shifts := map[string]int{}
	for _, r := range b1.Roster {
		shifts[r.Shift]++
	}
	if shifts[ShiftDay] == 0 || shifts[ShiftEvening] == 0 || shifts[ShiftNight] == 0 {
		t.Errorf("shifts %v", shifts)
	}
	if len(b1.Meetings) != 1 || len(b1.Meetings[0].Suggestions) == 0 {
		t.Errorf("meetings %+v", b1.Meetings)
	}
	resources := map[string]bool{}
	for _, x := range b1.Bookings {
		resources[x.Resource] = true
	}
	if len(resources) != 3 {
		t.Errorf("booked resources %v, want Minibussen, Vaskeriet, Gæsteværelset", resources)
	}
	invisibleNews, invisiblePhotos := 0, 0
	for _, n := range b1.News {
		if !n.VisibleOnScreen {
			invisibleNews++
		}
	}
	for _, g := range b1.Gallery {
		if !g.VisibleOnScreen {
			invisiblePhotos++
		}
		if g.Image.Width != 1600 || g.Image.Height != 1200 || len(g.Tagged) == 0 {
			t.Errorf("gallery %s: %+v, tags %v", g.ID, g.Image, g.Tagged)
		}
	}
	if invisibleNews == 0 || invisiblePhotos == 0 {
		t.Errorf("%d invisible news, %d invisible photos; want some", invisibleNews, invisiblePhotos)
	}
}

func profileByID(b *Board, id string) (Profile, bool) {
	for _, p := range b.Profiles {
		if p.ID == id {
			return p, true
		}
	}
	return Profile{}, false
}

func TestSecrets(t *testing.T) {
	b, err := DemoBoardValue(testDay, "d1")
	if err != nil {
		t.Fatal(err)
	}
	secrets := b.Secrets()
	has := func(s string) bool { return slices.Contains(secrets, s) }
	karen, _ := profileByID(b, "p1")
	edith, _ := profileByID(b, "p13") // hidden
	ruth, _ := profileByID(b, "p15")  // anonymized
	for _, s := range []string{karen.LastName, karen.CPR, karen.Email, karen.Notes, edith.FirstName, edith.Avatar.SHA256, ruth.FirstName, ruth.Avatar.SHA256} {
		if !has(s) {
			t.Errorf("secrets lack %q", s)
		}
	}
	for _, s := range []string{karen.FirstName, ruth.Alias, karen.Avatar.SHA256, "", "Solsikken"} {
		if has(s) {
			t.Errorf("secrets hold %q, which a screen may show", s)
		}
	}
	sum := sha256.Sum256([]byte(strings.Join(secrets, "\n")))
	again, _ := DemoBoardValue(testDay, "d1")
	sum2 := sha256.Sum256([]byte(strings.Join(again.Secrets(), "\n")))
	if hex.EncodeToString(sum[:]) != hex.EncodeToString(sum2[:]) {
		t.Error("secrets are not stable")
	}
}

// withoutWeather is a board's bytes with its weather left out.
func withoutWeather(t *testing.T, body []byte) []byte {
	t.Helper()
	var b Board
	if err := json.Unmarshal(body, &b); err != nil {
		t.Fatal(err)
	}
	if len(b.Weather) == 0 {
		t.Fatal("the demo board has no weather")
	}
	b.Weather = nil
	rb, err := encodeBoard(&b)
	if err != nil {
		t.Fatal(err)
	}
	return rb.body
}
