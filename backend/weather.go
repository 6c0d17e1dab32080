package backend

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"time"
)

// Weather is the board's weather (Screen API v1.1). A real Manager fills it
// from its weather service; the reference backend makes it up (demo) or
// serves what the admin API set.
type Weather struct {
	Updated time.Time    `json:"updated"`
	Place   string       `json:"place"`
	Now     WeatherNow   `json:"now"`
	Days    []WeatherDay `json:"days"`
}

// WeatherNow is the weather at Updated.
type WeatherNow struct {
	TempC  float64 `json:"temp_c"`
	Symbol string  `json:"symbol"`
	WindMS float64 `json:"wind_ms"`
}

// WeatherDay is one day's forecast.
type WeatherDay struct {
	Date     string  `json:"date"`
	MinC     float64 `json:"min_c"`
	MaxC     float64 `json:"max_c"`
	Symbol   string  `json:"symbol"`
	PrecipMM float64 `json:"precip_mm"`
}

// Capabilities is the answer of GET /api/screen/v1/capabilities.
type Capabilities struct {
	API      string   `json:"api"`
	Features []string `json:"features"`
}

// capabilities lists what this backend offers beyond v1: weather, personal
// login and recorded readings (the demo's lunches carry one) from v1.1, and
// booking on the screen from v1.2.
var capabilities = Capabilities{API: "1.2", Features: []string{"sessions", "weather", "audio", "bookables", "notices"}}

func (s *Server) handleCapabilities(w http.ResponseWriter, r *http.Request, _ screen) {
	writeJSON(w, http.StatusOK, capabilities)
}

// weatherState is the weather the backend serves per department: what the
// admin API set, else (in a demo) the made-up weather of the hour.
type weatherState struct {
	set     map[string]json.RawMessage // department -> weather object from the admin API
	pressed map[string]time.Time       // department -> last "sync now": the demo weather is renewed
	presses map[string]int
	version int // bumped on every admin change, part of the board cache key
}

// demoWeatherSlot is how long made-up weather stays the same.
const demoWeatherSlot = 3 * time.Hour

// weatherFor returns the weather JSON for dept at now (nil for none) and a
// key that changes whenever the weather does. The caller holds s.mu.
func (s *Server) weatherFor(dept Department, now time.Time) (json.RawMessage, string) {
	if s.opts.PlainV1 {
		return nil, ""
	}
	ws := &s.weather
	if raw, ok := ws.set[dept.ID]; ok {
		return raw, fmt.Sprintf("set/%d", ws.version)
	}
	if !s.opts.Demo {
		return nil, ""
	}
	w := demoWeather(dept, now, ws.pressed[dept.ID], ws.presses[dept.ID])
	raw, err := json.Marshal(w)
	if err != nil {
		return nil, ""
	}
	return raw, fmt.Sprintf("demo/%d/%d", w.Updated.Unix(), ws.presses[dept.ID])
}

// seasonC is a typical day's middle temperature in Denmark, by month.
var seasonC = [12]float64{1, 1, 3, 7, 11, 15, 17, 17, 14, 10, 6, 3}

// demoWeather makes up believable weather for dept at now: a forecast per
// day from the calendar day alone, and "now" that changes every three
// hours through the day. A "sync now" at pressed renews it: new weather,
// updated at that moment.
func demoWeather(dept Department, now time.Time, pressed time.Time, presses int) *Weather {
	loc := location(dept)
	t := now.In(loc)
	y, m, d := t.Date()
	midnight := time.Date(y, m, d, 0, 0, 0, 0, loc)
	slot := t.Sub(midnight) / demoWeatherSlot
	updated := midnight.Add(slot * demoWeatherSlot)
	if !pressed.IsZero() && !pressed.Before(updated) && !pressed.After(now) {
		updated = pressed.Truncate(time.Minute)
	}
	w := &Weather{Updated: updated.UTC(), Place: "Varde"}
	for off := 0; off < 5; off++ {
		day := time.Date(y, m, d+off, 12, 0, 0, 0, loc)
		w.Days = append(w.Days, demoWeatherDay(dept.ID, day))
	}
	today := w.Days[0]
	r := demoRand(dayKey(midnight), deptKey(dept.ID), uint64(slot), uint64(presses))
	// Warmest at 14:00, coldest at 04:00.
	hour := float64(t.Hour()) + float64(t.Minute())/60
	shape := 0.5 - 0.5*math.Cos(2*math.Pi*(hour-4)/24)
	w.Now.TempC = math.Round((today.MinC+(today.MaxC-today.MinC)*shape)*2) / 2
	w.Now.WindMS = float64(2 + r.IntN(11))
	// The sky of the hour: mostly the day's, sometimes a neighbour of it.
	w.Now.Symbol = today.Symbol
	if alt := neighbourSymbols[today.Symbol]; len(alt) > 0 && r.IntN(2) == 0 {
		w.Now.Symbol = alt[r.IntN(len(alt))]
	}
	if w.Now.Symbol == "snow" && w.Now.TempC > 2 {
		w.Now.Symbol = "sleet"
	}
	if w.Now.WindMS >= 11 && (w.Now.Symbol == "cloudy" || w.Now.Symbol == "partly_cloudy") {
		w.Now.Symbol = "wind"
	}
	return w
}

// neighbourSymbols are skies an hour of a day with the key's weather may
// have instead.
var neighbourSymbols = map[string][]string{
	"clear":         {"partly_cloudy"},
	"partly_cloudy": {"clear", "cloudy"},
	"cloudy":        {"partly_cloudy", "drizzle", "fog"},
	"fog":           {"cloudy"},
	"drizzle":       {"cloudy", "rain"},
	"rain":          {"drizzle", "cloudy"},
	"sleet":         {"rain", "snow"},
	"snow":          {"sleet", "cloudy"},
	"thunder":       {"rain"},
	"wind":          {"cloudy", "partly_cloudy"},
}

// demoWeatherDay is the made-up forecast of the calendar day holding day.
func demoWeatherDay(dept string, day time.Time) WeatherDay {
	r := demoRand(dayKey(day), deptKey(dept), 0x77)
	base := seasonC[day.Month()-1]
	wd := WeatherDay{
		Date: day.Format(time.DateOnly),
		MinC: base - 2 - float64(r.IntN(5)),
		MaxC: base + 1 + float64(r.IntN(5)),
	}
	skies := []string{"clear", "partly_cloudy", "cloudy", "cloudy", "fog", "drizzle", "rain", "rain", "wind"}
	if wd.MinC <= 1 {
		skies = append(skies, "sleet", "snow")
	}
	if base >= 14 {
		skies = append(skies, "thunder", "clear")
	}
	wd.Symbol = skies[r.IntN(len(skies))]
	switch wd.Symbol {
	case "drizzle":
		wd.PrecipMM = 0.5 + float64(r.IntN(3))
	case "rain", "sleet", "snow":
		wd.PrecipMM = 2 + float64(r.IntN(9))
	case "thunder":
		wd.PrecipMM = 8 + float64(r.IntN(15))
	}
	return wd
}

// adminPutWeather sets the weather a department's screens get, as a JSON
// object served as it is (tests send odd fields and absurd values through
// it); DELETE goes back to none, or the demo's.
func (s *Server) adminPutWeather(w http.ResponseWriter, r *http.Request) {
	dept, ok := s.resolveDepartment(r.PathValue("dept"))
	if !ok {
		writeError(w, http.StatusNotFound, "unknown_department", fmt.Sprintf("no department %q", r.PathValue("dept")))
		return
	}
	var raw json.RawMessage
	if !decodeJSON(w, r, maxAdminBody, &raw, false) {
		return
	}
	if len(raw) == 0 || raw[0] != '{' {
		writeError(w, http.StatusBadRequest, "bad_json", "the weather must be a JSON object")
		return
	}
	s.setWeather(dept, raw)
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) adminDeleteWeather(w http.ResponseWriter, r *http.Request) {
	dept, ok := s.resolveDepartment(r.PathValue("dept"))
	if !ok {
		writeError(w, http.StatusNotFound, "unknown_department", fmt.Sprintf("no department %q", r.PathValue("dept")))
		return
	}
	s.setWeather(dept, nil)
	w.WriteHeader(http.StatusNoContent)
}

// setWeather stores (or, with nil, forgets) a department's weather and
// tells its screens.
func (s *Server) setWeather(dept string, raw json.RawMessage) {
	s.mu.Lock()
	if raw == nil {
		delete(s.weather.set, dept)
	} else {
		s.weather.set[dept] = raw
	}
	s.weather.version++
	clear(s.boards)
	s.mu.Unlock()
	s.hub.publish(dept, "", event{name: "sync", data: `{"reason":"weather"}`})
}

// renewWeather is "sync now": the department's demo weather is made anew,
// updated now.
func (s *Server) renewWeather(dept string) {
	now := s.clock.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	depts := []string{dept}
	if dept == "" {
		depts = depts[:0]
		for id := range s.st.departments.rows {
			depts = append(depts, id)
		}
	}
	for _, d := range depts {
		s.weather.pressed[d] = now
		s.weather.presses[d]++
	}
	clear(s.boards)
}
