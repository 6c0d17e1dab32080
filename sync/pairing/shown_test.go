package pairing

import "testing"

// TestShownChanged: a change of the code shown gives one value on Changed,
// setting what is already shown gives none, and changes not yet looked at
// make one value.
func TestShownChanged(t *testing.T) {
	var s Shown
	ch := s.Changed()
	pending := func() bool {
		select {
		case <-ch:
			return true
		default:
			return false
		}
	}
	if pending() {
		t.Fatal("a new Shown reports a change")
	}
	s.Set("WDJB-MJHT", "https://manager.example/pair")
	if !pending() {
		t.Fatal("Set of a new code reports no change")
	}
	s.Set("WDJB-MJHT", "https://manager.example/pair")
	if pending() {
		t.Error("Set of the code already shown reports a change")
	}
	s.Set("QRST-VWXZ", "https://manager.example/pair")
	s.Clear()
	if !pending() {
		t.Fatal("two changes report none")
	}
	if pending() {
		t.Error("two changes not yet looked at report two values, want one")
	}
	if _, _, ok := s.Code(); ok {
		t.Error("Code after Clear still shows a code")
	}
	s.Clear()
	if pending() {
		t.Error("Clear of nothing shown reports a change")
	}
}
