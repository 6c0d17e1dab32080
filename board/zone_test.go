package board

import "testing"

// TestLoadZone: a zone is read once and then remembered; a bad name is an
// error and is not remembered.
func TestLoadZone(t *testing.T) {
	a, err := LoadZone("Europe/Copenhagen")
	if err != nil {
		t.Fatal(err)
	}
	b, err := LoadZone("Europe/Copenhagen")
	if err != nil {
		t.Fatal(err)
	}
	if a != b {
		t.Error("the zone was loaded again, want the one remembered")
	}
	if a.String() != "Europe/Copenhagen" {
		t.Errorf("zone %q", a)
	}
	if _, err := LoadZone("Europe/Nowhere"); err == nil {
		t.Error("an unknown zone loads")
	}
	if _, ok := zones.Load("Europe/Nowhere"); ok {
		t.Error("an unknown zone was remembered")
	}
	if (&Board{Department: Department{Timezone: "Europe/Copenhagen"}}).Location() != a {
		t.Error("Board.Location does not use the remembered zone")
	}
}
