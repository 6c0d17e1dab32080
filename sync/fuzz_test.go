package sync

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math"
	"os"
	"runtime"
	"slices"
	"testing"
)

// fuzzMaxPixels is the pixel limit the media fuzzer runs prepareMedia with:
// smaller than the default so a worker can run many inputs a second, large
// enough for every seed.
const fuzzMaxPixels = 4_000_000

// FuzzPrepareMedia feeds arbitrary bytes to the media check as each accepted
// type and both kinds. The hash always matches (it is computed from the
// bytes), so the input reaches the image decoders. It must never panic;
// what it returns must be a decodable image of the promised size; a refusal
// must wrap ErrBadMedia; and it must not allocate more than the pixels the
// header admits: a bomb (a small file claiming huge dimensions) is refused
// before its pixels are allocated.
//
// The allocation is counted for the whole process (runtime.MemStats), so
// whatever else allocates meanwhile (the fuzzing engine, goroutines other
// tests left running) adds to it, and only ever adds. An input over budget
// is therefore measured again after a collection, and fails only when
// every measurement is over: a bomb allocates its pixels every time.
func FuzzPrepareMedia(f *testing.F) {
	types := []string{"image/png", "image/jpeg", "image/webp"}
	for _, seed := range mediaSeeds(f) {
		// Each seed is sent as what it is, as a photo and as an avatar.
		typ := 0
		if _, format, err := image.DecodeConfig(bytes.NewReader(seed)); err == nil {
			typ = max(0, slices.Index(types, "image/"+format))
		}
		f.Add(seed, uint8(typ), false)
		f.Add(seed, uint8(typ), true)
	}
	f.Fuzz(func(t *testing.T, data []byte, typ uint8, avatar bool) {
		ct := types[int(typ)%len(types)]
		kind := photoMedia
		if avatar {
			kind = avatarMedia
		}
		sum := sha256.Sum256(data)
		hash := hex.EncodeToString(sum[:])

		// What the header admits, judged by the standard decoders alone.
		admitted := int64(0)
		if cfg, _, err := image.DecodeConfig(bytes.NewReader(data)); err == nil &&
			cfg.Width > 0 && cfg.Height > 0 && cfg.Width <= maxMediaSide && cfg.Height <= maxMediaSide &&
			int64(cfg.Width)*int64(cfg.Height) <= fuzzMaxPixels {
			admitted = int64(cfg.Width) * int64(cfg.Height)
		}

		// On the Go heap: a JPEG is decoded by libjpeg-turbo at the scale
		// it is kept at and a PNG shrunk row by row, so only WebP (and CMYK
		// JPEG, interlaced PNG) are decoded whole there, at 1.5 to 8 bytes a
		// pixel. 12 bytes a pixel the header admits, 16 an input byte, and
		// 40 MiB for the 1920x1080 output and the scaler's and encoder's
		// buffers. (It was 64 and 64 and 48 MiB while image/jpeg and
		// image/png decoded everything at full size.) An unchecked
		// 5000x5000 header costs over 140 MB, a 50000x50000 one 10 GB.
		budget := 12*admitted + 16*int64(len(data)) + 40<<20
		var (
			out []byte
			err error
			got = int64(math.MaxInt64)
		)
		for try := 0; try < 3 && got > budget; try++ {
			if try > 0 {
				runtime.GC()
			}
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			out, err = prepareMedia(hash, ct, data, kind, fuzzMaxPixels)
			runtime.ReadMemStats(&after)
			got = min(got, int64(after.TotalAlloc-before.TotalAlloc))
		}
		if got > budget {
			t.Fatalf("allocated %d bytes for a %d-byte input admitting %d pixels (budget %d)", got, len(data), admitted, budget)
		}
		if err != nil {
			if !errors.Is(err, ErrBadMedia) {
				t.Fatalf("refusal does not wrap ErrBadMedia: %v", err)
			}
			if out != nil {
				t.Fatal("output returned with an error")
			}
			return
		}
		img, format, derr := image.Decode(bytes.NewReader(out))
		if derr != nil {
			t.Fatalf("prepared media does not decode: %v", derr)
		}
		b := img.Bounds()
		switch {
		case avatar && (format != "png" || b.Dx() != avatarSize || b.Dy() != avatarSize):
			t.Fatalf("avatar is %s %dx%d, want png %dx%d", format, b.Dx(), b.Dy(), avatarSize, avatarSize)
		case !avatar && (format != "jpeg" || b.Dx() < 1 || b.Dy() < 1 ||
			max(b.Dx(), b.Dy()) > photoMaxW || min(b.Dx(), b.Dy()) > photoMaxH):
			t.Fatalf("photo is %s %dx%d, want jpeg within %dx%d", format, b.Dx(), b.Dy(), photoMaxW, photoMaxH)
		}
	})
}

// mediaSeeds are small images of every accepted format, one with an EXIF
// orientation, and bombs: a PNG and a JPEG header claiming 50000x50000, a
// 28-byte WebP claiming 5000x5000 (over the fuzzer's pixel limit; decoded,
// it would allocate over 140 MB) and a JPEG of more scans than the screen
// takes; and what is near the bounds but kept: a 28-byte WebP of 500x400
// and a progressive JPEG of 32 scans.
func mediaSeeds(tb testing.TB) [][]byte {
	tb.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, 40, 24))
	for y := 0; y < 24; y++ {
		for x := 0; x < 40; x++ {
			img.Set(x, y, color.NRGBA{uint8(x * 6), uint8(y * 10), 90, uint8(128 + x)})
		}
	}
	var p, j bytes.Buffer
	if err := png.Encode(&p, img); err != nil {
		tb.Fatal(err)
	}
	if err := jpeg.Encode(&j, img, &jpeg.Options{Quality: 50}); err != nil {
		tb.Fatal(err)
	}
	seeds := [][]byte{p.Bytes(), j.Bytes(), withOrientation(tb, j.Bytes(), 6), pngBomb(50000, 50000)}
	bomb := bytes.Clone(j.Bytes())
	if i := bytes.Index(bomb, []byte{0xFF, 0xC0}); i >= 0 && i+9 <= len(bomb) {
		binary.BigEndian.PutUint16(bomb[i+5:], 50000)
		binary.BigEndian.PutUint16(bomb[i+7:], 50000)
		seeds = append(seeds, bomb)
	}
	if w, err := os.ReadFile("testdata/blue-purple-pink.lossy.webp"); err == nil {
		seeds = append(seeds, w)
	}
	return append(seeds, flatWebP(5000, 5000), scanJPEG(64, 48, 40), flatWebP(500, 400), scanJPEG(64, 48, 31))
}

// pngBomb is a tiny PNG whose header claims w x h pixels.
func pngBomb(w, h uint32) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	chunk := func(typ string, data []byte) {
		binary.Write(&b, binary.BigEndian, uint32(len(data)))
		start := b.Len()
		b.WriteString(typ)
		b.Write(data)
		binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(b.Bytes()[start:]))
	}
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 8, 6 // 8-bit RGBA
	chunk("IHDR", ihdr)
	chunk("IDAT", []byte{0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01})
	chunk("IEND", nil)
	return b.Bytes()
}
