package sync

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/jpeg"
	"image/png"
	"math/rand/v2"
	"os"
	"runtime"
	"strings"
	"testing"

	"skaerm/internal/picture"
)

func TestPrepareMedia(t *testing.T) {
	webp, err := os.ReadFile("testdata/blue-purple-pink.lossy.webp")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name         string
		data         []byte
		contentType  string
		kind         mediaKind
		wantFormat   string
		wantW, wantH int
	}{
		{"large photo scaled to fit 1080p", jpegBytes(t, 2400, 1800), "image/jpeg", photoMedia, "jpeg", 1440, 1080},
		{"wide photo scaled to fit 1080p", pngBytes(t, 3840, 1000), "image/png", photoMedia, "jpeg", 1920, 500},
		{"small photo not enlarged", pngBytes(t, 300, 200), "image/png; charset=binary", photoMedia, "jpeg", 300, 200},
		{"avatar cover-cropped", jpegBytes(t, 600, 400), "image/jpeg", avatarMedia, "png", 256, 256},
		{"small avatar filled", pngBytes(t, 64, 100), "image/png", avatarMedia, "png", 256, 256},
		{"webp photo", webp, "image/webp", photoMedia, "jpeg", 150, 100},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := prepareMedia(hashOf(tt.data), tt.contentType, tt.data, tt.kind, DefaultMaxMediaPixels)
			if err != nil {
				t.Fatalf("prepareMedia: %v", err)
			}
			cfg, format, err := image.DecodeConfig(bytes.NewReader(out))
			if err != nil {
				t.Fatalf("output does not decode: %v", err)
			}
			if format != tt.wantFormat || cfg.Width != tt.wantW || cfg.Height != tt.wantH {
				t.Errorf("got %s %dx%d, want %s %dx%d", format, cfg.Width, cfg.Height, tt.wantFormat, tt.wantW, tt.wantH)
			}
		})
	}
}

func TestPrepareMediaRejects(t *testing.T) {
	good := pngBytes(t, 40, 30)
	tests := []struct {
		name        string
		data        []byte
		hash        string
		contentType string
		want        string
	}{
		{"hash mismatch", good, hashOf([]byte("other")), "image/png", "do not match"},
		{"type not an image", good, hashOf(good), "text/html", "not JPEG, PNG or WebP"},
		{"type and bytes disagree", good, hashOf(good), "image/jpeg", "bytes are png"},
		{"not an image at all", []byte("GIF89a..."), hashOf([]byte("GIF89a...")), "image/png", "not a readable"},
		{"side over 16384", bigPNGHeader(t, 20000, 10), hashOf(bigPNGHeader(t, 20000, 10)), "image/png", "more than the screen accepts"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := prepareMedia(tt.hash, tt.contentType, tt.data, photoMedia, DefaultMaxMediaPixels)
			if !errors.Is(err, ErrBadMedia) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want ErrBadMedia with %q", err, tt.want)
			}
		})
	}
}

// TestDecompressionBomb checks a small file claiming 50000x50000 pixels is
// refused from its header: no pixel buffer is ever allocated.
func TestDecompressionBomb(t *testing.T) {
	bomb := bigPNGHeader(t, 50000, 50000)
	if len(bomb) > 1024 {
		t.Fatalf("bomb is %d bytes, want a small file", len(bomb))
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := prepareMedia(hashOf(bomb), "image/png", bomb, photoMedia, DefaultMaxMediaPixels)
	runtime.ReadMemStats(&after)
	if !errors.Is(err, ErrBadMedia) || !strings.Contains(err.Error(), "50000x50000") {
		t.Fatalf("err = %v, want the dimensions refused", err)
	}
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 1<<20 {
		t.Errorf("allocated %d bytes: the image was decoded before its size was checked", grew)
	}
}

// bigPNGHeader is a PNG whose header claims w x h, followed by a tiny
// (invalid) image stream: enough for DecodeConfig, ruinous for Decode.
func bigPNGHeader(t testing.TB, w, h int) []byte {
	t.Helper()
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	chunk := func(typ string, data []byte) {
		binary.Write(&b, binary.BigEndian, uint32(len(data)))
		crc := crc32.NewIEEE()
		crc.Write([]byte(typ))
		crc.Write(data)
		b.WriteString(typ)
		b.Write(data)
		binary.Write(&b, binary.BigEndian, crc.Sum32())
	}
	ihdr := binary.BigEndian.AppendUint32(nil, uint32(w))
	ihdr = binary.BigEndian.AppendUint32(ihdr, uint32(h))
	ihdr = append(ihdr, 8, 2, 0, 0, 0) // 8-bit RGB
	chunk("IHDR", ihdr)
	chunk("IDAT", []byte{0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01})
	chunk("IEND", nil)
	return b.Bytes()
}

// TestEXIFOrientation checks a photo a phone stored sideways is turned
// upright, since re-encoding drops the tag.
func TestEXIFOrientation(t *testing.T) {
	for _, tt := range []struct {
		orientation  int
		wantW, wantH int
	}{{1, 80, 40}, {3, 80, 40}, {6, 40, 80}, {8, 40, 80}} {
		data := withOrientation(t, jpegBytes(t, 80, 40), tt.orientation)
		if got := jpegOrientation(data); got != tt.orientation {
			t.Fatalf("jpegOrientation = %d, want %d", got, tt.orientation)
		}
		out, err := prepareMedia(hashOf(data), "image/jpeg", data, photoMedia, DefaultMaxMediaPixels)
		if err != nil {
			t.Fatal(err)
		}
		img, err := jpeg.Decode(bytes.NewReader(out))
		if err != nil {
			t.Fatal(err)
		}
		if b := img.Bounds(); b.Dx() != tt.wantW || b.Dy() != tt.wantH {
			t.Errorf("orientation %d: %dx%d, want %dx%d", tt.orientation, b.Dx(), b.Dy(), tt.wantW, tt.wantH)
		}
		if bytes.Contains(out, []byte("Exif")) {
			t.Errorf("orientation %d: output still carries EXIF", tt.orientation)
		}
	}
}

// withOrientation inserts an EXIF segment with one orientation tag after
// the JPEG's start-of-image marker.
func withOrientation(t testing.TB, jpg []byte, o int) []byte {
	t.Helper()
	tiff := []byte("MM\x00\x2a\x00\x00\x00\x08")
	tiff = binary.BigEndian.AppendUint16(tiff, 1)      // one entry
	tiff = binary.BigEndian.AppendUint16(tiff, 0x0112) // orientation
	tiff = binary.BigEndian.AppendUint16(tiff, 3)      // SHORT
	tiff = binary.BigEndian.AppendUint32(tiff, 1)
	tiff = binary.BigEndian.AppendUint16(tiff, uint16(o))
	tiff = append(tiff, 0, 0, 0, 0, 0, 0) // value padding, next IFD 0
	seg := append([]byte("Exif\x00\x00"), tiff...)
	out := append([]byte{}, jpg[:2]...)
	out = append(out, 0xFF, 0xE1)
	out = binary.BigEndian.AppendUint16(out, uint16(len(seg)+2))
	out = append(out, seg...)
	return append(out, jpg[2:]...)
}

// TestCostlyMediaRefused checks a small file that would keep a core busy for
// seconds is refused before any pixel is decoded: a lossless WebP whose
// pixels take no bits, and a progressive JPEG that repeats scans over the
// whole picture for a few bytes apiece.
func TestCostlyMediaRefused(t *testing.T) {
	tests := []struct {
		name, contentType string
		data              []byte
		want              string
	}{
		{"28-byte WebP claiming 6300x6300", "image/webp", flatWebP(6300, 6300), "too little data"},
		{"24 kB JPEG of 1001 scans over 2000x2000", "image/jpeg", scanJPEG(2000, 2000, 1000), "more than 32 scans"},
		{"JPEG of 33 scans", "image/jpeg", scanJPEG(64, 48, 32), "more than 32 scans"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			_, err := prepareMedia(hashOf(tt.data), tt.contentType, tt.data, photoMedia, DefaultMaxMediaPixels)
			runtime.ReadMemStats(&after)
			if !errors.Is(err, ErrBadMedia) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want ErrBadMedia with %q", err, tt.want)
			}
			if grew := after.TotalAlloc - before.TotalAlloc; grew > 1<<20 {
				t.Errorf("allocated %d bytes: the image was decoded before it was refused", grew)
			}
		})
	}
}

// TestCheapMediaKept checks the bounds keep what encoders write: a small
// picture however well it compresses, and a progressive JPEG of 32 scans.
func TestCheapMediaKept(t *testing.T) {
	tests := []struct {
		name, contentType string
		data              []byte
		w, h              int
	}{
		{"28-byte WebP of 1000x1000", "image/webp", flatWebP(1000, 1000), 1000, 1000},
		{"JPEG of 32 scans", "image/jpeg", scanJPEG(64, 48, 31), 64, 48},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := prepareMedia(hashOf(tt.data), tt.contentType, tt.data, photoMedia, DefaultMaxMediaPixels)
			if err != nil {
				t.Fatalf("prepareMedia: %v", err)
			}
			cfg, err := jpeg.DecodeConfig(bytes.NewReader(out))
			if err != nil || cfg.Width != tt.w || cfg.Height != tt.h {
				t.Errorf("output %dx%d (%v), want a %dx%d JPEG", cfg.Width, cfg.Height, err, tt.w, tt.h)
			}
		})
	}
}

// TestJPEGScans checks the scan count of what image/jpeg's encoder writes
// (one scan) and of progressive files with byte-stuffed data.
func TestJPEGScans(t *testing.T) {
	if n := picture.ReadJPEGLayout(jpegBytes(t, 300, 200), maxJPEGScans).Scans; n != 1 {
		t.Errorf("baseline JPEG: %d scans, want 1", n)
	}
	if n := picture.ReadJPEGLayout(scanJPEG(640, 480, 9), maxJPEGScans).Scans; n != 10 {
		t.Errorf("progressive JPEG: %d scans, want 10", n)
	}
	if n := picture.ReadJPEGLayout(scanJPEG(64, 48, 1000), 5).Scans; n != 6 {
		t.Errorf("counting stops after the limit: %d, want 6", n)
	}
	// image/jpeg itself decodes any number of scans.
	if _, err := jpeg.Decode(bytes.NewReader(scanJPEG(64, 48, 1000))); err != nil {
		t.Errorf("a JPEG of 1001 scans does not decode: %v", err)
	}
}

// flatWebP is a lossless WebP of w x h whose pixels take no bits: every
// Huffman code has a single symbol.
func flatWebP(w, h int) []byte {
	var bits []bool
	put := func(v uint32, n int) { // VP8L bits go least significant first
		for i := 0; i < n; i++ {
			bits = append(bits, v>>i&1 == 1)
		}
	}
	put(0x2f, 8) // signature
	put(uint32(w-1), 14)
	put(uint32(h-1), 14)
	put(0, 1) // alpha hint
	put(0, 3) // version
	put(0, 1) // no transform
	put(0, 1) // no colour cache
	put(0, 1) // no meta Huffman codes
	for range 5 {
		put(1, 1) // a simple code
		put(0, 1) // of one symbol
		put(0, 1) // written in one bit
		put(0, 1) // symbol 0
	}
	payload := make([]byte, (len(bits)+7)/8)
	for i, b := range bits {
		if b {
			payload[i/8] |= 1 << (i % 8)
		}
	}
	if len(payload)%2 == 1 {
		payload = append(payload, 0) // RIFF pads chunks to even sizes
	}
	var b []byte
	b = append(b, "RIFF"...)
	b = binary.LittleEndian.AppendUint32(b, uint32(4+8+len(payload)))
	b = append(b, "WEBPVP8L"...)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(payload)))
	return append(b, payload...)
}

// scanJPEG is a grey progressive JPEG of w x h: a DC scan, then n
// refinement scans of the AC coefficients that each cover every block with
// end-of-band runs of 32767 blocks, 15 bits a run.
func scanJPEG(w, h, n int) []byte {
	segment := func(b []byte, marker byte, body ...byte) []byte {
		b = append(b, 0xFF, marker)
		b = binary.BigEndian.AppendUint16(b, uint16(len(body)+2))
		return append(b, body...)
	}
	b := []byte{0xFF, 0xD8}
	b = segment(b, 0xDB, append([]byte{0}, bytes.Repeat([]byte{1}, 64)...)...)
	b = segment(b, 0xC2, 8, byte(h>>8), byte(h), byte(w>>8), byte(w), 1, 1, 0x11, 0)
	oneCode := func(class, symbol byte) []byte { // one code, of length 1
		return append(append([]byte{class, 1}, make([]byte, 15)...), symbol)
	}
	b = segment(b, 0xC4, oneCode(0x00, 0)...)    // DC: difference 0
	b = segment(b, 0xC4, oneCode(0x10, 0xE0)...) // AC: an end-of-band run
	entropy := func(b []byte, code uint32, width, count int) []byte {
		var acc, nacc uint32
		emit := func(bit uint32) {
			acc, nacc = acc<<1|bit, nacc+1
			if nacc == 8 {
				b = append(b, byte(acc))
				if acc == 0xFF {
					b = append(b, 0) // byte stuffing
				}
				acc, nacc = 0, 0
			}
		}
		for range count {
			for i := width - 1; i >= 0; i-- {
				emit(code >> i & 1)
			}
		}
		for nacc != 0 {
			emit(1)
		}
		return b
	}
	blocks := ((w + 7) / 8) * ((h + 7) / 8)
	b = segment(b, 0xDA, 1, 1, 0x00, 0, 0, 0x00)
	b = entropy(b, 0, 1, blocks) // a zero DC difference a block
	for i := range n {
		ahal := byte(0x10) // refine bit 0
		if i == 0 {
			ahal = 0x01 // first pass at bit 1
		}
		b = segment(b, 0xDA, 1, 1, 0x00, 1, 63, ahal)
		b = entropy(b, 0x3FFF, 15, (blocks+32766)/32767) // code 0, then 14 one bits
	}
	return append(b, 0xFF, 0xD9)
}

// TestLargePhotoDecodedAtItsKeptSize: a 24 MP JPEG and a 12 MP PNG are
// kept at 1080p without their full-size pixels on the Go heap (image/jpeg
// would hold 36 MB for the JPEG, image/png 48 MB for the PNG).
func TestLargePhotoDecodedAtItsKeptSize(t *testing.T) {
	for _, tt := range []struct {
		name, typ    string
		data         []byte
		wantW, wantH int
		most         uint64
	}{
		{"24 MP JPEG", "image/jpeg", jpegBytes(t, 6000, 4000), 1620, 1080, 20 << 20},
		{"12 MP PNG", "image/png", noisyPNG(t, 4000, 3000), 1440, 1080, 20 << 20},
	} {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		out, err := prepareMedia(hashOf(tt.data), tt.typ, tt.data, photoMedia, DefaultMaxMediaPixels)
		runtime.ReadMemStats(&after)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if cfg, err := jpeg.DecodeConfig(bytes.NewReader(out)); err != nil || cfg.Width != tt.wantW || cfg.Height != tt.wantH {
			t.Errorf("%s: kept %dx%d (%v), want %dx%d", tt.name, cfg.Width, cfg.Height, err, tt.wantW, tt.wantH)
		}
		if grew := after.TotalAlloc - before.TotalAlloc; grew > tt.most {
			t.Errorf("%s: allocated %d MiB on the Go heap, want at most %d", tt.name, grew>>20, tt.most>>20)
		}
	}
}

// TestJPEGRefusedFromItsSegments: a truncated JPEG, and a progressive one
// whose coefficients would hold more than maxCoefficientBytes while it is
// decoded (50 MP with full-size colour: 274 MiB), are refused before a
// pixel is decoded.
func TestJPEGRefusedFromItsSegments(t *testing.T) {
	whole := jpegBytes(t, 640, 480)
	cut := whole[:len(whole)*2/3]
	if _, err := prepareMedia(hashOf(cut), "image/jpeg", cut, photoMedia, DefaultMaxMediaPixels); !errors.Is(err, ErrBadMedia) || !strings.Contains(err.Error(), "truncated") {
		t.Errorf("a truncated JPEG: %v", err)
	}

	segment := func(b []byte, marker byte, body []byte) []byte {
		b = append(b, 0xFF, marker)
		b = binary.BigEndian.AppendUint16(b, uint16(len(body)+2))
		return append(b, body...)
	}
	b := []byte{0xFF, 0xD8}
	for range 12 { // enough bytes for the pixels it claims
		b = segment(b, 0xFE, make([]byte, 65000))
	}
	b = segment(b, 0xC2, []byte{8, 6000 >> 8, 6000 & 0xFF, 8000 >> 8, 8000 & 0xFF, 3, 1, 0x11, 0, 2, 0x11, 0, 3, 0x11, 0})
	for c := byte(1); c <= 3; c++ {
		b = segment(b, 0xDA, []byte{1, c, 0, 0, 0, 0})
	}
	b = append(b, 0xFF, 0xD9)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := prepareMedia(hashOf(b), "image/jpeg", b, photoMedia, DefaultMaxMediaPixels)
	runtime.ReadMemStats(&after)
	if !errors.Is(err, ErrBadMedia) || !strings.Contains(err.Error(), "progressive") || !strings.Contains(err.Error(), "274 MiB") {
		t.Errorf("a 50 MP progressive JPEG at full colour: %v", err)
	}
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 4<<20 {
		t.Errorf("allocated %d MiB refusing it", grew>>20)
	}
}

// noisyPNG is a w x h photo-like PNG: a gradient with noise, which does
// not compress to nothing.
func noisyPNG(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	r := rand.New(rand.NewPCG(1, 2))
	for y := range h {
		for x := range w {
			i := img.PixOffset(x, y)
			n := uint8(r.Uint32() & 31)
			copy(img.Pix[i:i+4], []uint8{uint8(x*200/w) + n, uint8(y*200/h) + n, 100 + n, 255})
		}
	}
	var b bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
