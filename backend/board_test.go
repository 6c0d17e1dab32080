package backend

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"image"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	_ "image/jpeg"
	_ "image/png"
)

func TestBoardETagIsStrongAndStable(t *testing.T) {
	tb := startBackend(t)
	first := tb.get(t, "/api/screen/v1/board", "Accept-Encoding", "identity")
	if first.status != http.StatusOK {
		t.Fatalf("board: %d %s", first.status, first.body)
	}
	etag := first.header.Get("ETag")
	sum := sha256.Sum256(first.body)
	if want := `"` + hex.EncodeToString(sum[:]) + `"`; etag != want {
		t.Fatalf("ETag %s, want the quoted sha256 of the body %s", etag, want)
	}

	// Time passes within the weather's three hours: same bytes, same ETag.
	tb.clock.Advance(time.Hour)
	again := tb.get(t, "/api/screen/v1/board", "Accept-Encoding", "identity")
	if !bytes.Equal(again.body, first.body) || again.header.Get("ETag") != etag {
		t.Fatalf("board changed without a content change")
	}

	for _, inm := range []string{etag, "W/" + etag, `"other", ` + etag, "*"} {
		r := tb.get(t, "/api/screen/v1/board", "Accept-Encoding", "identity", "If-None-Match", inm)
		if r.status != http.StatusNotModified || len(r.body) != 0 {
			t.Errorf("If-None-Match %s: %d with %d bytes, want 304 and no body", inm, r.status, len(r.body))
		}
		if r.header.Get("ETag") != etag {
			t.Errorf("304 carries ETag %q, want %q", r.header.Get("ETag"), etag)
		}
	}
	if r := tb.get(t, "/api/screen/v1/board", "Accept-Encoding", "identity", "If-None-Match", `"stale"`); r.status != http.StatusOK {
		t.Errorf("stale If-None-Match: %d, want 200", r.status)
	}
}

// TestBoardGzip: a screen that accepts gzip gets the same board compressed,
// under an entity tag of its own; either tag answers 304.
func TestBoardGzip(t *testing.T) {
	tb := startBackend(t)
	plain := tb.get(t, "/api/screen/v1/board", "Accept-Encoding", "identity")
	zipped := tb.get(t, "/api/screen/v1/board", "Accept-Encoding", "gzip")
	if zipped.status != http.StatusOK || zipped.header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("gzip board: %d, Content-Encoding %q", zipped.status, zipped.header.Get("Content-Encoding"))
	}
	zr, err := gzip.NewReader(bytes.NewReader(zipped.body))
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(body, plain.body) {
		t.Fatal("the gzipped board is not the same board")
	}
	if len(zipped.body)*3 > len(plain.body) {
		t.Errorf("gzip saves little: %d of %d bytes", len(zipped.body), len(plain.body))
	}
	ptag, ztag := plain.header.Get("ETag"), zipped.header.Get("ETag")
	if ptag == ztag || !strings.HasSuffix(ztag, `-gzip"`) {
		t.Errorf("ETags %s and %s: the two encodings need tags of their own", ptag, ztag)
	}
	for _, tag := range []string{ptag, ztag} {
		for _, enc := range []string{"gzip", "identity"} {
			if r := tb.get(t, "/api/screen/v1/board", "Accept-Encoding", enc, "If-None-Match", tag); r.status != http.StatusNotModified {
				t.Errorf("If-None-Match %s with %s: %d, want 304", tag, enc, r.status)
			}
		}
	}
	if r := tb.get(t, "/api/screen/v1/board", "Accept-Encoding", "gzip;q=0"); r.header.Get("Content-Encoding") != "" {
		t.Error("gzip;q=0 still got gzip")
	}
}

func TestBoardChangesWithContent(t *testing.T) {
	tb := startBackend(t)
	ctx := context.Background()
	before, etag := tb.board(t)

	tb.clock.Advance(time.Minute)
	act := Activity{
		ID: "a-test", Title: "Pandekagebagning", Location: "Køkkenet",
		Start: testDay.Add(4 * time.Hour), End: testDay.Add(5 * time.Hour),
		Capacity: 4, SignupOpen: true, Pictogram: "baking", DepartmentID: "d1",
	}
	if err := tb.admin.PutActivity(ctx, act); err != nil {
		t.Fatal(err)
	}
	after, etag2 := tb.board(t)
	if etag2 == etag {
		t.Fatal("ETag unchanged after adding an activity")
	}
	if !after.GeneratedAt.Equal(tb.clock.Now().Truncate(time.Second)) || !after.GeneratedAt.After(before.GeneratedAt) {
		t.Errorf("generated_at %v, want the change time %v", after.GeneratedAt, tb.clock.Now())
	}
	found := false
	for _, a := range after.Activities {
		if a.ID == "a-test" {
			found = true
			if a.Signups == nil || a.DepartmentID != "" {
				t.Errorf("activity on the board: signups %v, department %q; want [] and no department", a.Signups, a.DepartmentID)
			}
		}
	}
	if !found {
		t.Fatal("new activity missing from the board")
	}

	// Another department's change leaves this board alone.
	tb.clock.Advance(time.Minute)
	if err := tb.admin.PutActivity(ctx, Activity{ID: "a-d2", Title: "Banko", Start: act.Start, End: act.End, DepartmentID: "d2"}); err != nil {
		t.Fatal(err)
	}
	if _, e := tb.board(t); e != etag2 {
		t.Error("d1's ETag changed when d2 changed")
	}

	if err := tb.admin.DeleteActivity(ctx, "a-test"); err != nil {
		t.Fatal(err)
	}
	if _, e := tb.board(t); e == etag2 {
		t.Error("ETag unchanged after deleting an activity")
	}
}

func TestBoardIsSortedAndWithinWindow(t *testing.T) {
	tb := startBackend(t)
	b, _ := tb.board(t)
	loc := b.locationForTest(t)
	from := time.Date(2026, 11, 22, 0, 0, 0, 0, loc)
	to := time.Date(2026, 12, 8, 0, 0, 0, 0, loc)
	for i, a := range b.Activities {
		if a.End.Before(from) || !a.Start.Before(to) {
			t.Errorf("activity %s (%v) outside the default window", a.ID, a.Start)
		}
		if i > 0 {
			p := b.Activities[i-1]
			if a.Start.Before(p.Start) || a.Start.Equal(p.Start) && a.ID < p.ID {
				t.Errorf("activities out of order: %s before %s", p.ID, a.ID)
			}
		}
	}
	for i := 1; i < len(b.Profiles); i++ {
		if b.Profiles[i].ID < b.Profiles[i-1].ID {
			t.Errorf("profiles out of order: %s before %s", b.Profiles[i-1].ID, b.Profiles[i].ID)
		}
	}

	one := tb.get(t, "/api/screen/v1/board?from=2026-11-24&to=2026-11-24")
	var day Board
	if err := json.Unmarshal(one.body, &day); err != nil {
		t.Fatal(err)
	}
	if len(day.Activities) == 0 || len(day.Meals) != 5 {
		t.Fatalf("one day: %d activities, %d meals; want some and 5", len(day.Activities), len(day.Meals))
	}
	for _, m := range day.Meals {
		if got := m.Start.In(loc).Format(time.DateOnly); got != "2026-11-24" {
			t.Errorf("meal %s on %s, want 2026-11-24", m.ID, got)
		}
	}
}

func (b *Board) locationForTest(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(b.Department.Timezone)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestBoardPerDepartment(t *testing.T) {
	tb := startBackend(t)
	tok, err := tb.admin.IssueToken(context.Background(), "d2")
	if err != nil {
		t.Fatal(err)
	}
	r := do(t, http.MethodGet, tb.URL+"/api/screen/v1/board", tok, nil)
	var b Board
	if err := json.Unmarshal(r.body, &b); err != nil {
		t.Fatal(err)
	}
	if b.Department.ID != "d2" || b.Department.Name != "Havblik" {
		t.Fatalf("department %+v, want d2 Havblik", b.Department)
	}
	d1, _ := tb.board(t)
	mine := map[string]bool{}
	for _, p := range d1.Profiles {
		mine[p.ID] = true
	}
	for _, p := range b.Profiles {
		if mine[p.ID] {
			t.Errorf("profile %s on both departments' boards", p.ID)
		}
	}
}

func TestMediaServesEveryBoardPicture(t *testing.T) {
	tb := startBackend(t)
	b, _ := tb.board(t)
	var imgs []*Image
	for _, p := range b.Profiles {
		if p.Avatar != nil {
			imgs = append(imgs, p.Avatar)
		}
	}
	for _, g := range b.Gallery {
		imgs = append(imgs, g.Image)
	}
	for _, a := range b.Activities {
		if a.Image != nil {
			imgs = append(imgs, a.Image)
		}
	}
	if len(imgs) < 20 {
		t.Fatalf("only %d pictures on the board", len(imgs))
	}
	seen := map[string]bool{}
	for _, img := range imgs {
		if seen[img.SHA256] {
			continue
		}
		seen[img.SHA256] = true
		r := tb.get(t, "/api/screen/v1/media/"+img.SHA256)
		if r.status != http.StatusOK {
			t.Fatalf("media %s: %d", img.SHA256, r.status)
		}
		sum := sha256.Sum256(r.body)
		if hex.EncodeToString(sum[:]) != img.SHA256 {
			t.Errorf("media %s: bytes hash differently", img.SHA256)
		}
		if ct := r.header.Get("Content-Type"); ct != img.ContentType {
			t.Errorf("media %s: content type %q, board says %q", img.SHA256, ct, img.ContentType)
		}
		if cc := r.header.Get("Cache-Control"); cc != "public, max-age=31536000, immutable" {
			t.Errorf("media %s: Cache-Control %q", img.SHA256, cc)
		}
		cfg, _, err := image.DecodeConfig(bytes.NewReader(r.body))
		if err != nil || cfg.Width != img.Width || cfg.Height != img.Height {
			t.Errorf("media %s: %dx%d (%v), board says %dx%d", img.SHA256, cfg.Width, cfg.Height, err, img.Width, img.Height)
		}
		if nm := tb.get(t, "/api/screen/v1/media/"+img.SHA256, "If-None-Match", r.header.Get("ETag")); nm.status != http.StatusNotModified {
			t.Errorf("media %s: If-None-Match gave %d", img.SHA256, nm.status)
		}
	}
	wantJSONError(t, tb.get(t, "/api/screen/v1/media/"+strings.Repeat("ab", 32)), http.StatusNotFound, "not_found")
	wantJSONError(t, tb.get(t, "/api/screen/v1/media/NOT-A-HASH"), http.StatusNotFound, "not_found")
}
