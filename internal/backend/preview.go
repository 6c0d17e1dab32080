package backend

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// The preview is today's board of one department as a plain web page: what
// staff check before a screen shows it, and the browser-kiosk baseline the
// screen is measured against. It applies the same privacy rules as a screen:
// no hidden profiles (only counted), aliases for anonymized ones and no
// faces for them, first names only.

var (
	danishWeekdays  = []string{"søndag", "mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag"}
	danishMonths    = []string{"januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober", "november", "december"}
	mealLabels      = map[string]string{MealBreakfast: "Morgenmad", MealLunch: "Frokost", MealCoffee: "Eftermiddagskaffe", MealDinner: "Aftensmad", MealEvening: "Aftenkaffe"}
	shiftLabels     = map[string]string{ShiftDay: "Dagvagt", ShiftEvening: "Aftenvagt", ShiftNight: "Nattevagt"}
	pictogramLabels = map[string]string{"games": "Spil", "music": "Musik", "walk": "Gåtur", "exercise": "Motion", "crafts": "Kreativt",
		"church": "Kirke", "trip": "Udflugt", "cinema": "Film", "baking": "Bagning"}
)

// danishDate is "Mandag den 23. november 2026".
func danishDate(t time.Time) string {
	wd := danishWeekdays[t.Weekday()]
	return fmt.Sprintf("%s%s den %d. %s %d", strings.ToUpper(wd[:1]), wd[1:], t.Day(), danishMonths[t.Month()-1], t.Year())
}

func clockText(t time.Time) string { return t.Format("15.04") }

type previewPerson struct {
	Name, Initial, Avatar, Role string
	Hue                         int
}

type previewActivity struct {
	Time, Title, Location, Kind, Count string
	People                             []previewPerson
	More                               int
	Full, Closed, Past                 bool
}

type previewMeal struct {
	Label, Time, Menu, Count string
	Past                     bool
}

type previewShift struct {
	Label, Time string
	Current     bool
	People      []previewPerson
}

type previewPage struct {
	Department, Date, Clock string
	Activities              []previewActivity
	Meals                   []previewMeal
	Shifts                  []previewShift
}

// preview renders the department's page at now.
func (s *Server) preview(dept string, now time.Time, mediaURL func(sha string) string) ([]byte, error) {
	s.mu.RLock()
	d, ok := s.st.departments.rows[dept]
	if !ok {
		s.mu.RUnlock()
		return nil, fmt.Errorf("%w: no department %q", errNotFound, dept)
	}
	loc := location(d)
	t := now.In(loc)
	y, m, day := t.Date()
	today := window{from: time.Date(y, m, day, 0, 0, 0, 0, loc), to: time.Date(y, m, day+1, 0, 0, 0, 0, loc)}
	b, err := s.st.renderBoard(dept, today)
	s.mu.RUnlock()
	if err != nil {
		return nil, err
	}

	people := map[string]Profile{}
	for _, p := range b.Profiles {
		people[p.ID] = p
	}
	// person applies the screen's privacy rules; false for hidden profiles.
	person := func(id string) (previewPerson, bool) {
		p, ok := people[id]
		if !ok || !p.VisibleOnScreen {
			return previewPerson{}, false
		}
		pp := previewPerson{Name: displayName(p)}
		if r := []rune(pp.Name); len(r) > 0 {
			pp.Initial = string(r[0])
		}
		for _, r := range p.ID {
			pp.Hue = (pp.Hue*31 + int(r)) % 360
		}
		if !p.Anonymized && p.Avatar != nil {
			pp.Avatar = mediaURL(p.Avatar.SHA256)
		}
		return pp, true
	}
	count := func(n, capacity int) string {
		if capacity > 0 {
			return fmt.Sprintf("%d af %d tilmeldt", n, capacity)
		}
		return fmt.Sprintf("%d tilmeldt", n)
	}

	page := previewPage{Department: d.Name, Date: danishDate(t), Clock: clockText(t)}
	const maxFaces = 10
	for _, a := range b.Activities {
		pa := previewActivity{
			Time:     clockText(a.Start.In(loc)) + "–" + clockText(a.End.In(loc)),
			Title:    a.Title,
			Location: a.Location,
			Kind:     pictogramLabels[a.Pictogram],
			Count:    count(len(a.Signups), a.Capacity),
			Full:     a.Capacity > 0 && len(a.Signups) >= a.Capacity,
			Closed:   !a.SignupOpen,
			Past:     !a.End.After(now),
		}
		for _, id := range a.Signups {
			if pp, ok := person(id); ok {
				if len(pa.People) < maxFaces {
					pa.People = append(pa.People, pp)
				} else {
					pa.More++
				}
			}
		}
		page.Activities = append(page.Activities, pa)
	}
	// What is still to come goes first; the day's finished activities
	// follow, dimmed, as far as there is room.
	slices.SortStableFunc(page.Activities, func(a, b previewActivity) int {
		switch {
		case a.Past == b.Past:
			return 0
		case b.Past:
			return -1
		}
		return 1
	})
	for _, ml := range b.Meals {
		pm := previewMeal{Label: mealLabels[ml.Kind], Time: clockText(ml.Start.In(loc)), Menu: ml.Menu, Past: !ml.End.After(now)}
		if len(ml.Signups) > 0 {
			pm.Count = fmt.Sprintf("%d spiser med", len(ml.Signups))
		}
		page.Meals = append(page.Meals, pm)
	}
	for _, kind := range []string{ShiftDay, ShiftEvening, ShiftNight} {
		sh := previewShift{Label: shiftLabels[kind]}
		for _, e := range b.Roster {
			if e.Shift != kind || e.Start.Before(today.from) {
				continue
			}
			sh.Time = clockText(e.Start.In(loc)) + "–" + clockText(e.End.In(loc))
			sh.Current = sh.Current || !now.Before(e.Start) && now.Before(e.End)
			if pp, ok := person(e.ProfileID); ok {
				pp.Role = e.Role
				sh.People = append(sh.People, pp)
			}
		}
		if sh.Time != "" {
			page.Shifts = append(page.Shifts, sh)
		}
	}
	var buf bytes.Buffer
	if err := previewTemplate.Execute(&buf, page); err != nil {
		return nil, fmt.Errorf("render preview: %w", err)
	}
	return buf.Bytes(), nil
}

func (s *Server) handlePreview(w http.ResponseWriter, r *http.Request) {
	dept := r.URL.Query().Get("department")
	if dept == "" {
		s.mu.RLock()
		dept = s.st.firstDepartment()
		s.mu.RUnlock()
	}
	token := r.URL.Query().Get("token")
	mediaURL := func(sha string) string {
		u := "/preview/media/" + sha
		if token != "" {
			u += "?token=" + url.QueryEscape(token)
		}
		return u
	}
	body, err := s.preview(dept, s.clock.Now(), mediaURL)
	if err != nil {
		if errors.Is(err, errNotFound) {
			writeError(w, http.StatusNotFound, "not_found", err.Error())
			return
		}
		s.log.Error("preview", "department", dept, "err", err)
		writeError(w, http.StatusInternalServerError, "internal", "could not render the preview")
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Write(body)
}

func (s *Server) handlePreviewMedia(w http.ResponseWriter, r *http.Request) {
	s.serveMedia(w, r, r.PathValue("sha256"))
}

var previewTemplate = template.Must(template.New("preview").Parse(`<!doctype html>
<html lang="da">
<head>
<meta charset="utf-8">
<meta http-equiv="refresh" content="60">
<meta name="viewport" content="width=1920, height=1080">
<title>{{.Department}} – {{.Date}}</title>
<style>
*{box-sizing:border-box}
html,body{margin:0;height:100%}
body{width:1920px;height:1080px;overflow:hidden;background:#f5efe6;color:#1f1f1f;
 font-family:"Atkinson Hyperlegible","Noto Sans","DejaVu Sans",sans-serif;display:flex;flex-direction:column}
header{display:flex;align-items:center;justify-content:space-between;padding:20px 48px;background:#2f5d62;color:#fff}
header h1{font-size:60px;margin:0;font-weight:700}
header .date{font-size:40px}
header .clock{font-size:80px;font-weight:700;font-variant-numeric:tabular-nums}
main{flex:1;display:grid;grid-template-columns:1.7fr 1fr 1fr;gap:28px;padding:28px 48px;min-height:0}
section{background:#fff;border-radius:28px;padding:24px 28px;overflow:hidden;box-shadow:0 4px 18px rgba(0,0,0,.06)}
h2{font-size:44px;margin:0 0 16px;color:#2f5d62}
.act{border-top:3px solid #efe6d8;padding:16px 0}
.act:first-of-type{border-top:none;padding-top:0}
.act.past{opacity:.5}
.act .top{display:flex;align-items:baseline;gap:18px}
.time{font-size:34px;font-weight:700;font-variant-numeric:tabular-nums;white-space:nowrap}
.title{font-size:40px;font-weight:700}
.kind{font-size:24px;font-weight:700;color:#fff;background:#c4703a;border-radius:12px;padding:2px 12px;white-space:nowrap;align-self:center}
.where{font-size:28px;color:#555;margin:4px 0 10px}
.faces{display:flex;flex-wrap:wrap;gap:10px 16px;align-items:flex-start}
.face{width:96px;text-align:center;font-size:22px;line-height:1.2;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.face img,.face .ph{width:76px;height:76px;border-radius:50%;display:block;margin:0 auto 4px;object-fit:cover}
.ph{display:flex!important;align-items:center;justify-content:center;font-size:36px;font-weight:700;color:#fff}
.more{font-size:28px;align-self:center;color:#555}
.count{font-size:30px;margin-top:10px}
.badge{display:inline-block;white-space:nowrap;font-size:26px;padding:4px 14px;border-radius:14px;margin-left:12px;vertical-align:middle}
.full{background:#f6d6b8;color:#7a3b00}.closed{background:#e3e3e3;color:#444}
.meal{border-top:3px solid #efe6d8;padding:14px 0}.meal:first-of-type{border-top:none;padding-top:0}
.meal.past{opacity:.5}
.meal .label{font-size:30px;color:#2f5d62;font-weight:700}
.meal .menu{font-size:34px;line-height:1.25}
.meal .eat{font-size:24px;color:#555}
.shift{padding:12px 0;border-top:3px solid #efe6d8}.shift:first-of-type{border-top:none;padding-top:0}
.shift.now{background:#eaf4ea;border-radius:18px;padding:12px 14px}
.shift .label{font-size:32px;font-weight:700}
.staff{display:flex;align-items:center;gap:16px;margin-top:10px}
.staff img,.staff .ph{width:80px;height:80px;border-radius:50%;object-fit:cover;flex:none}
.staff .name{font-size:32px;font-weight:700}
.staff .role{font-size:22px;color:#555}
.empty{font-size:30px;color:#777}
</style>
</head>
<body>
<header>
 <div><h1>{{.Department}}</h1><div class="date">{{.Date}}</div></div>
 <div class="clock" id="clock">{{.Clock}}</div>
</header>
<main>
<section>
 <h2>Dagens aktiviteter</h2>
 {{range .Activities}}
 <div class="act{{if .Past}} past{{end}}">
  <div class="top"><span class="time">{{.Time}}</span>{{if .Kind}}<span class="kind">{{.Kind}}</span>{{end}}<span class="title">{{.Title}}</span>
   {{if .Full}}<span class="badge full">Fuldt</span>{{else if .Closed}}<span class="badge closed">Tilmelding lukket</span>{{end}}</div>
  <div class="where">{{.Location}}</div>
  <div class="faces">
   {{range .People}}<div class="face">{{template "avatar" .}}{{.Name}}</div>{{end}}
   {{if .More}}<div class="more">+{{.More}}</div>{{end}}
  </div>
  <div class="count">{{.Count}}</div>
 </div>
 {{else}}<p class="empty">Ingen aktiviteter i dag.</p>{{end}}
</section>
<section>
 <h2>Dagens mad</h2>
 {{range .Meals}}
 <div class="meal{{if .Past}} past{{end}}"><div class="label">{{.Label}} kl. {{.Time}}</div><div class="menu">{{.Menu}}</div>{{if .Count}}<div class="eat">{{.Count}}</div>{{end}}</div>
 {{else}}<p class="empty">Ingen måltider i dag.</p>{{end}}
</section>
<section>
 <h2>På vagt i dag</h2>
 {{range .Shifts}}
 <div class="shift{{if .Current}} now{{end}}"><div class="label">{{.Label}} {{.Time}}</div>
  {{range .People}}<div class="staff">{{template "avatar" .}}<div><div class="name">{{.Name}}</div><div class="role">{{.Role}}</div></div></div>{{end}}
 </div>
 {{else}}<p class="empty">Ingen vagtplan i dag.</p>{{end}}
</section>
</main>
<script>
(function(){var el=document.getElementById("clock");function tick(){var d=new Date();
el.textContent=("0"+d.getHours()).slice(-2)+"."+("0"+d.getMinutes()).slice(-2);}setInterval(tick,10000);})();
</script>
</body>
</html>
{{define "avatar"}}{{if .Avatar}}<img src="{{.Avatar}}" alt="">{{else}}<span class="ph" style="background:hsl({{.Hue}},45%,45%)">{{.Initial}}</span>{{end}}{{end}}
`))
