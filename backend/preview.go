package backend

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"skaerm/board"
	"skaerm/words"
)

// The preview is what staff look at to check what residents see. /preview
// shows, for one department, each of its screens' last screenshot with its
// age beside today's board; a button asks the screens for new screenshots.
// /preview/board is the board alone as a plain, static web page, in the
// screen's own words and time format (the browser-kiosk baseline the screen
// is measured against). Both apply the same privacy rules as a screen: no
// hidden profiles (only counted), aliases for anonymized ones and no faces
// for them, first names only.

var pictogramLabels = map[string]string{"games": "Spil", "music": "Musik", "walk": "Gåtur", "exercise": "Motion", "crafts": "Kreativt",
	"church": "Kirke", "trip": "Udflugt", "cinema": "Film", "baking": "Bagning"}

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
	Lang, Department, Date, Clock string
	// Slideshow links the department's slideshow page.
	Slideshow string
	// Weather is the temperature now and today's sky and span, as on the
	// screen's weather tile; empty when there is none or it is too old.
	Temp, Weather string
	Activities    []previewActivity
	Meals         []previewMeal
	Shifts        []previewShift
	// The screen's words.
	ActivitiesTitle, MealsTitle, OnDutyTitle string
	NoActivities, NoMeals, NoStaff           string
	Full, Closed                             string
	PhotosLabel                              string
	// Notices are staff's notices shown now, urgent first, as the screen
	// shows them under its header; Important is the word before an urgent one.
	Notices   []previewNotice
	Important string
}

// previewNotice is one notice on the preview.
type previewNotice struct {
	Urgent      bool
	Title, Body string
}

// preview renders the department's page at now; link adds what a link
// from the page needs (the browser's token).
func (s *Server) preview(dept string, now time.Time, link func(string) string) ([]byte, error) {
	mediaURL := func(sha string) string { return link("/preview/media/" + sha) }
	var d Department
	var b *Board
	var rawWeather json.RawMessage
	var today window
	err := s.withDepartment(dept, func(dd Department) (err error) {
		d = dd
		loc := location(d)
		y, m, day := now.In(loc).Date()
		today = window{from: time.Date(y, m, day, 0, 0, 0, 0, loc), to: time.Date(y, m, day+1, 0, 0, 0, 0, loc)}
		b, err = s.st.renderBoard(dept, today)
		rawWeather, _ = s.weatherFor(d, now)
		return err
	})
	if err != nil {
		return nil, err
	}
	loc := location(d)
	say := words.Locale(d.Locale)
	t := now.In(loc)

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
		if pp.Name == "" {
			pp.Name = say.Placeholder(board.Kind(p.Kind)) // in the screen's language
		}
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
	page := previewPage{Lang: say.Lang, Department: d.Name, Date: say.Date(t, loc), Clock: words.Clock(t, loc),
		Slideshow:       link("/preview/slideshow?department=" + url.QueryEscape(dept)),
		ActivitiesTitle: say.Activities, MealsTitle: say.MealsTitle, OnDutyTitle: say.OnDuty,
		NoActivities: say.NothingToday, NoMeals: say.NoMeals, NoStaff: say.NoStaff, Full: say.Full, Closed: say.Closed,
		PhotosLabel: say.Gallery, Important: say.Important}
	for _, n := range b.Notices {
		if !now.Before(n.From) && now.Before(n.Until) {
			page.Notices = append(page.Notices, previewNotice{Urgent: n.Level == NoticeUrgent, Title: n.Title, Body: n.Body})
		}
	}
	slices.SortStableFunc(page.Notices, func(a, b previewNotice) int {
		switch {
		case a.Urgent == b.Urgent:
			return 0
		case a.Urgent:
			return -1
		}
		return 1
	})
	var w board.Weather
	if rawWeather != nil && json.Unmarshal(rawWeather, &w) == nil && w.Fresh(now) {
		page.Temp, page.Weather = words.Temp(w.Now.TempC), say.Sky[w.Now.Symbol]
		if day, ok := w.Day(now, loc); ok {
			page.Weather += ", " + fmt.Sprintf(say.Span, words.Temp(day.MinC), words.Temp(day.MaxC))
		}
	}
	const maxFaces = 10
	for _, a := range b.Activities {
		pa := previewActivity{
			Time:     words.Span(a.Start, a.End, loc),
			Title:    a.Title,
			Location: a.Location,
			Kind:     pictogramLabels[a.Pictogram],
			Count:    say.Count(len(a.Signups), a.Capacity),
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
		pm := previewMeal{Label: say.Meal(board.MealKind(ml.Kind)), Time: words.Clock(ml.Start, loc), Menu: ml.Menu, Past: !ml.End.After(now)}
		if len(ml.Signups) > 0 {
			pm.Count = fmt.Sprintf(say.Eating, len(ml.Signups))
		}
		page.Meals = append(page.Meals, pm)
	}
	for _, kind := range []string{ShiftDay, ShiftEvening, ShiftNight} {
		sh := previewShift{Label: say.Shift(board.ShiftKind(kind))}
		for _, e := range b.Roster {
			if e.Shift != kind || e.Start.Before(today.from) {
				continue
			}
			sh.Time = words.Span(e.Start, e.End, loc)
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

func (s *Server) handlePreviewBoard(w http.ResponseWriter, r *http.Request) {
	dept := s.previewDepartment(r)
	body, err := s.preview(dept, s.clock.Now(), previewToken(r))
	s.writePreview(w, dept, body, err)
}

// writePreview answers with a rendered preview page, or its error.
func (s *Server) writePreview(w http.ResponseWriter, dept string, body []byte, err error) {
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
<html lang="{{.Lang}}">
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
header .weather{display:flex;align-items:baseline;gap:18px;margin-left:auto;margin-right:56px}
header .temp{font-size:72px;font-weight:700;font-variant-numeric:tabular-nums}
header .sky{font-size:34px}
header .clock{font-size:80px;font-weight:700;font-variant-numeric:tabular-nums}
header .photos{font-size:34px;color:#fff;margin-right:40px;padding:14px 24px;border:3px solid #fff;border-radius:18px;text-decoration:none}
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
.notice{background:#dde8f6;color:#141414;padding:16px 48px}.notice.urgent{background:#8e1010;color:#fff}
.notice .ntitle{font-size:44px;font-weight:700}.notice .nbody{font-size:32px;margin-top:6px}
</style>
</head>
<body>
<header>
 <div><h1>{{.Department}}</h1><div class="date">{{.Date}}</div></div>
 {{if .Temp}}<div class="weather"><span class="temp">{{.Temp}}</span><span class="sky">{{.Weather}}</span></div>{{end}}
 <a class="photos" href="{{.Slideshow}}">{{.PhotosLabel}}</a>
 <div class="clock" id="clock">{{.Clock}}</div>
</header>
{{range .Notices}}<div class="notice{{if .Urgent}} urgent{{end}}"><div class="ntitle">{{if .Urgent}}{{$.Important}}: {{end}}{{.Title}}</div>{{if .Body}}<div class="nbody">{{.Body}}</div>{{end}}</div>
{{end}}<main>
<section>
 <h2>{{.ActivitiesTitle}}</h2>
 {{range .Activities}}
 <div class="act{{if .Past}} past{{end}}">
  <div class="top"><span class="time">{{.Time}}</span>{{if .Kind}}<span class="kind">{{.Kind}}</span>{{end}}<span class="title">{{.Title}}</span>
   {{if .Full}}<span class="badge full">{{$.Full}}</span>{{else if .Closed}}<span class="badge closed">{{$.Closed}}</span>{{end}}</div>
  <div class="where">{{.Location}}</div>
  <div class="faces">
   {{range .People}}<div class="face">{{template "avatar" .}}{{.Name}}</div>{{end}}
   {{if .More}}<div class="more">+{{.More}}</div>{{end}}
  </div>
  <div class="count">{{.Count}}</div>
 </div>
 {{else}}<p class="empty">{{.NoActivities}}</p>{{end}}
</section>
<section>
 <h2>{{.MealsTitle}}</h2>
 {{range .Meals}}
 <div class="meal{{if .Past}} past{{end}}"><div class="label">{{.Label}} {{.Time}}</div><div class="menu">{{.Menu}}</div>{{if .Count}}<div class="eat">{{.Count}}</div>{{end}}</div>
 {{else}}<p class="empty">{{.NoMeals}}</p>{{end}}
</section>
<section>
 <h2>{{.OnDutyTitle}}</h2>
 {{range .Shifts}}
 <div class="shift{{if .Current}} now{{end}}"><div class="label">{{.Label}} {{.Time}}</div>
  {{range .People}}<div class="staff">{{template "avatar" .}}<div><div class="name">{{.Name}}</div><div class="role">{{.Role}}</div></div></div>{{end}}
 </div>
 {{else}}<p class="empty">{{.NoStaff}}</p>{{end}}
</section>
</main>
<script>
(function(){var el=document.getElementById("clock");function tick(){var d=new Date();
el.textContent=("0"+d.getHours()).slice(-2)+":"+("0"+d.getMinutes()).slice(-2);}setInterval(tick,10000);})();
</script>
</body>
</html>
{{define "avatar"}}{{if .Avatar}}<img src="{{.Avatar}}" alt="">{{else}}<span class="ph" style="background:hsl({{.Hue}},45%,45%)">{{.Initial}}</span>{{end}}{{end}}
`))

// previewScreen is one screen of the department on the staff page.
type previewScreen struct {
	ID, Shot, Taken, Age string
	Old                  bool // the screenshot is over an hour old
}

type staffPage struct {
	Lang, Department, Date, Board, Ask string
	Screens                            []previewScreen
	Asked                              bool
}

// staffPreview renders the staff page of dept at now.
func (s *Server) staffPreview(dept string, now time.Time, withToken func(string) string, asked bool) ([]byte, error) {
	s.mu.RLock()
	d, ok := s.st.departments.rows[dept]
	s.mu.RUnlock()
	if !ok {
		return nil, fmt.Errorf("%w: no department %q", errNotFound, dept)
	}
	loc := location(d)
	say := words.Locale(d.Locale)
	page := staffPage{Lang: say.Lang, Department: d.Name, Date: say.Date(now, loc), Asked: asked,
		Board: withToken("/preview/board?department=" + url.QueryEscape(dept)),
		Ask:   withToken("/preview/screenshot?department=" + url.QueryEscape(dept))}
	for _, st := range s.screenList() {
		if st.DepartmentID != dept {
			continue
		}
		ps := previewScreen{ID: st.ScreenID}
		if st.HasScreenshot {
			ps.Shot = withToken("/preview/screens/" + url.PathEscape(st.ScreenID) + "/screenshot?at=" + fmt.Sprint(st.ScreenshotAt.Unix()))
			ps.Taken = "billedet er fra " + words.Clock(st.ScreenshotAt, loc)
			if y, m, d := st.ScreenshotAt.In(loc).Date(); y != now.In(loc).Year() || m != now.In(loc).Month() || d != now.In(loc).Day() {
				ps.Taken = "billedet er fra " + say.DateInText(st.ScreenshotAt, loc) + " " + words.Clock(st.ScreenshotAt, loc)
			}
			ps.Age = danishAge(now.Sub(st.ScreenshotAt))
			ps.Old = now.Sub(st.ScreenshotAt) > time.Hour
		}
		page.Screens = append(page.Screens, ps)
	}
	var buf bytes.Buffer
	if err := staffTemplate.Execute(&buf, page); err != nil {
		return nil, fmt.Errorf("render preview: %w", err)
	}
	return buf.Bytes(), nil
}

// danishAge is how long ago, as staff say it: "for 3 minutter siden".
func danishAge(d time.Duration) string {
	n, unit := 0, ""
	switch {
	case d < time.Minute:
		return "for under et minut siden"
	case d < time.Hour:
		n, unit = int(d/time.Minute), "minut"
	case d < 48*time.Hour:
		n, unit = int(d/time.Hour), "time"
	default:
		n, unit = int(d/(24*time.Hour)), "dag"
	}
	if n != 1 {
		unit += map[string]string{"minut": "ter", "time": "r", "dag": "e"}[unit]
	}
	return fmt.Sprintf("for %d %s siden", n, unit)
}

// previewDepartment is the department a preview request names, the first
// one when it names none.
func (s *Server) previewDepartment(r *http.Request) string {
	if dept := r.URL.Query().Get("department"); dept != "" {
		return dept
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.st.firstDepartment()
}

// previewToken adds the admin token a browser came with to a preview link.
func previewToken(r *http.Request) func(string) string {
	token := r.URL.Query().Get("token")
	return func(u string) string {
		if token == "" {
			return u
		}
		sep := "?"
		if strings.Contains(u, "?") {
			sep = "&"
		}
		return u + sep + "token=" + url.QueryEscape(token)
	}
}

func (s *Server) handlePreview(w http.ResponseWriter, r *http.Request) {
	dept := s.previewDepartment(r)
	body, err := s.staffPreview(dept, s.clock.Now(), previewToken(r), r.URL.Query().Get("asked") != "")
	s.writePreview(w, dept, body, err)
}

// handlePreviewAsk asks the department's screens for a new screenshot and
// sends the browser back to the staff page, which looks again shortly.
func (s *Server) handlePreviewAsk(w http.ResponseWriter, r *http.Request) {
	dept := s.previewDepartment(r)
	if _, ok := s.resolveDepartment(dept); !ok {
		writeError(w, http.StatusNotFound, "not_found", fmt.Sprintf("no department %q", dept))
		return
	}
	n := s.hub.publish(dept, "", event{name: "screenshot", data: `{"reason":"preview"}`})
	s.log.Info("preview asked for screenshots", "department", dept, "streams", n)
	back := previewToken(r)("/preview?department=" + url.QueryEscape(dept) + "&asked=1")
	http.Redirect(w, r, back, http.StatusSeeOther)
}

func (s *Server) handlePreviewScreenshot(w http.ResponseWriter, r *http.Request) {
	s.adminScreenshot(w, r)
}

var staffTemplate = template.Must(template.New("staff").Parse(`<!doctype html>
<html lang="{{.Lang}}">
<head>
<meta charset="utf-8">
<meta http-equiv="refresh" content="{{if .Asked}}5{{else}}60{{end}}">
<title>{{.Department}}: skærmene nu</title>
<style>
body{margin:0;background:#f5efe6;color:#1f1f1f;font-family:"Atkinson Hyperlegible","Noto Sans","DejaVu Sans",sans-serif}
header{display:flex;align-items:baseline;gap:24px;padding:16px 32px;background:#2f5d62;color:#fff}
header h1{font-size:36px;margin:0}
header .date{font-size:24px}
main{display:flex;flex-wrap:wrap;gap:24px;padding:24px 32px}
figure{margin:0;background:#fff;border-radius:16px;padding:16px;box-shadow:0 4px 18px rgba(0,0,0,.06)}
figure img,figure iframe,.none{display:block;width:960px;height:540px;border:1px solid #ddd}
figure iframe{width:1920px;height:1080px;transform:scale(.5);transform-origin:0 0;margin-bottom:-540px;margin-right:-960px}
.none{display:flex;align-items:center;justify-content:center;font-size:24px;color:#777;background:#fafafa}
figcaption{font-size:22px;margin-top:10px}
.old{color:#a33}
form{margin:0 32px 32px}
button{font-size:22px;padding:10px 20px;border-radius:12px;border:0;background:#2f5d62;color:#fff;cursor:pointer}
</style>
</head>
<body>
<header><h1>{{.Department}}</h1><div class="date">{{.Date}}</div></header>
<main>
{{range .Screens}}
<figure>
 {{if .Shot}}<img src="{{.Shot}}" alt="Skærm {{.ID}}">{{else}}<div class="none">Skærmen har ikke sendt et billede endnu</div>{{end}}
 <figcaption>Skærm {{.ID}}{{if .Shot}}: {{.Taken}}, <span{{if .Old}} class="old"{{end}}>{{.Age}}</span>{{end}}</figcaption>
</figure>
{{else}}
<figure><div class="none">Ingen skærm i afdelingen har meldt sig endnu</div><figcaption>Skærmene</figcaption></figure>
{{end}}
<figure>
 <iframe src="{{.Board}}" title="Tavlens data"></iframe>
 <figcaption>Tavlens data lige nu (som ren webside)</figcaption>
</figure>
</main>
<form method="post" action="{{.Ask}}">
 <button>Bed skærmene om et nyt billede</button>
 {{if .Asked}}<span>Skærmene er spurgt; siden ser efter igen om lidt.</span>{{end}}
</form>
</body>
</html>
`))

// withDepartment runs f with department dept, under the server's read lock.
func (s *Server) withDepartment(dept string, f func(Department) error) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	d, ok := s.st.departments.rows[dept]
	if !ok {
		return fmt.Errorf("%w: no department %q", errNotFound, dept)
	}
	return f(d)
}
