package backend

import (
	"encoding/json"
	"fmt"
	"image"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"time"
)

// The demo care home: two departments, their people and fifteen days of
// plans (yesterday to today+14), all a pure function of the day. Profiles and
// their avatars do not depend on the day at all; each day's plans depend on
// that calendar day only, so the demo for today and for tomorrow agree about
// the days they share.

const demoSeed = 0x5ca3e_2026

var copenhagen = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Copenhagen")
	if err != nil {
		panic("time zone data for Europe/Copenhagen: " + err.Error()) // embedded by time/tzdata
	}
	return loc
}()

func demoLocation() *time.Location { return copenhagen }

// DemoBoard returns the board the demo backend serves to a screen of
// departmentID ("d1" Solsikken or "d2" Havblik) on day (its date in
// Europe/Copenhagen counts), for the default window: the same bytes a fresh
// demo server answers at that instant (its weather follows the hour). Tests use it to get a realistic board
// without a server.
func DemoBoard(day time.Time, departmentID string) ([]byte, error) {
	b, err := DemoBoardValue(day, departmentID)
	if err != nil {
		return nil, err
	}
	rb, err := encodeBoard(b)
	if err != nil {
		return nil, err
	}
	return rb.body, nil
}

// DemoBoardValue is DemoBoard decoded.
func DemoBoardValue(day time.Time, departmentID string) (*Board, error) {
	st, _, err := buildDemo(day)
	if err != nil {
		return nil, err
	}
	b, err := st.renderBoard(departmentID, defaultWindow(day, demoLocation()))
	if err != nil {
		return nil, err
	}
	if b.Weather, err = json.Marshal(demoWeather(b.Department, day, time.Time{}, 0)); err != nil {
		return nil, err
	}
	return b, nil
}

// DemoMedia returns a demo picture by hash once a demo board that names it
// has been built in this process.
func DemoMedia(sha256 string) (data []byte, contentType string, ok bool) {
	v, ok := artByHash.Load(sha256)
	if !ok {
		return nil, "", false
	}
	b := v.(blob)
	return b.Data, b.ContentType, true
}

// demoBuilder collects content and the pictures it needs.
type demoBuilder struct {
	st    *state
	day   time.Time // local midnight of today
	jobs  map[string]func() (image.Image, string)
	wants map[string][]*Image
	// audio is the demo's one recorded reading, on every lunch.
	audio     *Audio
	audioBlob blob
}

// reading is the demo recording for an item.
func (d *demoBuilder) reading() *Audio {
	a := *d.audio
	return &a
}

func (d *demoBuilder) picture(key string, draw func() (image.Image, string)) *Image {
	img := &Image{}
	d.jobs[key] = draw
	d.wants[key] = append(d.wants[key], img)
	return img
}

func (d *demoBuilder) scene(kind string, w, h int, seed uint64) *Image {
	key := fmt.Sprintf("scene/%s/%dx%d/%d", kind, w, h, seed)
	return d.picture(key, func() (image.Image, string) { return drawScene(kind, w, h, seed), "jpeg" })
}

// buildDemo makes the demo content for the day that holds t.
func buildDemo(t time.Time) (*state, map[string]blob, error) {
	loc := demoLocation()
	y, m, dd := t.In(loc).Date()
	d := &demoBuilder{
		st:    newState(),
		day:   time.Date(y, m, dd, 0, 0, 0, 0, loc),
		jobs:  map[string]func() (image.Image, string){},
		wants: map[string][]*Image{},
	}
	d.audio, d.audioBlob = demoReading()
	for _, dep := range demoDepartments {
		d.st.departments.rows[dep.ID] = dep
		d.st.changed[dep.ID] = d.day.UTC()
	}
	d.profiles()
	for _, dep := range demoDepartments {
		for off := -1; off <= 14; off++ {
			d.dayPlans(dep.ID, off)
		}
		d.meeting(dep.ID)
		d.bookings(dep.ID)
		d.news(dep.ID)
		d.gallery(dep.ID)
	}
	blobs, err := drawAll(d.jobs, runtime.GOMAXPROCS(0))
	if err != nil {
		return nil, nil, err
	}
	media := map[string]blob{}
	if d.audio != nil {
		media[d.audio.SHA256] = d.audioBlob
	}
	for key, imgs := range d.wants {
		b := blobs[key]
		for _, img := range imgs {
			*img = b.Image
		}
		media[b.SHA256] = b
	}
	return d.st, media, nil
}

func demoRand(parts ...uint64) *rand.Rand {
	var h uint64 = 1469598103934665603
	for _, p := range parts {
		h = (h ^ p) * 1099511628211
	}
	return rand.New(rand.NewPCG(demoSeed, h))
}

// asciiFold turns a Danish name into an e-mail friendly one.
func asciiFold(s string) string {
	r := strings.NewReplacer("æ", "ae", "ø", "oe", "å", "aa", "Æ", "Ae", "Ø", "Oe", "Å", "Aa", "Ö", "O", "ö", "o", "-", "")
	return strings.ToLower(r.Replace(s))
}

func (d *demoBuilder) person(id, kind string, idx int, p demoPerson, elderly bool) Profile {
	r := demoRand(0xfeed, uint64(idx), uint64(len(kind)))
	var born time.Time
	if elderly {
		born = time.Date(1927+r.IntN(19), time.Month(1+r.IntN(12)), 1+r.IntN(28), 0, 0, 0, 0, time.UTC)
	} else {
		born = time.Date(1968+r.IntN(34), time.Month(1+r.IntN(12)), 1+r.IntN(28), 0, 0, 0, 0, time.UTC)
	}
	last4 := 1000 + r.IntN(9000)
	if p.male == (last4%2 == 0) {
		last4++ // the last CPR digit is odd for men
	}
	prof := Profile{
		ID:              id,
		Kind:            kind,
		FirstName:       p.first,
		VisibleOnScreen: !demoHidden[id],
		LastName:        p.last,
		Email:           fmt.Sprintf("%s.%s@%s", asciiFold(p.first), asciiFold(p.last), demoMailHosts[r.IntN(len(demoMailHosts))]),
		Phone:           fmt.Sprintf("+45 %d%d %02d %02d %02d", 2+r.IntN(3), r.IntN(10), r.IntN(100), r.IntN(100), r.IntN(100)),
		CPR:             fmt.Sprintf("%s-%04d", born.Format("020106"), last4),
		Birthday:        born.Format(time.DateOnly),
	}
	if alias, ok := demoAnonymized[id]; ok {
		prof.Anonymized, prof.Alias = true, alias
	}
	if alias, ok := demoAliases[id]; ok {
		prof.Alias = alias
	}
	if !demoNoAvatar[id] {
		face := randomFace(demoRand(0xface, uint64(idx), uint64(len(kind))), elderly, p.male)
		prof.Avatar = d.picture("avatar/"+id, func() (image.Image, string) { return drawFace(face, 512), "png" })
	}
	return prof
}

func (d *demoBuilder) profiles() {
	for i, p := range demoResidents {
		id := fmt.Sprintf("p%d", i+1)
		prof := d.person(id, KindResident, i, p, true)
		prof.DepartmentID = demoDepartments[i/20].ID
		prof.Notes = demoResidentNotes[i%len(demoResidentNotes)]
		prof.Room = fmt.Sprintf("Bolig %d.%02d", 1+i/20, 1+i%20)
		d.st.profiles.rows[id] = prof
	}
	for i, s := range demoStaff {
		id := fmt.Sprintf("s%d", i+1)
		prof := d.person(id, KindStaff, i, s.demoPerson, false)
		prof.DepartmentID = demoDepartments[i/8].ID
		prof.Notes = demoStaffNotes[i%len(demoStaffNotes)]
		d.st.profiles.rows[id] = prof
	}
	for i, p := range demoExternals {
		id := fmt.Sprintf("x%d", i+1)
		prof := d.person(id, KindExternal, i, p, true)
		prof.Home = demoOtherHome
		prof.Notes = "Besøgende fra " + demoOtherHome + ". Kontakt deres vagttelefon ved spørgsmål."
		d.st.profiles.rows[id] = prof
	}
}

// residents lists the department's residents, hidden and anonymized ones too.
func (d *demoBuilder) residents(dept string) []string {
	var out []string
	for _, p := range d.st.profiles.sorted() {
		if p.DepartmentID == dept && p.Kind == KindResident {
			out = append(out, p.ID)
		}
	}
	return out
}

// pick returns n distinct ids from ids in a random order.
func pick(r *rand.Rand, ids []string, n int) []string {
	n = min(n, len(ids))
	out := make([]string, 0, n)
	for _, i := range r.Perm(len(ids))[:n] {
		out = append(out, ids[i])
	}
	return out
}

func (d *demoBuilder) at(off, hour, min int) time.Time {
	return time.Date(d.day.Year(), d.day.Month(), d.day.Day()+off, hour, min, 0, 0, d.day.Location())
}

func dayKey(t time.Time) uint64 {
	y, m, dd := t.Date()
	return uint64(y*10000 + int(m)*100 + dd)
}

func deptKey(dept string) uint64 { return uint64(len(dept))<<8 | uint64(dept[len(dept)-1]) }

// dayPlans adds one day's activities, meals and shifts.
func (d *demoBuilder) dayPlans(dept string, off int) {
	date := d.at(off, 0, 0)
	stamp := date.Format("20060102")
	r := demoRand(dayKey(date), deptKey(dept))
	residents := d.residents(dept)

	// Activities: three on weekdays, two at weekends, church on Sunday.
	n := 3
	if wd := date.Weekday(); wd == time.Saturday || wd == time.Sunday {
		n = 2
	}
	var todays []demoActivity
	for _, i := range r.Perm(len(demoActivities))[:n] {
		todays = append(todays, demoActivities[i])
	}
	if date.Weekday() == time.Sunday {
		todays[0] = demoSunday
	}
	if dept == "d1" && off == 1 {
		todays = append(todays, demoVisit)
	}
	for i, t := range todays {
		a := Activity{
			ID:           fmt.Sprintf("a-%s-%s-%d", dept, stamp, i+1),
			Title:        t.title,
			Description:  t.desc,
			Location:     t.location,
			Start:        d.at(off, t.hour, t.min),
			End:          d.at(off, t.hour, t.min).Add(time.Duration(t.minutes) * time.Minute),
			Capacity:     t.capacity,
			SignupOpen:   r.IntN(8) != 0,
			Pictogram:    t.pictogram,
			DepartmentID: dept,
		}
		if t.scene != "" {
			a.Image = d.scene(t.scene, 800, 600, uint64(len(t.title)))
		}
		k := 2 + r.IntN(9)
		if a.Capacity > 0 {
			k = a.Capacity/3 + r.IntN(max(1, a.Capacity-a.Capacity/3))
			if r.IntN(5) == 0 {
				k = a.Capacity // full
			}
		}
		a.Signups = pick(r, residents, k)
		if t == demoVisit {
			a.SignupOpen = true
			a.Signups = append(pick(r, residents, 8), "x1")
		}
		d.st.activities.rows[a.ID] = a
	}

	// Meals.
	meals := []struct {
		kind                 string
		h, m, minutes, dline int
		menu                 string
	}{
		{MealBreakfast, 7, 30, 90, 0, demoBreakfasts[r.IntN(len(demoBreakfasts))]},
		{MealLunch, 12, 0, 60, 10, demoLunches[r.IntN(len(demoLunches))]},
		{MealCoffee, 14, 30, 45, 0, demoCoffees[r.IntN(len(demoCoffees))]},
		{MealDinner, 17, 30, 60, 15, demoDinners[r.IntN(len(demoDinners))]},
		{MealEvening, 20, 0, 45, 0, demoEvenings[r.IntN(len(demoEvenings))]},
	}
	if r.IntN(3) == 0 {
		meals[1].menu += ". Dessert: " + demoDesserts[r.IntN(len(demoDesserts))]
	}
	for _, ml := range meals {
		meal := Meal{
			ID:           fmt.Sprintf("m-%s-%s-%s", dept, stamp, ml.kind),
			Kind:         ml.kind,
			Start:        d.at(off, ml.h, ml.m),
			End:          d.at(off, ml.h, ml.m).Add(time.Duration(ml.minutes) * time.Minute),
			Menu:         ml.menu,
			Signups:      []string{},
			DepartmentID: dept,
		}
		if ml.kind == MealLunch {
			meal.Audio = d.reading()
		}
		if ml.dline > 0 {
			meal.SignupDeadline = d.at(off, ml.dline, 0)
			meal.Signups = pick(r, residents, len(residents)*2/3+r.IntN(len(residents)/3))
		}
		d.st.meals.rows[meal.ID] = meal
	}

	// Shifts: the kitchen assistant on weekday days, care staff rotating.
	var kitchen string
	var care []string
	for _, p := range d.st.profiles.sorted() {
		if p.DepartmentID != dept || p.Kind != KindStaff {
			continue
		}
		if staffRole(p.ID) == roleKitchen {
			kitchen = p.ID
		} else {
			care = append(care, p.ID)
		}
	}
	order := pick(r, care, len(care))
	shifts := []struct {
		kind       string
		start, end int
		staff      []string
	}{
		{ShiftDay, 7, 15, order[0:2]},
		{ShiftEvening, 15, 23, order[2:4]},
		{ShiftNight, 23, 31, order[4:5]},
	}
	if wd := date.Weekday(); wd != time.Saturday && wd != time.Sunday {
		shifts[0].staff = append(slices.Clone(shifts[0].staff), kitchen)
	} else {
		shifts[0].staff = append(slices.Clone(shifts[0].staff), order[5])
	}
	for _, sh := range shifts {
		for i, id := range sh.staff {
			e := RosterEntry{
				ID:           fmt.Sprintf("r-%s-%s-%s-%d", dept, stamp, sh.kind, i+1),
				ProfileID:    id,
				Role:         staffRole(id),
				Shift:        sh.kind,
				Start:        d.at(off, sh.start, 0),
				End:          d.at(off, sh.end, 0),
				DepartmentID: dept,
			}
			d.st.roster.rows[e.ID] = e
		}
	}
}

func staffRole(id string) string {
	var i int
	fmt.Sscanf(id, "s%d", &i)
	if i < 1 || i > len(demoStaff) {
		return ""
	}
	return demoStaff[i-1].role
}

func (d *demoBuilder) meeting(dept string) {
	off := 3
	if dept == "d2" {
		off = 5
	}
	r := demoRand(dayKey(d.at(off, 0, 0)), deptKey(dept), 0x4e)
	m := Meeting{
		ID:           fmt.Sprintf("mt-%s-%s", dept, d.at(off, 0, 0).Format("20060102")),
		Title:        "Husmøde",
		Start:        d.at(off, 14, 0),
		End:          d.at(off, 15, 0),
		Location:     "Dagligstuen",
		Signups:      pick(r, d.residents(dept), 6+r.IntN(5)),
		DepartmentID: dept,
	}
	for i, s := range demoSuggestions[dept] {
		s.ID = fmt.Sprintf("%s-s%d", m.ID, i+1)
		m.Suggestions = append(m.Suggestions, s)
	}
	d.st.meetings.rows[m.ID] = m
}

// bookings adds the department's bookables and what is booked: the
// laundry on about every other day, the minibus twice, the guest room for
// two nights, and this week a few more laundry slots, one of them by a
// resident hidden from screens. No two bookings of a resource overlap, and
// nobody books more than its rules allow in a week.
func (d *demoBuilder) bookings(dept string) {
	for _, x := range demoBookables(dept) {
		d.st.bookables.rows[x.ID] = x
	}
	vask, bus, gaest := "bk-"+dept+"-vask", "bk-"+dept+"-bus", "bk-"+dept+"-gaest"
	residents := d.residents(dept)
	var hidden string
	var visible []string
	for _, id := range residents {
		if demoHidden[id] {
			hidden = id
		} else {
			visible = append(visible, id)
		}
	}
	add := func(id, resource string, start, end time.Time, profile string) {
		x := d.st.bookables.rows[resource]
		d.st.bookings.rows[id] = Booking{ID: id, Resource: x.Name, ResourceID: x.ID, Start: start, End: end, ProfileID: profile, DepartmentID: dept}
	}
	// The laundry's slots, as hours of the day.
	var slots [][2]int
	for _, st := range d.st.bookables.rows[vask].SlotTimes {
		sp, _ := parseDaySpan(st)
		slots = append(slots, [2]int{sp.from / 60, sp.to / 60})
	}
	// freeSlot books the first laundry slot of day off that nobody has,
	// trying them in the order given.
	freeSlot := func(id string, off int, order []int, profile string) {
		for _, i := range order {
			start, end := d.at(off, slots[i][0], 0), d.at(off, slots[i][1], 0)
			taken := false
			for _, o := range d.st.bookings.rows {
				taken = taken || o.ResourceID == vask && o.Start.Before(end) && start.Before(o.End)
			}
			if !taken {
				add(id, vask, start, end, profile)
				return
			}
		}
	}
	// launderers orders the visible residents for the week of day off: the
	// week's daily laundry goes to the first seven, one each, so nobody
	// reaches the laundry's two a week.
	launderers := func(off int) ([]string, int) {
		date := d.at(off, 0, 0)
		weekday := (int(date.Weekday()) + 6) % 7 // Monday 0
		monday := d.at(off-weekday, 0, 0)
		return pick(demoRand(dayKey(monday), deptKey(dept), 0xb7), visible, len(visible)), weekday
	}
	for off := -1; off <= 14; off++ {
		date := d.at(off, 0, 0)
		r := demoRand(dayKey(date), deptKey(dept), 0xb0)
		stamp := date.Format("20060102")
		if r.IntN(2) == 0 {
			h := 9 + 2*r.IntN(4)
			who, weekday := launderers(off)
			add(fmt.Sprintf("b-%s-%s-vask", dept, stamp), vask, d.at(off, h, 0), d.at(off, h+2, 0), who[weekday])
		}
		if off == 2 || off == 9 {
			add(fmt.Sprintf("b-%s-%s-bus", dept, stamp), bus, d.at(off, 9, 0), d.at(off, 13, 0), residents[r.IntN(len(residents))])
		}
		if off == 4 {
			add(fmt.Sprintf("b-%s-%s-gaest", dept, stamp), gaest, d.at(off, 14, 0), d.at(off+2, 11, 0), residents[r.IntN(len(residents))])
		}
	}
	// This week, counted from today: the hidden resident's slot today (the
	// screen keeps it without a name), preferably 15-17, and one more slot
	// today and on each of the next two days that are still this week.
	if hidden != "" {
		freeSlot(fmt.Sprintf("b-%s-%s-vask-2", dept, d.day.Format("20060102")), 0, []int{4, 5, 3, 2, 1, 0}, hidden)
	}
	who, weekday := launderers(0)
	for k := 0; k < 3 && weekday+k <= 6; k++ {
		r := demoRand(dayKey(d.at(k, 0, 0)), deptKey(dept), 0xb1)
		freeSlot(fmt.Sprintf("b-%s-%s-vask-3", dept, d.at(k, 0, 0).Format("20060102")), k, r.Perm(len(slots)), who[7+k])
	}
}

func (d *demoBuilder) news(dept string) {
	for i, n := range demoNews[dept] {
		item := News{
			ID:              fmt.Sprintf("n-%s-%d", dept, i+1),
			Title:           n.title,
			Body:            n.body,
			Published:       d.at(-n.daysAgo, 9, 0),
			VisibleOnScreen: n.visible,
			DepartmentID:    dept,
		}
		if n.scene != "" {
			item.Image = d.scene(n.scene, 1200, 800, uint64(100+i)+deptKey(dept))
		}
		d.st.news.rows[item.ID] = item
	}
}

func (d *demoBuilder) gallery(dept string) {
	r := demoRand(deptKey(dept), 0x9a1)
	for i, g := range demoGallery[dept] {
		item := GalleryItem{
			ID:              fmt.Sprintf("g-%s-%d", dept, i+1),
			Caption:         g.title,
			Image:           d.scene(g.scene, 1600, 1200, uint64(200+i)+deptKey(dept)),
			Taken:           d.at(-g.daysAgo, 14, 0),
			VisibleOnScreen: g.visible,
			Tagged:          pick(r, d.residents(dept), 1+r.IntN(4)),
			DepartmentID:    dept,
		}
		d.st.gallery.rows[item.ID] = item
	}
}

// Secrets lists every string in b that a screen must never store: the
// private fields of every profile, the names and faces of hidden profiles,
// the real names and faces of anonymized ones, and the text and pictures of
// news and gallery items not visible on screens. Strings a screen may show
// (some visible profile's name, for instance) are left out.
func (b *Board) Secrets() []string {
	allowed := map[string]bool{"": true}
	for _, p := range b.Profiles {
		if p.VisibleOnScreen {
			allowed[displayName(p)] = true
			if !p.Anonymized && p.Avatar != nil {
				allowed[p.Avatar.SHA256] = true
			}
		}
	}
	for _, n := range b.News {
		if n.VisibleOnScreen {
			allowed[n.Title], allowed[n.Body] = true, true
			if n.Image != nil {
				allowed[n.Image.SHA256] = true
			}
		}
	}
	for _, g := range b.Gallery {
		if g.VisibleOnScreen {
			allowed[g.Caption] = true
			if g.Image != nil {
				allowed[g.Image.SHA256] = true
			}
		}
	}
	for _, a := range b.Activities {
		if a.Image != nil {
			allowed[a.Image.SHA256] = true
		}
	}
	// Text a screen may keep: a secret that also stands in it (a hidden
	// resident who shares a first name with a visible one, another care
	// home named in an activity's description) cannot be told apart.
	var public strings.Builder
	for s := range allowed {
		public.WriteString(s + "\x00")
	}
	for _, a := range b.Activities {
		fmt.Fprintf(&public, "%s\x00%s\x00%s\x00", a.Title, a.Description, a.Location)
	}
	for _, m := range b.Meals {
		public.WriteString(m.Menu + "\x00")
	}
	for _, m := range b.Meetings {
		fmt.Fprintf(&public, "%s\x00%s\x00", m.Title, m.Location)
		for _, x := range m.Suggestions {
			public.WriteString(x.Text + "\x00")
		}
	}
	for _, x := range b.Bookings {
		public.WriteString(x.Resource + "\x00")
	}
	for _, r := range b.Roster {
		public.WriteString(r.Role + "\x00")
	}
	publicText := public.String()
	var out []string
	add := func(ss ...string) {
		for _, s := range ss {
			if !allowed[s] && !strings.Contains(publicText, s) && !slices.Contains(out, s) {
				out = append(out, s)
			}
		}
	}
	for _, p := range b.Profiles {
		add(p.LastName, p.Email, p.Phone, p.CPR, p.Birthday, p.Notes, p.Room, p.Home)
		if !p.VisibleOnScreen {
			add(p.FirstName, p.Alias)
		}
		if p.Anonymized {
			add(p.FirstName)
		}
		if (!p.VisibleOnScreen || p.Anonymized) && p.Avatar != nil {
			add(p.Avatar.SHA256)
		}
	}
	for _, n := range b.News {
		if !n.VisibleOnScreen {
			add(n.Title, n.Body)
			if n.Image != nil {
				add(n.Image.SHA256)
			}
		}
	}
	for _, g := range b.Gallery {
		if !g.VisibleOnScreen {
			add(g.Caption)
			if g.Image != nil {
				add(g.Image.SHA256)
			}
		}
	}
	slices.Sort(out)
	return out
}

// displayName is what a screen shows for p.
func displayName(p Profile) string {
	if p.Alias != "" || p.Anonymized {
		return p.Alias
	}
	return p.FirstName
}
