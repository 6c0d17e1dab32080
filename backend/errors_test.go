package backend

import (
	"bytes"
	"image"
	"image/png"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func tinyPNG(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewRGBA(image.Rect(0, 0, 4, 3))); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestBadRequestsAnswerJSON sends what a broken or hostile client might and
// wants a JSON error with the right status every time.
func TestBadRequestsAnswerJSON(t *testing.T) {
	tb := startBackend(t)
	huge := `{"id":"` + strings.Repeat("x", maxJSONBody) + `"}`
	tests := []struct {
		name, method, path, token, contentType, body string
		status                                       int
		code                                         string
	}{
		{"no token", "GET", "/api/screen/v1/board", "", "", "", 401, "unauthorized"},
		{"unknown token", "GET", "/api/screen/v1/board", "nope", "", "", 401, "unauthorized"},
		{"no token on events", "GET", "/api/screen/v1/events", "", "", "", 401, "unauthorized"},
		{"no token on media", "GET", "/api/screen/v1/media/" + strings.Repeat("0", 64), "", "", "", 401, "unauthorized"},
		{"unknown route", "GET", "/api/screen/v1/nothing", testToken, "", "", 404, "not_found"},
		{"unknown top-level route", "GET", "/wp-admin.php", "", "", "", 404, "not_found"},
		{"wrong method", "DELETE", "/api/screen/v1/board", testToken, "", "", 405, "method_not_allowed"},
		{"wrong method on admin", "POST", "/admin/v1/screens", "", "", "", 405, "method_not_allowed"},
		{"bad from", "GET", "/api/screen/v1/board?from=23-11-2026", testToken, "", "", 400, "bad_request"},
		{"bad to", "GET", "/api/screen/v1/board?to=2026-02-30", testToken, "", "", 400, "bad_request"},
		{"to before from", "GET", "/api/screen/v1/board?from=2026-11-25&to=2026-11-24", testToken, "", "", 400, "bad_request"},
		{"window too long", "GET", "/api/screen/v1/board?from=2026-01-01&to=2026-12-31", testToken, "", "", 400, "bad_request"},
		{"bad JSON", "POST", "/api/screen/v1/signups", testToken, "application/json", `{"id":`, 400, "bad_json"},
		{"form instead of JSON", "POST", "/api/screen/v1/signups", testToken, "application/x-www-form-urlencoded", `id=1`, 415, "unsupported_media_type"},
		{"huge sign-up", "POST", "/api/screen/v1/signups", testToken, "application/json", huge, 413, "too_large"},
		{"huge status", "POST", "/api/screen/v1/status", testToken, "application/json", huge, 413, "too_large"},
		{"status not JSON", "POST", "/api/screen/v1/status", testToken, "application/json", `<html>`, 400, "bad_json"},
		{"screenshot not PNG", "POST", "/api/screen/v1/screenshot", testToken, "image/png", "GIF89a....", 400, "bad_image"},
		{"screenshot as JPEG", "POST", "/api/screen/v1/screenshot", testToken, "image/jpeg", "xx", 415, "unsupported_media_type"},
		{"screenshot too large", "POST", "/api/screen/v1/screenshot", testToken, "image/png", strings.Repeat("x", maxScreenshotBody+1), 413, "too_large"},
		{"admin bad JSON", "PUT", "/admin/v1/activities/a1", "", "application/json", `{`, 400, "bad_json"},
		{"admin unknown field", "PUT", "/admin/v1/activities/a1", "", "application/json", `{"title":"x","colour":"red"}`, 400, "bad_json"},
		{"admin end before start", "PUT", "/admin/v1/activities/a1", "", "application/json",
			`{"title":"x","start":"2026-11-23T12:00:00+01:00","end":"2026-11-23T11:00:00+01:00"}`, 400, "bad_request"},
		{"admin id mismatch", "PUT", "/admin/v1/activities/a1", "", "application/json", `{"id":"a2","title":"x"}`, 400, "bad_request"},
		{"admin unknown department", "PUT", "/admin/v1/activities/a1", "", "application/json",
			`{"title":"x","start":"2026-11-23T12:00:00+01:00","end":"2026-11-23T13:00:00+01:00","department_id":"d9"}`, 400, "bad_request"},
		{"admin patch unknown profile", "PATCH", "/admin/v1/profiles/p999", "", "application/json", `{"first_name":"X"}`, 404, "not_found"},
		{"admin patch unknown field", "PATCH", "/admin/v1/profiles/p1", "", "application/json", `{"shoe_size":42}`, 400, "bad_request"},
		{"admin delete unknown", "DELETE", "/admin/v1/activities/nope", "", "", "", 404, "not_found"},
		{"admin media not an image", "POST", "/admin/v1/media", "", "image/png", "hello", 400, "bad_image"},
		{"admin bad fault", "PUT", "/admin/v1/fault", "", "application/json", `{"mode":"explode"}`, 400, "bad_request"},
		{"admin push bad event", "POST", "/admin/v1/events", "", "application/json", `{"event":"dance"}`, 400, "bad_request"},
		{"preview unknown department", "GET", "/preview?department=d9", "", "", "", 404, "not_found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var hdr []string
			if tt.contentType != "" {
				hdr = []string{"Content-Type", tt.contentType}
			}
			r := do(t, tt.method, tb.URL+tt.path, tt.token, strings.NewReader(tt.body), hdr...)
			wantJSONError(t, r, tt.status, tt.code)
		})
	}
	// The server is still fine.
	if r := tb.get(t, "/healthz"); r.status != http.StatusOK {
		t.Fatalf("healthz after bad requests: %d", r.status)
	}
}

func TestStatusAndScreenshotAreKept(t *testing.T) {
	tb := startBackend(t)
	r := tb.postJSON(t, "/api/screen/v1/status", map[string]any{
		"version": "1.2.3", "uptime_s": 3600, "last_sync": "2026-11-23T09:59:00+01:00", "board_etag": `"abc"`,
		"display_on": true, "soc_temp_c": 51.5, "outbox": 2, "clock_synced": true, "future_field": "ignored",
	})
	if r.status != http.StatusNoContent {
		t.Fatalf("status: %d %s", r.status, r.body)
	}
	shot := tinyPNG(t)
	r = do(t, http.MethodPost, tb.URL+"/api/screen/v1/screenshot", testToken, bytes.NewReader(shot), "Content-Type", "image/png")
	if r.status != http.StatusNoContent {
		t.Fatalf("screenshot: %d %s", r.status, r.body)
	}
	screens, err := tb.admin.Screens(t.Context())
	if err != nil || len(screens) != 1 {
		t.Fatalf("screens %+v, %v", screens, err)
	}
	s := screens[0]
	if s.Status == nil || s.Status.Version != "1.2.3" || s.Status.Outbox != 2 || s.Status.SocTempC == nil || *s.Status.SocTempC != 51.5 || !s.HasScreenshot {
		t.Fatalf("screen %+v", s)
	}
	if strings.Contains(s.ScreenID, testToken) || len(s.ScreenID) != 12 {
		t.Errorf("screen id %q should be a short hash, never the token", s.ScreenID)
	}
	got, err := tb.admin.Screenshot(t.Context(), s.ScreenID)
	if err != nil || !bytes.Equal(got, shot) {
		t.Fatalf("screenshot back: %d bytes, %v", len(got), err)
	}
}

func TestPanicsBecome500(t *testing.T) {
	s := &Server{log: discardLogger()}
	h := s.recoverer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom") }))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	wantJSONError(t, response{rec.Code, rec.Header(), rec.Body.Bytes()}, http.StatusInternalServerError, "internal")
}
