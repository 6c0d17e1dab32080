// Command touch tells the field lab where a finger goes: it lays out the
// page the screen shows with the screen's own layout (display/layout), from
// a copy of the screen's cache, at the screen's time and size, and prints
// the centre of one target in screen pixels. The lab builds it for the
// guest's architecture (no cgo) and runs it inside the guest; build/bench/tap
// finds its targets the same way.
//
//	touch -cache COPY -size 1280x800 -at UNIX week  -> "X Y": the way to Week from Today
//	touch ... -activity ID card                    -> the activity on Week
//	touch ... -activity ID [-not P1,P2] face       -> "X Y PROFILE"
//	touch ... -activity ID -pick PROFILE confirm
//	touch ... -activity ID back                    -> the activity page's way back to Today
//	touch ... blank                                -> a point on Today that no target covers
//	touch ... bookings                             -> the way to Bookings from Today
//	touch ... resource                             -> "X Y ID": a resource in fixed slots on Bookings
//	touch ... -resource ID slot                    -> "X Y START END": tomorrow's first free slot
//	touch ... -resource ID -start S -end E [-not P1,P2] bookface -> "X Y PROFILE"
//	touch ... -resource ID -start S -end E -pick PROFILE bookconfirm
//
// card is the activity's line on the Week page, face the first resident on the
// activity's page who is not signed up (the board and the cache's outbox
// together, as the screen counts them) and not in -not, confirm the "Ja,
// tilmeld" button of the question the screen asks after a face. resource is
// the first resource booked in fixed slots without a login, slot the first
// free slot of tomorrow on its week grid (START and END in Unix seconds),
// bookface the first face on the booking sheet of that slot whose
// resident may book more this week, bookconfirm the sheet's "Ja, book"
// button. It fails
// (status 1, the reason on stderr) when the page has no such target.
package main

import (
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"
	_ "time/tzdata" // the department's zone: the guest's bare system has no zoneinfo

	"skaerm/assets"
	"skaerm/board"
	"skaerm/cache"
	"skaerm/display/layout"
)

func main() {
	cachePath := flag.String("cache", "", "a copy of the screen's cache file")
	size := flag.String("size", "1280x800", "the screen's size in pixels, WxH")
	at := flag.Int64("at", 0, "the screen's time, Unix seconds (0: this machine's clock)")
	activity := flag.String("activity", "", "the activity's id (card, face, confirm)")
	pick := flag.String("pick", "", "the profile the question asks about (confirm)")
	not := flag.String("not", "", "profiles not to pick, comma-separated (face, bookface)")
	resource := flag.String("resource", "", "the resource's id (slot, bookface, bookconfirm)")
	start := flag.Int64("start", 0, "the slot's start, Unix seconds (bookface, bookconfirm)")
	end := flag.Int64("end", 0, "the slot's end, Unix seconds (bookface, bookconfirm)")
	flag.Parse()
	// What to find may come before the flags that go with it.
	what := flag.Arg(0)
	if err := flag.CommandLine.Parse(flag.Args()[min(1, flag.NArg()):]); err != nil || flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "touch: one thing to find, then flags")
		os.Exit(2)
	}
	slot := slotArgs{resource: *resource, start: time.Unix(*start, 0), end: time.Unix(*end, 0)}
	if err := run(*cachePath, *size, *at, *activity, *pick, *not, slot, what); err != nil {
		fmt.Fprintln(os.Stderr, "touch:", err)
		os.Exit(1)
	}
}

// slotArgs are the flags of the booking steps.
type slotArgs struct {
	resource   string
	start, end time.Time
}

func run(cachePath, size string, at int64, activity, pick, not string, slot slotArgs, what string) error {
	var w, h int
	if _, err := fmt.Sscanf(size, "%dx%d", &w, &h); err != nil || w <= 0 || h <= 0 {
		return fmt.Errorf("size %q: want WxH", size)
	}
	now := time.Now()
	if at != 0 {
		now = time.Unix(at, 0)
	}
	c, err := cache.Open(cachePath, cache.Options{ReadOnly: true, Timeout: 5 * time.Second})
	if err != nil {
		return err
	}
	defer c.Close()
	bd, err := c.Board()
	if err != nil {
		return err
	}
	if bd == nil {
		return fmt.Errorf("no board in %s", cachePath)
	}
	outbox, err := c.Outbox()
	if err != nil {
		return err
	}
	meas, err := layout.NewFontMeasurer(assets.FontRegular, assets.FontBold)
	if err != nil {
		return err
	}
	page := board.PageID{Kind: board.PageActivity, ID: activity}
	build := func(st layout.State) *layout.Page {
		return layout.Build(meas, layout.Input{Board: bd, Now: now, W: float64(w), H: float64(h), State: st, Outbox: outbox})
	}
	centre := func(r layout.Rect) (int, int) { return int(r.X + r.W/2), int(r.Y + r.H/2) }
	if x, y, out, ok, err := bookingStep(build, bd, outbox, now, slot, pick, strings.Split(not, ","), what); ok {
		if err != nil {
			return err
		}
		fmt.Println(strings.TrimSpace(fmt.Sprint(x, y, " ", out)))
		return nil
	}
	switch what {
	case "week":
		for _, tg := range build(layout.State{}).Targets {
			if tg.Intent.Kind == layout.Open && tg.Intent.Page == board.PageOf(board.PageWeek) {
				x, y := centre(tg.R)
				fmt.Println(x, y)
				return nil
			}
		}
		return fmt.Errorf("no way to Week on Today")
	case "card":
		for _, tg := range build(layout.State{Page: board.PageOf(board.PageWeek)}).Targets {
			if tg.Intent.Kind == layout.Open && tg.Intent.Page == page {
				x, y := centre(tg.R)
				fmt.Println(x, y)
				return nil
			}
		}
		return fmt.Errorf("no line of %s on Week at %s", activity, now.Format(time.RFC3339))
	case "face":
		skip := strings.Split(not, ",")
		var act *board.Activity
		for i := range bd.Activities {
			if bd.Activities[i].ID == activity {
				act = &bd.Activities[i]
			}
		}
		if act == nil {
			return fmt.Errorf("no activity %s on the board", activity)
		}
		for _, tg := range build(layout.State{Page: page}).Targets {
			p := tg.Intent.Profile
			if tg.Intent.Kind != layout.Pick || slices.Contains(skip, p) {
				continue
			}
			if layout.MemberOf(act.Signups, outbox, board.ActivityItem, activity, p).Joined {
				continue
			}
			x, y := centre(tg.R)
			fmt.Println(x, y, p)
			return nil
		}
		return fmt.Errorf("no face to pick on %s", page)
	case "confirm":
		for _, tg := range build(layout.State{Page: page, Pick: pick}).Targets {
			if tg.Intent.Kind == layout.Confirm && tg.Intent.Signup.Action == board.Join {
				x, y := centre(tg.R)
				fmt.Println(x, y)
				return nil
			}
		}
		return fmt.Errorf("no sign-up button on %s for %s", page, pick)
	case "back":
		for _, tg := range build(layout.State{Page: page}).Targets {
			if tg.Intent.Kind == layout.Open && tg.Intent.Page == board.PageOf(board.PageToday) {
				x, y := centre(tg.R)
				fmt.Println(x, y)
				return nil
			}
		}
		return fmt.Errorf("no way back to Today on %s", page)
	case "blank":
		p := build(layout.State{})
		// The first point of a coarse grid, from the middle of the page
		// down, that no target covers.
		for y := h / 2; y < h-10; y += 10 {
			for x := 10; x < w-10; x += 10 {
				if _, ok := p.TargetAt(float64(x), float64(y)); !ok {
					fmt.Println(x, y)
					return nil
				}
			}
		}
		return fmt.Errorf("every point of Today is a target")
	}
	return fmt.Errorf("what to find: week, card, face, confirm, back, blank, bookings, resource, slot, bookface or bookconfirm (not %q)", what)
}

// bookingStep finds the targets of booking on the screen: ok is false
// when what is not one of them.
func bookingStep(build func(layout.State) *layout.Page, bd *board.Board, outbox []board.Signup, now time.Time,
	slot slotArgs, pick string, skip []string, what string) (x, y int, out string, ok bool, err error) {
	grid := layout.ResourcePage(slot.resource)
	sheet := layout.State{Page: grid, Slot: slot.start, SlotEnd: slot.end}
	find := func(st layout.State, match func(layout.Intent) bool) (int, int, layout.Intent, error) {
		p := build(st)
		for _, tg := range p.Targets {
			if match(tg.Intent) {
				return int(tg.R.X + tg.R.W/2), int(tg.R.Y + tg.R.H/2), tg.Intent, nil
			}
		}
		return 0, 0, layout.Intent{}, fmt.Errorf("no %s on %s at %s", what, p.ID, now.Format(time.RFC3339))
	}
	var in layout.Intent
	switch what {
	case "bookings":
		x, y, _, err = find(layout.State{}, func(in layout.Intent) bool {
			return in.Kind == layout.Open && in.Page == board.PageOf(board.PageBookings)
		})
	case "resource":
		x, y, in, err = find(layout.State{Page: board.PageOf(board.PageBookings)}, func(in layout.Intent) bool {
			if in.Kind != layout.Open || in.Page.Kind != grid.Kind {
				return false
			}
			r, found := bd.Bookable(in.Page.ID)
			return found && r.Slots == board.FixedSlots && !r.LoginRequired
		})
		out = in.Page.ID
	case "slot":
		loc := bd.Location()
		y0, m0, d0 := now.In(loc).Date()
		tomorrow := time.Date(y0, m0, d0+1, 12, 0, 0, 0, loc)
		x, y, in, err = find(layout.State{Page: grid}, func(in layout.Intent) bool {
			return in.Kind == layout.Choose && in.Booking == "" && board.SameDay(in.Start, tomorrow, loc)
		})
		out = fmt.Sprint(in.Start.Unix(), " ", in.End.Unix())
	case "bookface":
		r, found := bd.Bookable(slot.resource)
		if !found {
			return 0, 0, "", true, fmt.Errorf("no resource %s on the board", slot.resource)
		}
		x, y, in, err = find(sheet, func(in layout.Intent) bool {
			return in.Kind == layout.Pick && !slices.Contains(skip, in.Profile) && !board.AtWeekLimit(bd, outbox, r, in.Profile, slot.start)
		})
		out = in.Profile
	case "bookconfirm":
		sheet.Pick = pick
		x, y, _, err = find(sheet, func(in layout.Intent) bool {
			return in.Kind == layout.Confirm && in.Signup.Action == board.Book
		})
	default:
		return 0, 0, "", false, nil
	}
	return x, y, out, true, err
}
