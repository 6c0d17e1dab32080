package board

import "time"

// Symbol is a kind of weather, as the Screen API names it.
type Symbol string

// The weather symbols of the Screen API (v1.1).
const (
	Clear        Symbol = "clear"
	PartlyCloudy Symbol = "partly_cloudy"
	Cloudy       Symbol = "cloudy"
	Fog          Symbol = "fog"
	Drizzle      Symbol = "drizzle"
	Rain         Symbol = "rain"
	Sleet        Symbol = "sleet"
	Snow         Symbol = "snow"
	Thunder      Symbol = "thunder"
	Wind         Symbol = "wind"
)

// Symbols lists every weather symbol.
var Symbols = []Symbol{Clear, PartlyCloudy, Cloudy, Fog, Drizzle, Rain, Sleet, Snow, Thunder, Wind}

// Wet reports whether the symbol brings something down from the sky.
func (s Symbol) Wet() bool {
	switch s {
	case Drizzle, Rain, Sleet, Snow, Thunder:
		return true
	}
	return false
}

// WeatherMaxAge is how old weather may be and still be shown.
const WeatherMaxAge = 6 * time.Hour

// Weather is what the backend says about the weather at the department:
// now, and the coming days. The screen never fetches it itself.
type Weather struct {
	Updated time.Time    `json:"updated"`
	Place   string       `json:"place,omitempty"`
	Now     WeatherNow   `json:"now"`
	Days    []WeatherDay `json:"days,omitempty"`
}

// WeatherNow is the weather at the moment it was updated.
type WeatherNow struct {
	TempC  float64 `json:"temp_c"`
	Symbol Symbol  `json:"symbol"`
	WindMS float64 `json:"wind_ms"`
}

// WeatherDay is one day's forecast. Date is the calendar day (YYYY-MM-DD)
// in the department's zone.
type WeatherDay struct {
	Date     string  `json:"date"`
	MinC     float64 `json:"min_c"`
	MaxC     float64 `json:"max_c"`
	Symbol   Symbol  `json:"symbol"`
	PrecipMM float64 `json:"precip_mm"`
}

// Fresh reports whether the weather may be shown at now: it was updated
// less than WeatherMaxAge before now (and not more than that in the future,
// which would mean a wrong clock on one side).
func (w *Weather) Fresh(now time.Time) bool {
	if w == nil || w.Updated.IsZero() {
		return false
	}
	age := now.Sub(w.Updated)
	return age < WeatherMaxAge && age > -WeatherMaxAge
}

// Day returns the forecast for the calendar day holding t in loc.
func (w *Weather) Day(t time.Time, loc *time.Location) (WeatherDay, bool) {
	if w == nil {
		return WeatherDay{}, false
	}
	date := t.In(loc).Format(time.DateOnly)
	for _, d := range w.Days {
		if d.Date == date {
			return d, true
		}
	}
	return WeatherDay{}, false
}
