package backend

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"time"

	"skaerm/words"
)

// /preview/slideshow is the screen's idle slideshow as a plain web page:
// the same slides in the same order at the same pace (the gallery photos
// visible on screens, newest first, then the news visible on screens that
// have a picture), each photo covering the box above a bar with its
// caption, the date and the clock; a tap anywhere opens the board page, as
// a touch brings the screen back to its Today page. It is the browser-kiosk baseline the
// screen's slideshow is measured against (build/bench/footprint), so it is
// as plain as such a page gets: no framework, no external resources, no
// animation, one timer for the slides and one for the clock.

// slide is one slide of the slideshow page.
type slide struct {
	Src     string `json:"src"`
	Caption string `json:"caption"`
}

type slideshowPage struct {
	Lang, Department, Date, Clock, Hint string
	Board                               string // the board page's link
	Slides                              []slide
	// EveryMS is how long each slide is shown, the screen's pace.
	EveryMS int64
}

// SlideEvery is how long the staff's slideshow preview shows each slide:
// the screen's own pace (display/layout.SlideFor; a test there holds the
// two equal).
const SlideEvery = 15 * time.Second

// slideshow renders the department's slideshow page at now; link adds what
// a link from the page needs (the browser's token).
func (s *Server) slideshow(dept string, now time.Time, link func(string) string) ([]byte, error) {
	mediaURL := func(sha string) string { return link("/preview/media/" + sha) }
	var d Department
	var b *Board
	err := s.withDepartment(dept, func(dd Department) (err error) {
		// Gallery and news do not depend on the day: any window will do.
		d = dd
		b, err = s.st.renderBoard(dept, window{from: now, to: now})
		return err
	})
	if err != nil {
		return nil, err
	}
	loc := location(d)
	say := words.Locale(d.Locale)
	page := slideshowPage{Lang: say.Lang, Department: d.Name, Date: say.Date(now, loc), Clock: words.Clock(now, loc),
		Hint: say.IdleHint, Board: link("/preview/board?department=" + url.QueryEscape(dept)), EveryMS: SlideEvery.Milliseconds(), Slides: []slide{}}
	// renderBoard sorts both newest first, as the screen shows them.
	for _, g := range b.Gallery {
		if g.VisibleOnScreen && g.Image != nil {
			page.Slides = append(page.Slides, slide{Src: mediaURL(g.Image.SHA256), Caption: g.Caption})
		}
	}
	for _, n := range b.News {
		if n.VisibleOnScreen && n.Image != nil {
			page.Slides = append(page.Slides, slide{Src: mediaURL(n.Image.SHA256), Caption: n.Title})
		}
	}
	var buf bytes.Buffer
	if err := slideshowTemplate.Execute(&buf, page); err != nil {
		return nil, fmt.Errorf("render slideshow: %w", err)
	}
	return buf.Bytes(), nil
}

func (s *Server) handlePreviewSlideshow(w http.ResponseWriter, r *http.Request) {
	dept := s.previewDepartment(r)
	body, err := s.slideshow(dept, s.clock.Now(), previewToken(r))
	s.writePreview(w, dept, body, err)
}

// The sizes are the screen's: its unit is a hundredth of the shorter side
// (vmin), the margin two units, the bar 22, the clock 11, the caption 5.
var slideshowTemplate = template.Must(template.New("slideshow").Parse(`<!doctype html>
<html lang="{{.Lang}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width">
<title>{{.Department}}: billeder</title>
<style>
html,body{margin:0;height:100%;overflow:hidden;background:#101010}
body{font-family:"Atkinson Hyperlegible","Noto Sans","DejaVu Sans",sans-serif;color:#141414}
#all{display:flex;flex-direction:column;height:100%;color:inherit;text-decoration:none}
.pic{flex:1;min-height:0;padding:2vmin}
.pic img{display:block;width:100%;height:100%;object-fit:cover;border-radius:1vmin}
.bar{height:22vmin;box-sizing:border-box;padding:2vmin;background:#fff;display:flex;align-items:center;gap:2vmin}
.text{flex:1;min-width:0}
.caption{font-size:5vmin;font-weight:700;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.date{font-size:3.3vmin;margin-top:1vmin}
.clock{font-size:11vmin;font-weight:700;color:#0b3d91;font-variant-numeric:tabular-nums}
</style>
</head>
<body>
<a id="all" href="{{.Board}}">
<div class="pic"><img id="photo" alt=""{{if .Slides}} src="{{(index .Slides 0).Src}}"{{end}}></div>
<div class="bar">
 <div class="text"><div class="caption" id="caption">{{if .Slides}}{{(index .Slides 0).Caption}}{{else}}{{.Date}}{{end}}</div>
 <div class="date">{{.Date}}  ·  {{.Hint}}</div></div>
 <div class="clock" id="clock">{{.Clock}}</div>
</div>
</a>
<script>
(function(){
var slides={{.Slides}},every={{.EveryMS}},i=0;
var photo=document.getElementById("photo"),caption=document.getElementById("caption"),clock=document.getElementById("clock");
if(slides.length>1){setInterval(function(){i=(i+1)%slides.length;photo.src=slides[i].src;caption.textContent=slides[i].caption;},every);}
function tick(){var d=new Date();clock.textContent=("0"+d.getHours()).slice(-2)+":"+("0"+d.getMinutes()).slice(-2);
setTimeout(tick,60000-d.getSeconds()*1000-d.getMilliseconds());}
setTimeout(tick,60000-new Date().getSeconds()*1000-new Date().getMilliseconds());
})();
</script>
</body>
</html>
`))
