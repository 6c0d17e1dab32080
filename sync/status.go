package sync

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"skaerm/board"
)

// wireStatus is what POST /status carries.
type wireStatus struct {
	Version     string     `json:"version"`
	UptimeS     int64      `json:"uptime_s"`
	LastSync    *time.Time `json:"last_sync"`
	BoardETag   string     `json:"board_etag"`
	DisplayOn   *bool      `json:"display_on"`
	SoCTempC    *float64   `json:"soc_temp_c"`
	Outbox      int        `json:"outbox"`
	ClockSynced *bool      `json:"clock_synced"`
}

// postStatus reports the screen's state; a failure is only logged.
func (s *Syncer) postStatus(ctx context.Context, etag string) {
	if err := s.sendStatus(ctx, etag); err != nil {
		s.log.Warn("status not sent", "err", err)
	}
}

func (s *Syncer) sendStatus(ctx context.Context, etag string) error {
	st := wireStatus{
		Version:   s.opts.Version,
		UptimeS:   int64(s.clock.Now().Sub(s.started) / time.Second),
		BoardETag: etag,
	}
	if m, err := s.cache.Meta(); err == nil && !m.LastSync.IsZero() {
		t := m.LastSync.UTC()
		st.LastSync = &t
	}
	if entries, err := s.cache.Outbox(); err == nil {
		for _, e := range entries {
			if e.State == board.Pending {
				st.Outbox++
			}
		}
	}
	if s.opts.Status != nil {
		x := s.opts.Status()
		st.DisplayOn, st.ClockSynced = &x.DisplayOn, &x.ClockSynced
		if x.SoCTempC != 0 {
			st.SoCTempC = &x.SoCTempC
		}
	}
	body, err := json.Marshal(st)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, requestTimeout)
	defer cancel()
	resp, err := s.post(ctx, "/status", "application/json", body)
	if err != nil {
		return err
	}
	defer drain(resp)
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("post status: %w: %s", ErrBackendFailed, resp.Status)
	}
	return nil
}

// sendScreenshot posts what the screen shows, after a screenshot event.
func (s *Syncer) sendScreenshot(ctx context.Context) error {
	if s.opts.Screenshot == nil {
		return fmt.Errorf("screenshot: this screen cannot take one")
	}
	ctx, cancel := context.WithTimeout(ctx, requestTimeout)
	defer cancel()
	png, err := s.opts.Screenshot(ctx)
	if err != nil {
		return fmt.Errorf("screenshot: %w", err)
	}
	resp, err := s.post(ctx, "/screenshot", "image/png", png)
	if err != nil {
		return fmt.Errorf("post screenshot: %w", err)
	}
	defer drain(resp)
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("post screenshot: %w: %s", ErrBackendFailed, resp.Status)
	}
	return nil
}
