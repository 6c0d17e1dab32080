package picture

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"image"
	"io"
)

// ErrInterlaced is a PNG stored in Adam7's seven passes, whose rows do not
// come in order: it cannot be shrunk row by row.
var ErrInterlaced = errors.New("png: interlaced")

// ShrinkPNG decodes a non-interlaced PNG row by row and shrinks it as it
// goes, by the largest whole factor that keeps it at least minW x minH
// (each output pixel the mean of a k x k block): only one row of the
// picture at full size is ever in memory, so a 50-megapixel PNG costs its
// shrunk picture and two rows, not 200 MB. The result is premultiplied.
// It reads every bit depth and colour type PNG has, with tRNS
// transparency, and checks every chunk's CRC; gamma and colour profiles
// are ignored, as image/png ignores them.
func ShrinkPNG(data []byte, minW, minH int) (*image.RGBA, error) {
	if len(data) < 8 || string(data[:8]) != "\x89PNG\r\n\x1a\n" {
		return nil, errors.New("png: not a PNG")
	}
	d := pngReader{data: data, p: 8}
	typ, ihdr, err := d.chunk()
	if err != nil {
		return nil, err
	}
	if typ != "IHDR" || len(ihdr) != 13 {
		return nil, errors.New("png: no header first")
	}
	w, h := int(binary.BigEndian.Uint32(ihdr)), int(binary.BigEndian.Uint32(ihdr[4:]))
	depth, ct, interlace := int(ihdr[8]), ihdr[9], ihdr[12]
	if w <= 0 || h <= 0 || w > 1<<24 || h > 1<<24 || ihdr[10] != 0 || ihdr[11] != 0 {
		return nil, errors.New("png: a bad header")
	}
	if interlace != 0 {
		return nil, ErrInterlaced
	}
	channels := map[byte]int{0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[ct]
	okDepth := map[byte][]int{0: {1, 2, 4, 8, 16}, 2: {8, 16}, 3: {1, 2, 4, 8}, 4: {8, 16}, 6: {8, 16}}[ct]
	if channels == 0 || !contains(okDepth, depth) {
		return nil, fmt.Errorf("png: colour type %d at %d bits is not PNG", ct, depth)
	}
	// The chunks before the pixels: the palette and transparency.
	var palette [][4]uint8
	var key []uint16 // tRNS of grey or RGB: the one transparent colour
	for {
		typ, body, err := d.peek()
		if err != nil {
			return nil, err
		}
		if typ == "IDAT" {
			break
		}
		d.skip(body)
		switch typ {
		case "PLTE":
			if len(body)%3 != 0 || len(body) > 3*256 {
				return nil, errors.New("png: a bad palette")
			}
			palette = make([][4]uint8, len(body)/3)
			for i := range palette {
				palette[i] = [4]uint8{body[3*i], body[3*i+1], body[3*i+2], 0xFF}
			}
		case "tRNS":
			switch ct {
			case 3:
				for i := 0; i < len(body) && i < len(palette); i++ {
					palette[i][3] = body[i]
				}
			case 0, 2:
				for i := 0; i+1 < len(body); i += 2 {
					key = append(key, binary.BigEndian.Uint16(body[i:]))
				}
			}
		case "IEND":
			return nil, errors.New("png: no pixels")
		}
	}
	if ct == 3 && len(palette) == 0 {
		return nil, errors.New("png: a paletted picture without a palette")
	}
	zr, err := zlib.NewReader(&idatReader{d: &d})
	if err != nil {
		return nil, fmt.Errorf("png: pixels: %w", err)
	}
	defer zr.Close()

	k := 1
	for (w+k)/(k+1) >= minW && (h+k)/(k+1) >= minH && k < 64 {
		k++
	}
	ow, oh := (w+k-1)/k, (h+k-1)/k
	out := image.NewRGBA(image.Rect(0, 0, ow, oh))
	bitsPP := channels * depth
	rowBytes := (w*bitsPP + 7) / 8
	bpp := max(1, bitsPP/8)
	cur, prev := make([]byte, rowBytes+1), make([]byte, rowBytes+1)
	sum := make([]uint32, 4*ow)
	px := make([]uint8, 4)
	for y := range h {
		if _, err := io.ReadFull(zr, cur); err != nil {
			return nil, fmt.Errorf("png: pixels end at row %d of %d: %w", y, h, err)
		}
		if err := unfilter(cur[0], cur[1:], prev[1:], bpp); err != nil {
			return nil, err
		}
		row := cur[1:]
		for x := range w {
			pixel(row, x, depth, ct, palette, key, px)
			a := uint32(px[3])
			s := sum[4*(x/k):]
			s[0] += uint32(px[0]) * a / 255
			s[1] += uint32(px[1]) * a / 255
			s[2] += uint32(px[2]) * a / 255
			s[3] += a
		}
		if (y+1)%k == 0 || y == h-1 {
			oy := y / k
			rows := uint32(y - oy*k + 1)
			o := out.Pix[oy*out.Stride:]
			for ox := range ow {
				n := rows * uint32(min(k, w-ox*k))
				for c := range 4 {
					o[4*ox+c] = uint8((sum[4*ox+c] + n/2) / n)
				}
			}
			clear(sum)
		}
		cur, prev = prev, cur
	}
	return out, nil
}

func contains(xs []int, x int) bool {
	for _, y := range xs {
		if x == y {
			return true
		}
	}
	return false
}

// pixel reads pixel x of an unfiltered row as non-premultiplied RGBA8.
func pixel(row []byte, x, depth int, ct byte, palette [][4]uint8, key []uint16, px []uint8) {
	sample := func(i int) uint16 { // the i-th sample of the row, at depth bits
		switch depth {
		case 16:
			return binary.BigEndian.Uint16(row[2*i:])
		case 8:
			return uint16(row[i])
		}
		per := 8 / depth
		b := row[i/per]
		shift := 8 - depth*(i%per+1)
		return uint16(b>>shift) & (1<<depth - 1)
	}
	to8 := func(v uint16) uint8 {
		switch depth {
		case 16:
			return uint8(v >> 8)
		case 8:
			return uint8(v)
		}
		return uint8(uint32(v) * 255 / (1<<depth - 1))
	}
	switch ct {
	case 0:
		v := sample(x)
		g := to8(v)
		px[0], px[1], px[2], px[3] = g, g, g, 0xFF
		if len(key) >= 1 && v == key[0] {
			px[3] = 0
		}
	case 2:
		r, g, b := sample(3*x), sample(3*x+1), sample(3*x+2)
		px[0], px[1], px[2], px[3] = to8(r), to8(g), to8(b), 0xFF
		if len(key) >= 3 && r == key[0] && g == key[1] && b == key[2] {
			px[3] = 0
		}
	case 3:
		i := int(sample(x))
		if i < len(palette) {
			c := palette[i]
			px[0], px[1], px[2], px[3] = c[0], c[1], c[2], c[3]
		} else {
			px[0], px[1], px[2], px[3] = 0, 0, 0, 0xFF // as image/png draws an index past the palette
		}
	case 4:
		g := to8(sample(2 * x))
		px[0], px[1], px[2], px[3] = g, g, g, to8(sample(2*x+1))
	case 6:
		px[0], px[1], px[2], px[3] = to8(sample(4*x)), to8(sample(4*x+1)), to8(sample(4*x+2)), to8(sample(4*x+3))
	}
}

// unfilter undoes a row's filter in place (PNG's five: none, sub, up,
// average, Paeth), prev being the row above unfiltered (zeros for the first).
func unfilter(f byte, cur, prev []byte, bpp int) error {
	switch f {
	case 0:
	case 1:
		for i := bpp; i < len(cur); i++ {
			cur[i] += cur[i-bpp]
		}
	case 2:
		for i := range cur {
			cur[i] += prev[i]
		}
	case 3:
		for i := range cur {
			left := 0
			if i >= bpp {
				left = int(cur[i-bpp])
			}
			cur[i] += byte((left + int(prev[i])) / 2)
		}
	case 4:
		for i := range cur {
			var a, c int
			if i >= bpp {
				a, c = int(cur[i-bpp]), int(prev[i-bpp])
			}
			b := int(prev[i])
			p := a + b - c
			pa, pb, pc := abs(p-a), abs(p-b), abs(p-c)
			switch {
			case pa <= pb && pa <= pc:
				cur[i] += byte(a)
			case pb <= pc:
				cur[i] += byte(b)
			default:
				cur[i] += byte(c)
			}
		}
	default:
		return fmt.Errorf("png: filter %d is not PNG", f)
	}
	return nil
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// pngReader walks a PNG's chunks, checking each one's CRC.
type pngReader struct {
	data []byte
	p    int
}

// peek reads the next chunk without moving past it.
func (d *pngReader) peek() (string, []byte, error) {
	if d.p+8 > len(d.data) {
		return "", nil, fmt.Errorf("png: %w after %d bytes", io.ErrUnexpectedEOF, d.p)
	}
	n := int(binary.BigEndian.Uint32(d.data[d.p:]))
	if n < 0 || n > len(d.data)-d.p-12 {
		return "", nil, fmt.Errorf("png: a chunk of %d bytes runs past the end", n)
	}
	typ := d.data[d.p+4 : d.p+8]
	body := d.data[d.p+8 : d.p+8+n]
	want := binary.BigEndian.Uint32(d.data[d.p+8+n:])
	crc := crc32.NewIEEE()
	crc.Write(typ)
	crc.Write(body)
	if crc.Sum32() != want {
		return "", nil, fmt.Errorf("png: chunk %q fails its CRC", typ)
	}
	return string(typ), body, nil
}

func (d *pngReader) skip(body []byte) { d.p += 12 + len(body) }

func (d *pngReader) chunk() (string, []byte, error) {
	typ, body, err := d.peek()
	if err == nil {
		d.skip(body)
	}
	return typ, body, err
}

// idatReader reads the pixels' zlib stream across consecutive IDAT chunks.
type idatReader struct {
	d    *pngReader
	left *bytes.Reader
	done bool
}

func (r *idatReader) Read(b []byte) (int, error) {
	for r.left == nil || r.left.Len() == 0 {
		if r.done {
			return 0, io.EOF
		}
		typ, body, err := r.d.peek()
		if err != nil {
			return 0, err
		}
		if typ != "IDAT" {
			r.done = true
			return 0, io.EOF
		}
		r.d.skip(body)
		r.left = bytes.NewReader(body)
	}
	return r.left.Read(b)
}
