package display

// touchPointer follows the fingers on a touch screen as the X server
// reports them raw (RawTouchBegin and RawTouchEnd, each with the touch's
// id): the first finger down is the press, as the X server's pointer
// emulation has it, until it is lifted; other fingers meanwhile press
// nothing (a palm or a second hand on the glass does not tap).
type touchPointer struct {
	id   uint32
	down bool
}

// begin reports whether the touch id beginning is a press.
func (t *touchPointer) begin(id uint32) bool {
	if t.down {
		return false
	}
	t.id, t.down = id, true
	return true
}

// end reports whether the touch id ending is the release of the press.
func (t *touchPointer) end(id uint32) bool {
	if !t.down || t.id != id {
		return false
	}
	t.down = false
	return true
}
