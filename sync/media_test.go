package sync

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/jpeg"
	"os"
	"runtime"
	"strings"
	"testing"
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
