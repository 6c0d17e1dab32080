package backend

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

func boardWeather(t *testing.T, tb *testBackend) (*Weather, string) {
	t.Helper()
	b, etag := tb.board(t)
	if len(b.Weather) == 0 {
		return nil, etag
	}
	var w Weather
	if err := json.Unmarshal(b.Weather, &w); err != nil {
		t.Fatalf("decode weather: %v", err)
	}
	return &w, etag
}

func TestCapabilitiesOfferWeather(t *testing.T) {
	tb := startBackend(t)
	r := tb.get(t, "/api/screen/v1/capabilities")
	if r.status != http.StatusOK {
		t.Fatalf("capabilities: %d %s", r.status, r.body)
	}
	var c Capabilities
	if err := json.Unmarshal(r.body, &c); err != nil {
		t.Fatal(err)
	}
	if c.API != "1.2" || !slices.Contains(c.Features, "weather") || !slices.Contains(c.Features, "sessions") || !slices.Contains(c.Features, "audio") || !slices.Contains(c.Features, "bookables") {
		t.Errorf("capabilities %+v, want api 1.2 offering weather, sessions, audio and bookables", c)
	}
	if r := do(t, http.MethodGet, tb.URL+"/api/screen/v1/capabilities", "", nil); r.status != http.StatusUnauthorized {
		t.Errorf("capabilities without a token: %d, want 401", r.status)
	}

	plain := startBackend(t, func(o *Options) { o.PlainV1 = true })
	wantJSONError(t, plain.get(t, "/api/screen/v1/capabilities"), http.StatusNotFound, "not_found")
	if w, _ := boardWeather(t, plain); w != nil {
		t.Errorf("a plain v1 backend sent weather: %+v", w)
	}
}

func TestDemoWeatherChangesThroughTheDay(t *testing.T) {
	tb := startBackend(t)
	seen := map[string]bool{}
	var etags []string
	for h := 0; h < 24; h += 3 {
		w, etag := boardWeather(t, tb)
		if w == nil {
			t.Fatalf("%v: the demo board has no weather", tb.clock.Now())
		}
		now := tb.clock.Now()
		if age := now.Sub(w.Updated); age < 0 || age >= 3*time.Hour {
			t.Errorf("%v: weather updated %v, %v old", now, w.Updated, age)
		}
		if w.Place == "" || len(w.Days) != 5 || w.Days[0].Date != now.In(copenhagen).Format(time.DateOnly) {
			t.Errorf("%v: place %q, days %+v", now, w.Place, w.Days)
		}
		if w.Now.TempC < w.Days[0].MinC-0.5 || w.Now.TempC > w.Days[0].MaxC+0.5 {
			t.Errorf("%v: now %v °C outside the day's %v..%v", now, w.Now.TempC, w.Days[0].MinC, w.Days[0].MaxC)
		}
		seen[string(mustJSON(t, w.Now))] = true
		etags = append(etags, etag)
		tb.clock.Advance(3 * time.Hour)
	}
	if len(seen) < 3 {
		t.Errorf("the weather of a day took only %d forms: %v", len(seen), seen)
	}
	if len(slices.Compact(etags)) != len(etags) {
		t.Errorf("the board kept its ETag while the weather changed: %v", etags)
	}
}

func TestSyncNowBringsNewWeather(t *testing.T) {
	tb := startBackend(t)
	before, etag := boardWeather(t, tb)
	tb.clock.Advance(40 * time.Minute)
	ev := tb.events(t, testToken)
	defer ev.cancel()
	if err := tb.admin.SyncNow(context.Background(), "d1"); err != nil {
		t.Fatal(err)
	}
	if block := ev.next(t); !strings.Contains(block, "event: sync") {
		t.Errorf("event %q after sync now, want sync", block)
	}
	after, etag2 := boardWeather(t, tb)
	if !after.Updated.Equal(tb.clock.Now().Truncate(time.Minute)) || after.Updated.Equal(before.Updated) {
		t.Errorf("weather updated %v after sync now at %v (was %v)", after.Updated, tb.clock.Now(), before.Updated)
	}
	if etag2 == etag {
		t.Error("the board kept its ETag after new weather")
	}
}

func TestAdminSetsWeather(t *testing.T) {
	tb := startBackend(t)
	odd := []byte(`{"updated":"2026-11-23T08:00:00Z","place":"Varde","now":{"temp_c":900,"symbol":"rain","wind_ms":6,"station_id":"x"},"days":[]}`)
	r := do(t, http.MethodPut, tb.URL+"/admin/v1/weather/d1", "", bytes.NewReader(odd), "Content-Type", "application/json")
	if r.status != http.StatusNoContent {
		t.Fatalf("put weather: %d %s", r.status, r.body)
	}
	b, _ := tb.board(t)
	var got, want any
	json.Unmarshal(b.Weather, &got)
	json.Unmarshal(odd, &want)
	if string(mustJSON(t, got)) != string(mustJSON(t, want)) {
		t.Errorf("weather served %s, want what was set %s", b.Weather, odd)
	}
	if r := do(t, http.MethodDelete, tb.URL+"/admin/v1/weather/d1", "", nil); r.status != http.StatusNoContent {
		t.Fatalf("delete weather: %d", r.status)
	}
	if w, _ := boardWeather(t, tb); w == nil || w.Now.TempC == 900 {
		t.Errorf("after delete the demo weather is back, got %+v", w)
	}
	r = do(t, http.MethodPut, tb.URL+"/admin/v1/weather/d1", "", bytes.NewReader([]byte(`[1]`)), "Content-Type", "application/json")
	wantJSONError(t, r, http.StatusBadRequest, "bad_json")
	r = do(t, http.MethodPut, tb.URL+"/admin/v1/weather/nosuch", "", bytes.NewReader(odd), "Content-Type", "application/json")
	wantJSONError(t, r, http.StatusNotFound, "unknown_department")
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
