package sync

import (
	"context"
	"testing"

	"skaerm/backend"
	"skaerm/internal/voice/recording"
)

// The demo's lunches carry a recorded reading: the sync fetches it from
// the reference backend, checks it and keeps it as it came; with a byte
// flipped on the way it is refused by its hash and fetched once right.
func TestBackendRecordings(t *testing.T) {
	clk := backendClock()
	rb := startBackend(t, clk, "", "")
	ctx := context.Background()
	if err := rb.admin.SetFault(ctx, backend.Fault{Mode: backend.FaultCorruptMedia}); err != nil {
		t.Fatal(err)
	}
	c := openCache(t, "", clk)
	s := newSyncer(t, rb.URL, c, clk)
	if _, err := s.SyncOnce(ctx); err != nil {
		t.Fatal(err)
	}
	b, err := c.Board()
	if err != nil {
		t.Fatal(err)
	}
	recs := b.Recordings()
	if len(recs) == 0 {
		t.Fatal("the demo board carries no recording")
	}
	for _, a := range recs {
		if ok, _ := c.HasMedia(a.SHA256); ok {
			t.Fatalf("a corrupt recording %s was kept", a.SHA256[:8])
		}
	}
	if err := rb.admin.SetFault(ctx, backend.Fault{}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SyncOnce(ctx); err != nil {
		t.Fatal(err)
	}
	for _, a := range recs {
		data, err := c.Media(a.SHA256)
		if err != nil {
			t.Fatalf("recording %s not kept: %v", a.SHA256[:8], err)
		}
		if err := recording.Check(data, a); err != nil {
			t.Fatal(err)
		}
		snd, err := recording.Decode(data, a.ContentType)
		if err != nil || snd.RMS() < 500 {
			t.Fatalf("the kept recording plays as %v (RMS %.0f)", err, snd.RMS())
		}
	}
}
