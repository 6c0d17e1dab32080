package backend

import (
	"bytes"
	"context"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestPreviewShowsFirstNamesOnly(t *testing.T) {
	tb := startBackend(t)
	// Make sure today has someone hidden, someone anonymized and someone
	// with an alias signed up, whatever the demo drew.
	putTestActivity(t, tb, Activity{ID: "a-preview", Title: "Højtlæsning", Capacity: 12, SignupOpen: true,
		Signups: []string{"p1", "p13", "p15", "p16", "x1"}})

	r := do(t, http.MethodGet, tb.URL+"/preview/board?department=d1", "", nil)
	if r.status != http.StatusOK || !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") {
		t.Fatalf("preview: %d %s", r.status, r.header.Get("Content-Type"))
	}
	page := string(r.body)
	// The screen's words and time format.
	for _, want := range []string{`http-equiv="refresh" content="60"`, "Solsikken", "Mandag 23. november", "10:00",
		"Højtlæsning", "5 af 12 tilmeldt", "Karen", "Beboer A", "Præsten", "Vagn", "Frokost",
		"Aktiviteter i dag", "Måltider i dag", "På arbejde i dag"} {
		if !strings.Contains(page, want) {
			t.Errorf("preview lacks %q", want)
		}
	}
	for _, other := range []string{"Dagens aktiviteter", "På vagt", "Dagens mad", "10.00"} {
		if strings.Contains(page, other) {
			t.Errorf("preview says %q, which the screen does not", other)
		}
	}

	profiles, err := tb.admin.Profiles(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range profiles {
		for _, secret := range []string{p.LastName, p.Email, p.Phone, p.CPR, p.Notes} {
			if strings.Contains(page, secret) {
				t.Errorf("preview shows a private field of %s", p.ID)
			}
		}
		if (!p.VisibleOnScreen || p.Anonymized) && strings.Contains(page, p.FirstName) {
			t.Errorf("preview shows the name of hidden or anonymized %s", p.ID)
		}
		if (!p.VisibleOnScreen || p.Anonymized) && p.Avatar != nil && strings.Contains(page, p.Avatar.SHA256) {
			t.Errorf("preview shows the face of hidden or anonymized %s", p.ID)
		}
	}

	// Every picture on the page loads.
	srcs := regexp.MustCompile(`src="(/preview/media/[0-9a-f]{64})"`).FindAllStringSubmatch(page, -1)
	if len(srcs) == 0 {
		t.Fatal("no faces on the preview")
	}
	var seen []string
	for _, m := range srcs {
		if slices.Contains(seen, m[1]) {
			continue
		}
		seen = append(seen, m[1])
		if r := do(t, http.MethodGet, tb.URL+m[1], "", nil); r.status != http.StatusOK || r.header.Get("Content-Type") != "image/png" {
			t.Errorf("%s: %d %s", m[1], r.status, r.header.Get("Content-Type"))
		}
	}
}

// TestStaffPreviewShowsTheScreens: the staff page shows each screen of the
// department with its last screenshot and how old it is, beside the board;
// its button asks the screens for a new screenshot.
func TestStaffPreviewShowsTheScreens(t *testing.T) {
	tb := startBackend(t)
	r := do(t, http.MethodGet, tb.URL+"/preview?department=d1", "", nil)
	if r.status != http.StatusOK || !strings.Contains(string(r.body), "Ingen skærm i afdelingen har meldt sig endnu") ||
		!strings.Contains(string(r.body), `src="/preview/board?department=d1"`) {
		t.Fatalf("staff page before any screen: %d\n%s", r.status, r.body)
	}

	stream := tb.events(t, testToken)
	shot := tinyPNG(t)
	if r := do(t, http.MethodPost, tb.URL+"/api/screen/v1/screenshot", testToken, bytes.NewReader(shot), "Content-Type", "image/png"); r.status != http.StatusNoContent {
		t.Fatalf("screenshot: %d %s", r.status, r.body)
	}
	tb.clock.Advance(3*time.Minute + 10*time.Second)
	page := string(do(t, http.MethodGet, tb.URL+"/preview?department=d1&token=x", "", nil).body)
	src := regexp.MustCompile(`<img src="(/preview/screens/[0-9a-f]{12}/screenshot\?at=\d+&amp;token=x)"`).FindStringSubmatch(page)
	if src == nil || !strings.Contains(page, "billedet er fra 10:00, <span>for 3 minutter siden</span>") {
		t.Fatalf("staff page with a screenshot:\n%s", page)
	}
	if got := do(t, http.MethodGet, tb.URL+strings.ReplaceAll(src[1], "&amp;", "&"), "", nil); got.status != http.StatusOK || !bytes.Equal(got.body, shot) {
		t.Errorf("the screenshot on the page: %d, %d bytes", got.status, len(got.body))
	}

	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Post(tb.URL+"/preview/screenshot?department=d1", "application/x-www-form-urlencoded", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/preview?department=d1&asked=1" {
		t.Errorf("asking for screenshots: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	block := stream.next(t)
	for strings.HasPrefix(block, ": keep-alive") {
		block = stream.next(t)
	}
	if !strings.HasPrefix(block, "event: screenshot\n") {
		t.Errorf("the screen got %q, want a screenshot event", block)
	}
}

func TestDanishAge(t *testing.T) {
	for d, want := range map[time.Duration]string{
		20 * time.Second: "for under et minut siden", time.Minute: "for 1 minut siden", 59 * time.Minute: "for 59 minutter siden",
		time.Hour: "for 1 time siden", 5 * time.Hour: "for 5 timer siden", 72 * time.Hour: "for 3 dage siden",
	} {
		if got := danishAge(d); got != want {
			t.Errorf("danishAge(%s) = %q, want %q", d, got, want)
		}
	}
}

// TestPreviewShowsTheWeather: the browser page carries the weather tile's
// words (temperature now, the sky, today's span) and drops weather that is
// too old to show, as the screen does.
func TestPreviewShowsTheWeather(t *testing.T) {
	tb := startBackend(t)
	put := func(updated time.Time) {
		t.Helper()
		w := `{"updated":"` + updated.UTC().Format(time.RFC3339) + `","place":"Varde","now":{"temp_c":-2.4,"symbol":"snow","wind_ms":3},` +
			`"days":[{"date":"2026-11-23","min_c":-4.2,"max_c":1,"symbol":"snow","precip_mm":2}]}`
		if r := do(t, http.MethodPut, tb.URL+"/admin/v1/weather/d1", "", strings.NewReader(w), "Content-Type", "application/json"); r.status != http.StatusNoContent {
			t.Fatalf("put weather: %d %s", r.status, r.body)
		}
	}
	put(testDay.Add(-time.Hour))
	page := string(do(t, http.MethodGet, tb.URL+"/preview/board?department=d1", "", nil).body)
	for _, want := range []string{`<span class="temp">−2°</span>`, `<span class="sky">Sne, −4° til 1°</span>`} {
		if !strings.Contains(page, want) {
			t.Errorf("preview lacks %q", want)
		}
	}
	put(testDay.Add(-7 * time.Hour))
	if page := string(do(t, http.MethodGet, tb.URL+"/preview/board?department=d1", "", nil).body); strings.Contains(page, `class="weather"`) {
		t.Error("the preview shows weather 7 hours old")
	}
}

// TestPreviewShowsNotices: the preview shows the notices shown now, urgent
// first with the screen's word for it, and not one that has not begun.
func TestPreviewShowsNotices(t *testing.T) {
	tb := startBackend(t)
	ctx := context.Background()
	now := tb.clock.Now()
	for _, n := range []Notice{
		{ID: "u2", Level: NoticeInfo, Title: "Frisøren er syg i dag", From: now.Add(-time.Hour), Until: now.Add(time.Hour), DepartmentID: "d1"},
		{ID: "u1", Level: NoticeUrgent, Title: "Vandet er lukket", Body: "Ingen vand fra 10 til 12.", From: now.Add(-time.Hour), Until: now.Add(time.Hour), DepartmentID: "d1"},
		{ID: "u3", Level: NoticeInfo, Title: "Brandøvelse i morgen", From: now.Add(time.Hour), Until: now.Add(2 * time.Hour), DepartmentID: "d1"},
	} {
		if err := tb.admin.Put(ctx, "notices", n.ID, n); err != nil {
			t.Fatal(err)
		}
	}
	page := string(do(t, http.MethodGet, tb.URL+"/preview/board?department=d1", "", nil).body)
	urgent, info := strings.Index(page, "VIGTIGT: Vandet er lukket"), strings.Index(page, "Frisøren er syg i dag")
	if urgent < 0 || info < 0 || urgent > info || !strings.Contains(page, "Ingen vand fra 10 til 12.") {
		t.Errorf("the preview shows the urgent notice at %d and the info one at %d", urgent, info)
	}
	if strings.Contains(page, "Brandøvelse") {
		t.Error("the preview shows a notice that has not begun")
	}
}
