package display

import "testing"

// TestTouchPointer checks which raw touches press and release: the first
// finger down until it is lifted, nothing of a second finger meanwhile,
// and a touch that ends unseen (begun before the screen listened) nothing.
func TestTouchPointer(t *testing.T) {
	type step struct {
		begin bool
		id    uint32
		want  bool
	}
	for _, tt := range []struct {
		name  string
		steps []step
	}{
		{"one tap", []step{{true, 1, true}, {false, 1, true}}},
		{"taps in turn", []step{{true, 1, true}, {false, 1, true}, {true, 2, true}, {false, 2, true}}},
		{"a second finger while the first is down", []step{{true, 1, true}, {true, 2, false}, {false, 2, false}, {false, 1, true}}},
		{"the first lifted before the second", []step{{true, 1, true}, {true, 2, false}, {false, 1, true}, {false, 2, false}, {true, 3, true}}},
		{"an end never begun", []step{{false, 7, false}, {true, 8, true}, {false, 8, true}}},
	} {
		var p touchPointer
		for i, s := range tt.steps {
			var got bool
			if s.begin {
				got = p.begin(s.id)
			} else {
				got = p.end(s.id)
			}
			if got != s.want {
				t.Errorf("%s: step %d (begin %v, touch %d) = %v, want %v", tt.name, i, s.begin, s.id, got, s.want)
			}
		}
	}
}
