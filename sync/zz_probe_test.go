package sync

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"runtime"
	"testing"
	"time"
)

// ---- builders ----

type bitw struct {
	out   []byte
	acc   uint32
	n     uint
	stuff bool // JPEG: MSB first, byte stuffing
}

func (b *bitw) jpegBits(v uint32, n uint) {
	for i := int(n) - 1; i >= 0; i-- {
		b.acc = b.acc<<1 | (v>>uint(i))&1
		b.n++
		if b.n == 8 {
			b.out = append(b.out, byte(b.acc))
			if byte(b.acc) == 0xFF {
				b.out = append(b.out, 0)
			}
			b.acc, b.n = 0, 0
		}
	}
}
func (b *bitw) jpegFlush() []byte {
	for b.n != 0 {
		b.jpegBits(1, 1)
	}
	return b.out
}

func seg(marker byte, body []byte) []byte {
	s := []byte{0xFF, marker}
	s = binary.BigEndian.AppendUint16(s, uint16(len(body)+2))
	return append(s, body...)
}

// progJPEG is a grey progressive JPEG of w x h with n AC scans that each
// cover every block with end-of-band runs.
func progJPEG(w, h, n int, refine bool) []byte {
	var b []byte
	b = append(b, 0xFF, 0xD8)
	q := make([]byte, 65)
	for i := 1; i < 65; i++ {
		q[i] = 1
	}
	b = append(b, seg(0xDB, q)...)
	sof := []byte{8, byte(h >> 8), byte(h), byte(w >> 8), byte(w), 1, 1, 0x11, 0}
	b = append(b, seg(0xC2, sof)...)
	// DC table 0: one code of length 1 -> symbol 0.
	dc := append([]byte{0x00, 1}, make([]byte, 15)...)
	dc = append(dc, 0)
	b = append(b, seg(0xC4, dc)...)
	// AC table 0: one code of length 1 -> 0xE0 (EOB run of 2^14 + 14 bits).
	ac := append([]byte{0x10, 1}, make([]byte, 15)...)
	ac = append(ac, 0xE0)
	b = append(b, seg(0xC4, ac)...)
	blocks := ((w + 7) / 8) * ((h + 7) / 8)
	// DC first scan: 1 bit a block.
	{
		b = append(b, seg(0xDA, []byte{1, 1, 0x00, 0, 0, 0x00})...)
		var bw bitw
		for i := 0; i < blocks; i++ {
			bw.jpegBits(0, 1)
		}
		b = append(b, bw.jpegFlush()...)
	}
	runs := (blocks + 32766) / 32767
	for s := 0; s < n; s++ {
		ahal := byte(0x00)
		if refine && s > 0 {
			ahal = 0x10 // Ah=1, Al=0
		} else if refine {
			ahal = 0x01 // first: Ah=0 Al=1
		}
		b = append(b, seg(0xDA, []byte{1, 1, 0x00, 1, 63, ahal})...)
		var bw bitw
		for r := 0; r < runs; r++ {
			bw.jpegBits(0, 1)
			bw.jpegBits(0x3FFF, 14)
		}
		b = append(b, bw.jpegFlush()...)
	}
	return append(b, 0xFF, 0xD9)
}

func riff(chunk string, payload []byte) []byte {
	var b []byte
	b = append(b, "RIFF"...)
	p := payload
	if len(p)%2 == 1 {
		p = append(bytes.Clone(p), 0)
	}
	b = binary.LittleEndian.AppendUint32(b, uint32(4+8+len(p)))
	b = append(b, "WEBP"...)
	b = append(b, chunk...)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(payload)))
	return append(b, p...)
}

type lsbw struct {
	out []byte
	acc uint64
	n   uint
}

func (b *lsbw) put(v uint64, n uint) {
	b.acc |= v << b.n
	b.n += n
	for b.n >= 8 {
		b.out = append(b.out, byte(b.acc))
		b.acc >>= 8
		b.n -= 8
	}
}
func (b *lsbw) flush() []byte {
	if b.n > 0 {
		b.out = append(b.out, byte(b.acc))
	}
	return b.out
}

// vp8lFlat is a lossless WebP of w x h whose pixels take no bits.
func vp8lFlat(w, h int) []byte {
	var b lsbw
	b.put(0x2f, 8)
	b.put(uint64(w-1), 14)
	b.put(uint64(h-1), 14)
	b.put(0, 1)
	b.put(0, 3)
	b.put(0, 1) // no transform
	b.put(0, 1) // no colour cache
	b.put(0, 1) // no meta codes
	for i := 0; i < 5; i++ {
		b.put(1, 1) // simple
		b.put(0, 1) // one symbol
		b.put(0, 1) // 1-bit symbol
		b.put(0, 1) // symbol 0
	}
	return riff("VP8L", b.flush())
}

func vp8Patched(t testing.TB, w, h int) []byte {
	d, err := os.ReadFile("testdata/blue-purple-pink.lossy.webp")
	if err != nil {
		t.Fatal(err)
	}
	d = bytes.Clone(d)
	i := bytes.Index(d, []byte{0x9d, 0x01, 0x2a})
	binary.LittleEndian.PutUint16(d[i+3:], uint16(w))
	binary.LittleEndian.PutUint16(d[i+5:], uint16(h))
	return d
}

func flatPNG(t testing.TB, img image.Image) []byte {
	var b bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func timeIt(t *testing.T, name, ct string, data []byte, kind mediaKind, maxPx int) {
	runtime.GC()
	var a, z runtime.MemStats
	runtime.ReadMemStats(&a)
	start := time.Now()
	out, err := prepareMedia(hashOf(data), ct, data, kind, maxPx)
	el := time.Since(start)
	runtime.ReadMemStats(&z)
	cfg, _, _ := image.DecodeConfig(bytes.NewReader(data))
	t.Logf("%-40s %7d B %5dx%-5d kind=%d: %8.1f ms, alloc %6.1f MB, out=%d err=%v", name, len(data), cfg.Width, cfg.Height, kind, float64(el.Microseconds())/1000, float64(z.TotalAlloc-a.TotalAlloc)/1e6, len(out), err)
}

func TestProbe(t *testing.T) {
	px := fuzzMaxPixels
	if os.Getenv("PROBE_BIG") != "" {
		px = DefaultMaxMediaPixels
	}
	side := 2000
	if px > 4_000_000 {
		side = 6300
	}
	for _, k := range []mediaKind{photoMedia, avatarMedia} {
		timeIt(t, "vp8 patched wide", "image/webp", vp8Patched(t, 16383, px/16383), k, px)
		timeIt(t, "vp8 patched square", "image/webp", vp8Patched(t, side, side), k, px)
		timeIt(t, "vp8l flat square", "image/webp", vp8lFlat(side, side), k, px)
		timeIt(t, "vp8l flat wide", "image/webp", vp8lFlat(16384, px/16384), k, px)
		timeIt(t, "prog jpeg 1 scan", "image/jpeg", progJPEG(side, side, 1, false), k, px)
		timeIt(t, "prog jpeg 100 scans", "image/jpeg", progJPEG(side, side, 100, false), k, px)
		timeIt(t, "prog jpeg 100 refine scans", "image/jpeg", progJPEG(side, side, 100, true), k, px)
		pal := image.NewPaletted(image.Rect(0, 0, side, side), color.Palette{color.Black, color.White})
		timeIt(t, "paletted png", "image/png", flatPNG(t, pal), k, px)
		timeIt(t, "gray16 png", "image/png", flatPNG(t, image.NewGray16(image.Rect(0, 0, side, side))), k, px)
		timeIt(t, "nrgba64 png", "image/png", flatPNG(t, image.NewNRGBA64(image.Rect(0, 0, side, side))), k, px)
		timeIt(t, "nrgba png", "image/png", flatPNG(t, image.NewNRGBA(image.Rect(0, 0, side, side))), k, px)
		timeIt(t, "gray png", "image/png", flatPNG(t, image.NewGray(image.Rect(0, 0, side, side))), k, px)
		var j bytes.Buffer
		jpeg.Encode(&j, image.NewCMYK(image.Rect(0, 0, side, side)), nil)
		timeIt(t, "cmyk jpeg", "image/jpeg", j.Bytes(), k, px)
		j.Reset()
		jpeg.Encode(&j, image.NewRGBA(image.Rect(0, 0, side, side)), nil)
		timeIt(t, "ycbcr jpeg", "image/jpeg", j.Bytes(), k, px)
	}
}
