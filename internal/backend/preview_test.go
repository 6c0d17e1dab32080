package backend

import (
	"context"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
)

func TestPreviewShowsFirstNamesOnly(t *testing.T) {
	tb := startBackend(t)
	// Make sure today has someone hidden, someone anonymized and someone
	// with an alias signed up, whatever the demo drew.
	putTestActivity(t, tb, Activity{ID: "a-preview", Title: "Højtlæsning", Capacity: 12, SignupOpen: true,
		Signups: []string{"p1", "p13", "p15", "p16", "x1"}})

	r := do(t, http.MethodGet, tb.URL+"/preview?department=d1", "", nil)
	if r.status != http.StatusOK || !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") {
		t.Fatalf("preview: %d %s", r.status, r.header.Get("Content-Type"))
	}
	page := string(r.body)
	for _, want := range []string{`http-equiv="refresh" content="60"`, "Solsikken", "Mandag den 23. november 2026", "10.00",
		"Højtlæsning", "5 af 12 tilmeldt", "Karen", "Beboer A", "Præsten", "Vagn", "Frokost", "På vagt"} {
		if !strings.Contains(page, want) {
			t.Errorf("preview lacks %q", want)
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

func TestDanishDate(t *testing.T) {
	tests := map[string]string{
		"2026-11-23": "Mandag den 23. november 2026",
		"2026-12-24": "Torsdag den 24. december 2026",
		"2027-05-01": "Lørdag den 1. maj 2027",
		"2027-02-14": "Søndag den 14. februar 2027",
	}
	for day, want := range tests {
		d, _ := parseDay(day)
		if got := danishDate(d); got != want {
			t.Errorf("%s: %q, want %q", day, got, want)
		}
	}
}
