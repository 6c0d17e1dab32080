package sync

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"skaerm/backend"
	"skaerm/board"
	"skaerm/internal/clock"
)

// weatherDoc is a board document whose weather member is w.
func weatherDoc(w string) string {
	return doc(prof("p1", "Karen"), `"activities": [`+act("a1", "p1")+`]`, `"weather": `+w)
}

const goodWeather = `{"updated": "2026-11-23T06:00:00Z", "place": "Varde", "station": "06052",
	"now": {"temp_c": 3.5, "symbol": "cloudy", "wind_ms": 6, "feels_like_c": 0.5},
	"days": [{"date": "2026-11-23", "min_c": 1, "max_c": 5, "symbol": "rain", "precip_mm": 3.2, "uv": 1},
	         {"date": "2026-11-24", "min_c": -2, "max_c": 2, "symbol": "snow", "precip_mm": 1}]}`

func TestDecodeWeather(t *testing.T) {
	b, notes, _ := mustDecode(t, weatherDoc(goodWeather))
	if len(notes) != 0 {
		t.Errorf("notes %+v", notes)
	}
	want := &board.Weather{
		Updated: time.Date(2026, 11, 23, 6, 0, 0, 0, time.UTC), Place: "Varde",
		Now: board.WeatherNow{TempC: 3.5, Symbol: board.Cloudy, WindMS: 6},
		Days: []board.WeatherDay{{Date: "2026-11-23", MinC: 1, MaxC: 5, Symbol: board.Rain, PrecipMM: 3.2},
			{Date: "2026-11-24", MinC: -2, MaxC: 2, Symbol: board.Snow, PrecipMM: 1}},
	}
	if got := jsonOf(t, b.Weather); got != jsonOf(t, want) {
		t.Errorf("weather\n got %s\nwant %s", got, jsonOf(t, want))
	}
	// Unknown members inside the weather are not kept anywhere.
	for _, field := range []string{"station", "06052", "feels_like", "uv"} {
		if strings.Contains(jsonOf(t, b), field) {
			t.Errorf("the board keeps %q", field)
		}
	}
	// Absent or null: no weather, no note.
	for _, d := range []string{doc(prof("p1", "Karen")), weatherDoc("null")} {
		if b, notes, _ := mustDecode(t, d); b.Weather != nil || len(notes) != 0 {
			t.Errorf("weather %+v, notes %+v from %s", b.Weather, notes, d)
		}
	}
}

func TestDecodeRefusesAbsurdWeather(t *testing.T) {
	for _, tc := range []struct{ name, weather, reason string }{
		{"900 degrees", `{"updated": "2026-11-23T06:00:00Z", "now": {"temp_c": 900, "symbol": "clear"}}`, "now.temp_c 900 °C is outside -60..60"},
		{"minus 90", `{"updated": "2026-11-23T06:00:00Z", "now": {"temp_c": -90, "symbol": "clear"}}`, "now.temp_c -90"},
		{"a storm of 300 m/s", `{"updated": "2026-11-23T06:00:00Z", "now": {"temp_c": 3, "symbol": "wind", "wind_ms": 300}}`, "now.wind_ms 300"},
		{"negative wind", `{"updated": "2026-11-23T06:00:00Z", "now": {"temp_c": 3, "symbol": "wind", "wind_ms": -1}}`, "now.wind_ms -1"},
		{"unknown symbol", `{"updated": "2026-11-23T06:00:00Z", "now": {"temp_c": 3, "symbol": "hail"}}`, "now.symbol"},
		{"no temperature", `{"updated": "2026-11-23T06:00:00Z", "now": {"symbol": "clear"}}`, "now.temp_c: missing"},
		{"no now", `{"updated": "2026-11-23T06:00:00Z"}`, "no now"},
		{"no updated", `{"now": {"temp_c": 3, "symbol": "clear"}}`, "updated: missing"},
		{"updated without offset", `{"updated": "2026-11-23T06:00:00", "now": {"temp_c": 3, "symbol": "clear"}}`, "updated: not an RFC 3339"},
		{"temperature as text", `{"updated": "2026-11-23T06:00:00Z", "now": {"temp_c": "warm", "symbol": "clear"}}`, "wrong type"},
		{"not an object", `[1, 2]`, "wrong type"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, notes, stats := mustDecode(t, weatherDoc(tc.weather))
			if b.Weather != nil {
				t.Errorf("absurd weather kept: %+v", b.Weather)
			}
			if len(b.Activities) != 1 || len(b.Profiles) != 1 {
				t.Errorf("the rest of the board was lost: %d activities, %d profiles", len(b.Activities), len(b.Profiles))
			}
			if len(notes) != 1 || notes[0].Kind != "weather" || !strings.Contains(notes[0].Reason, tc.reason) || stats.DroppedItems != 1 {
				t.Errorf("notes %+v (dropped %d), want one weather note saying %q", notes, stats.DroppedItems, tc.reason)
			}
		})
	}
}

func TestDecodeDropsBadForecastDays(t *testing.T) {
	w := `{"updated": "2026-11-23T06:00:00Z", "now": {"temp_c": 3, "symbol": "clear"}, "days": [
		{"date": "2026-11-23", "min_c": 1, "max_c": 5, "symbol": "rain"},
		{"date": "2026-11-24", "min_c": 1, "max_c": 500, "symbol": "rain"},
		{"date": "24/11/2026", "min_c": 1, "max_c": 5, "symbol": "rain"},
		{"date": "2026-11-25", "min_c": 6, "max_c": 5, "symbol": "rain"},
		{"date": "2026-11-26", "min_c": 1, "max_c": 5, "symbol": "meteors"},
		{"date": "2026-11-27", "min_c": 1, "max_c": 5, "symbol": "rain", "precip_mm": -3},
		{"date": "2026-11-23", "min_c": 0, "max_c": 4, "symbol": "snow"}]}`
	b, notes, _ := mustDecode(t, weatherDoc(w))
	if b.Weather == nil || len(b.Weather.Days) != 1 || b.Weather.Days[0].MaxC != 5 {
		t.Fatalf("weather %+v, want now and the first day only", b.Weather)
	}
	if len(notes) != 6 {
		t.Errorf("%d notes, want one per dropped day: %+v", len(notes), notes)
	}
}

// TestWeatherFollowsCapabilities syncs against the reference backend on
// loopback twice: as v1.1, which offers weather and audio, the board's
// weather and the demo department's announcements are stored in the cache;
// as plain v1 (no /capabilities), neither is.
func TestWeatherFollowsCapabilities(t *testing.T) {
	for _, plain := range []bool{false, true} {
		clk := backendClock()
		r, err := backend.Start(context.Background(), "127.0.0.1:0", backend.Options{
			DataDir: t.TempDir(), Tokens: []string{"T"}, Demo: true, Clock: clk, Logger: testLogger(t), PlainV1: plain,
		})
		if err != nil {
			t.Fatal(err)
		}
		c := openCache(t, t.TempDir(), clk)
		s := newSyncer(t, r.URL, c, clk, noMedia)
		if _, err := s.SyncOnce(context.Background()); err != nil {
			t.Fatalf("plain v1 %v: %v", plain, err)
		}
		b, err := c.Board()
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case plain && b.Weather != nil:
			t.Errorf("a plain v1 backend's screen stored weather: %+v", b.Weather)
		case !plain && (b.Weather == nil || !b.Weather.Fresh(clk.Now())):
			t.Errorf("the v1.1 backend's weather was not stored fresh: %+v", b.Weather)
		}
		a := b.Department.Announcements
		switch {
		case plain && a != nil:
			t.Errorf("a plain v1 backend's screen stored announcements: %+v", a)
		case !plain && (a == nil || !a.Enabled || a.BeforeMinutes != 10 || a.Quiet == nil || *a.Quiet != (board.DaySpan{From: 20*60 + 30, To: 8 * 60})):
			t.Errorf("the demo department's announcements were not stored as set (on, 10 minutes, quiet 20:30-08:00): %+v", a)
		}
		r.Close()
	}
}

// TestAbsurdWeatherFromTheBackendKeepsTheBoard sets 900 degrees at the
// reference backend: the screen stores the board without weather, and
// real weather later is stored again.
func TestAbsurdWeatherFromTheBackendKeepsTheBoard(t *testing.T) {
	clk := backendClock()
	rb := startBackend(t, clk, "", "")
	c := openCache(t, t.TempDir(), clk)
	s := newSyncer(t, rb.URL, c, clk, noMedia)
	put := func(w string) {
		t.Helper()
		if err := rb.admin.SetWeather(context.Background(), "d1", json.RawMessage(w)); err != nil {
			t.Fatal(err)
		}
	}
	updated := clk.Now().UTC().Format(time.RFC3339)
	put(`{"updated": "` + updated + `", "now": {"temp_c": 900, "symbol": "clear"}}`)
	res, err := s.SyncOnce(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	b, _ := c.Board()
	if b.Weather != nil || len(b.Activities) == 0 || res.Dropped != 1 {
		t.Errorf("weather %+v, %d activities, %d dropped: want no weather, the board, one drop", b.Weather, len(b.Activities), res.Dropped)
	}
	put(`{"updated": "` + updated + `", "now": {"temp_c": -4.5, "symbol": "snow", "wind_ms": 3}}`)
	if _, err := s.SyncOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	if b, _ := c.Board(); b.Weather == nil || b.Weather.Now.TempC != -4.5 {
		t.Errorf("weather %+v after good weather", b.Weather)
	}
}

func TestWeatherFresh(t *testing.T) {
	up := time.Date(2026, 11, 23, 6, 0, 0, 0, time.UTC)
	w := &board.Weather{Updated: up}
	for _, tc := range []struct {
		at   time.Time
		want bool
	}{
		{up, true}, {up.Add(5*time.Hour + 59*time.Minute), true}, {up.Add(6 * time.Hour), false},
		{up.Add(30 * time.Hour), false}, {up.Add(-time.Hour), true}, {up.Add(-7 * time.Hour), false},
	} {
		if got := w.Fresh(tc.at); got != tc.want {
			t.Errorf("updated %v, at %v: fresh %v, want %v", up, tc.at, got, tc.want)
		}
	}
	var none *board.Weather
	if none.Fresh(up) || (&board.Weather{}).Fresh(up) {
		t.Error("absent weather counts as fresh")
	}
}

func jsonOf(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestWeatherOnlyWhenOffered: a backend without /capabilities (plain v1)
// that sends a weather member anyway gets it ignored; the screen reads
// weather only once the backend says it offers it.
func TestWeatherOnlyWhenOffered(t *testing.T) {
	clk := clock.NewFake(testNow)
	f := newFakeBackend(t, clk)
	up := testNow.Format(time.RFC3339)
	f.setBoard(weatherDoc(`{"updated": "`+up+`", "now": {"temp_c": 3, "symbol": "rain"}}`), `"w1"`)
	c := openCache(t, "", clk)
	s := newSyncer(t, f.URL, c, clk)
	if _, err := s.SyncOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	if b, _ := c.Board(); b.Weather != nil {
		t.Errorf("weather from a backend that does not offer it: %+v", b.Weather)
	}
	if n := len(f.reqs("/capabilities")); n != 1 {
		t.Errorf("%d capabilities requests, want 1", n)
	}
	// Within the hour the answer is not asked again.
	clk.Advance(10 * time.Minute)
	s.SyncOnce(context.Background())
	if n := len(f.reqs("/capabilities")); n != 1 {
		t.Errorf("%d capabilities requests after 10 minutes, want 1", n)
	}
}
