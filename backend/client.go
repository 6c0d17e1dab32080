package backend

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// Admin is a typed client of the admin API, for tests and tools.
type Admin struct {
	BaseURL string       // e.g. Running.URL
	Token   string       // the admin token; "" from loopback
	HTTP    *http.Client // nil: http.DefaultClient
}

// APIError is an error answer of the backend.
type APIError struct {
	Status  int    // HTTP status
	Code    string `json:"error"`
	Message string `json:"message"`
}

func (e *APIError) Error() string {
	return fmt.Sprintf("backend: %d %s: %s", e.Status, e.Code, e.Message)
}

// do sends a request with a JSON body (when in is not nil) and decodes a
// JSON answer into out (when out is not nil).
func (a Admin) do(ctx context.Context, method, path string, in, out any) error {
	var body io.Reader
	if in != nil {
		data, err := json.Marshal(in)
		if err != nil {
			return fmt.Errorf("encode %s %s: %w", method, path, err)
		}
		body = bytes.NewReader(data)
	}
	return a.raw(ctx, method, path, "application/json", body, out)
}

func (a Admin) raw(ctx context.Context, method, path, contentType string, body io.Reader, out any) error {
	req, err := http.NewRequestWithContext(ctx, method, strings.TrimRight(a.BaseURL, "/")+path, body)
	if err != nil {
		return fmt.Errorf("admin %s %s: %w", method, path, err)
	}
	if body != nil {
		req.Header.Set("Content-Type", contentType)
	}
	if a.Token != "" {
		req.Header.Set("Authorization", "Bearer "+a.Token)
	}
	hc := a.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		return fmt.Errorf("admin %s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return fmt.Errorf("admin %s %s: read answer: %w", method, path, err)
	}
	if resp.StatusCode >= 300 {
		e := &APIError{Status: resp.StatusCode}
		if json.Unmarshal(data, e) != nil || e.Code == "" {
			e.Code, e.Message = http.StatusText(resp.StatusCode), string(data)
		}
		return fmt.Errorf("admin %s %s: %w", method, path, e)
	}
	switch o := out.(type) {
	case nil:
		return nil
	case *[]byte:
		*o = data
		return nil
	default:
		if err := json.Unmarshal(data, out); err != nil {
			return fmt.Errorf("admin %s %s: decode answer: %w", method, path, err)
		}
		return nil
	}
}

func esc(id string) string { return url.PathEscape(id) }

// Profiles lists every profile with all its fields.
func (a Admin) Profiles(ctx context.Context) ([]Profile, error) {
	var out []Profile
	return out, a.do(ctx, http.MethodGet, "/admin/v1/profiles", nil, &out)
}

// PutProfile creates or replaces a profile.
func (a Admin) PutProfile(ctx context.Context, p Profile) error {
	return a.do(ctx, http.MethodPut, "/admin/v1/profiles/"+esc(p.ID), p, nil)
}

// UpdateProfile merges patch into a profile, e.g.
// {"first_name":"Kirsten","visible_on_screen":false,"anonymized":true,"alias":"K"}.
func (a Admin) UpdateProfile(ctx context.Context, id string, patch map[string]any) error {
	return a.do(ctx, http.MethodPatch, "/admin/v1/profiles/"+esc(id), patch, nil)
}

// DeleteProfile removes a profile and its sign-ups, bookings, shifts,
// suggestions and gallery tags.
func (a Admin) DeleteProfile(ctx context.Context, id string) error {
	return a.do(ctx, http.MethodDelete, "/admin/v1/profiles/"+esc(id), nil, nil)
}

// Activities lists every activity.
func (a Admin) Activities(ctx context.Context) ([]Activity, error) {
	var out []Activity
	return out, a.do(ctx, http.MethodGet, "/admin/v1/activities", nil, &out)
}

// PutActivity creates or replaces an activity; DepartmentID "" means the
// first department.
func (a Admin) PutActivity(ctx context.Context, act Activity) error {
	return a.do(ctx, http.MethodPut, "/admin/v1/activities/"+esc(act.ID), act, nil)
}

// DeleteActivity removes an activity.
func (a Admin) DeleteActivity(ctx context.Context, id string) error {
	return a.do(ctx, http.MethodDelete, "/admin/v1/activities/"+esc(id), nil, nil)
}

// Put creates or replaces a row of any collection: "departments",
// "profiles", "activities", "meals", "meetings", "bookings", "bookables", "notices",
// "roster", "news" or "gallery".
func (a Admin) Put(ctx context.Context, collection, id string, v any) error {
	return a.do(ctx, http.MethodPut, "/admin/v1/"+esc(collection)+"/"+esc(id), v, nil)
}

// Delete removes a row of any collection Put takes ("bookings", "news",
// ...); removing a profile goes through DeleteProfile.
func (a Admin) Delete(ctx context.Context, collection, id string) error {
	return a.do(ctx, http.MethodDelete, "/admin/v1/"+esc(collection)+"/"+esc(id), nil, nil)
}

// Bookables lists every bookable resource of every department.
func (a Admin) Bookables(ctx context.Context) ([]Bookable, error) {
	var out []Bookable
	return out, a.do(ctx, http.MethodGet, "/admin/v1/bookables", nil, &out)
}

// PutBookable creates or replaces a bookable resource; DepartmentID ""
// means the first department.
func (a Admin) PutBookable(ctx context.Context, x Bookable) error {
	return a.do(ctx, http.MethodPut, "/admin/v1/bookables/"+esc(x.ID), x, nil)
}

// Bookings lists every booking of every department.
func (a Admin) Bookings(ctx context.Context) ([]Booking, error) {
	var out []Booking
	return out, a.do(ctx, http.MethodGet, "/admin/v1/bookings", nil, &out)
}

// BookingRequests lists every booking request received from screens, once
// per id, with its answer and how often it arrived.
func (a Admin) BookingRequests(ctx context.Context) ([]BookingRecord, error) {
	var out []BookingRecord
	return out, a.do(ctx, http.MethodGet, "/admin/v1/booking-requests", nil, &out)
}

// SetWeather sets the weather the department's screens get (a JSON object,
// served as it is); nil goes back to none, or the demo's.
func (a Admin) SetWeather(ctx context.Context, departmentID string, weather json.RawMessage) error {
	if weather == nil {
		return a.do(ctx, http.MethodDelete, "/admin/v1/weather/"+esc(departmentID), nil, nil)
	}
	return a.do(ctx, http.MethodPut, "/admin/v1/weather/"+esc(departmentID), weather, nil)
}

// PutMedia stores a PNG, JPEG or WebP picture and describes it.
func (a Admin) PutMedia(ctx context.Context, contentType string, data []byte) (Image, error) {
	var img Image
	return img, a.raw(ctx, http.MethodPost, "/admin/v1/media", contentType, bytes.NewReader(data), &img)
}

// ApprovePairing binds the screen showing userCode to departmentID ("" for
// the first department).
func (a Admin) ApprovePairing(ctx context.Context, userCode, departmentID string) error {
	return a.do(ctx, http.MethodPost, "/admin/v1/pairings/"+esc(userCode)+"/approve", departmentBody{departmentID}, nil)
}

// DenyPairing refuses the screen showing userCode.
func (a Admin) DenyPairing(ctx context.Context, userCode string) error {
	return a.do(ctx, http.MethodPost, "/admin/v1/pairings/"+esc(userCode)+"/deny", nil, nil)
}

// IssueToken makes a device token for departmentID without pairing.
func (a Admin) IssueToken(ctx context.Context, departmentID string) (string, error) {
	var out struct {
		AccessToken string `json:"access_token"`
	}
	return out.AccessToken, a.do(ctx, http.MethodPost, "/admin/v1/tokens", departmentBody{departmentID}, &out)
}

// SyncNow sends a sync event to the screens of departmentID ("" for all).
func (a Admin) SyncNow(ctx context.Context, departmentID string) error {
	return a.do(ctx, http.MethodPost, "/admin/v1/sync", departmentBody{departmentID}, nil)
}

// Push sends event (sync, screenshot or reload) to the screens of
// departmentID, or to one screen when screenID is set, and says how many
// open streams got it.
func (a Admin) Push(ctx context.Context, event, departmentID, screenID string) (int, error) {
	var out struct {
		Streams int `json:"streams"`
	}
	err := a.do(ctx, http.MethodPost, "/admin/v1/events", pushBody{DepartmentID: departmentID, ScreenID: screenID, Event: event}, &out)
	return out.Streams, err
}

// Screens lists every screen's last status post, screenshot and streams.
func (a Admin) Screens(ctx context.Context) ([]ScreenStatus, error) {
	var out []ScreenStatus
	return out, a.do(ctx, http.MethodGet, "/admin/v1/screens", nil, &out)
}

// Screenshot returns a screen's last screenshot (PNG).
func (a Admin) Screenshot(ctx context.Context, screenID string) ([]byte, error) {
	var out []byte
	return out, a.do(ctx, http.MethodGet, "/admin/v1/screens/"+esc(screenID)+"/screenshot", nil, &out)
}

// Signups lists every sign-up request received, once per id, with its
// result and how often it arrived.
func (a Admin) Signups(ctx context.Context) ([]SignupRecord, error) {
	var out []SignupRecord
	return out, a.do(ctx, http.MethodGet, "/admin/v1/signups", nil, &out)
}

// SetFault makes the Screen API misbehave; a zero Fault clears it.
func (a Admin) SetFault(ctx context.Context, f Fault) error {
	if f.Mode == "" {
		return a.do(ctx, http.MethodDelete, "/admin/v1/fault", nil, nil)
	}
	return a.do(ctx, http.MethodPut, "/admin/v1/fault", f, nil)
}
