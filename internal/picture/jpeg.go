package picture

import (
	"encoding/binary"
	"errors"
)

// ErrCMYK is a JPEG in CMYK (or YCCK), as print workflows write them.
var ErrCMYK = errors.New("jpeg: a CMYK picture")

// JPEGLayout is what a JPEG's segments say about decoding it, read without
// decoding a pixel.
type JPEGLayout struct {
	Scans int  // start-of-scan segments, counted up to the limit given plus one
	Ended bool // the end-of-image marker was reached: the file is whole
	// CoefficientBytes is what a decoder holds for a file of more than
	// one scan (progressive, or one scan a colour): every DCT coefficient
	// of the picture at full size, two bytes each. Zero for one scan.
	CoefficientBytes int64
}

// ReadJPEGLayout walks a JPEG's segments the way libjpeg and image/jpeg do:
// bytes between segments, 0xFF fill bytes and restart markers are skipped,
// a segment is skipped by its length, and a scan's entropy-coded data runs
// to the next marker that is neither a stuffed 0xFF00 nor a restart
// marker. It stops after limit+1 scans. It costs a pass over the bytes.
func ReadJPEGLayout(data []byte, limit int) JPEGLayout {
	var l JPEGLayout
	var coef int64
	p := 2 // after the start-of-image marker
	for p+1 < len(data) && l.Scans <= limit {
		if data[p] != 0xFF || data[p+1] == 0x00 || data[p+1] == 0xFF {
			p++ // between segments, a stuffed 0xFF or a fill byte
			continue
		}
		marker := data[p+1]
		switch {
		case marker == 0xD9: // end of image
			l.Ended = true
			if l.Scans > 1 {
				l.CoefficientBytes = coef
			}
			return l
		case marker >= 0xD0 && marker <= 0xD7: // restart, no length
			p += 2
			continue
		}
		if p+4 > len(data) {
			break
		}
		n := int(binary.BigEndian.Uint16(data[p+2:]))
		if marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC && p+4+n-2 <= len(data) {
			coef = max(coef, frameCoefficients(data[p+4:p+2+n]))
		}
		p += 2 + n
		if marker != 0xDA {
			continue
		}
		l.Scans++
		for p+1 < len(data) && (data[p] != 0xFF || data[p+1] == 0x00 || data[p+1] >= 0xD0 && data[p+1] <= 0xD7) {
			p++
		}
	}
	if l.Scans > 1 {
		l.CoefficientBytes = coef
	}
	return l
}

// frameCoefficients is the bytes of DCT coefficients a start-of-frame
// segment's picture has: for each component, its blocks (8x8 samples at
// its sampling factor, padded to whole MCUs) at 128 bytes each.
func frameCoefficients(sof []byte) int64 {
	if len(sof) < 6 {
		return 0
	}
	h, w, nc := int64(binary.BigEndian.Uint16(sof[1:])), int64(binary.BigEndian.Uint16(sof[3:])), int(sof[5])
	if len(sof) < 6+3*nc {
		return 0
	}
	hmax, vmax := int64(1), int64(1)
	for i := range nc {
		f := sof[6+3*i+1]
		hmax, vmax = max(hmax, int64(f>>4)), max(vmax, int64(f&15))
	}
	mcusX, mcusY := (w+8*hmax-1)/(8*hmax), (h+8*vmax-1)/(8*vmax)
	var total int64
	for i := range nc {
		f := sof[6+3*i+1]
		total += mcusX * int64(f>>4) * mcusY * int64(f&15) * 128
	}
	return total
}
