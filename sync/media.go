package sync

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"

	"golang.org/x/image/draw"
	_ "golang.org/x/image/webp" // registers WebP with image.Decode

	"skaerm/internal/picture"
)

// What the screen draws media at.
const (
	avatarSize   = 256  // avatars: a square, cover-cropped
	photoMaxW    = 1920 // other images: fit within a 1080p screen
	photoMaxH    = 1080
	maxMediaSide = 16384 // longer sides are refused before decoding
	jpegQuality  = 85
)

// What decoding an image may cost. Decoders can spend a long time on a few
// bytes: a lossless WebP whose pixels take no bits at all claims 40
// megapixels in 28 bytes, and a progressive JPEG may repeat scans that
// each visit every block of the picture for a few bytes apiece. So the
// work an image may ask for is bounded by its size, before decoding.
const (
	// freeMediaPixels is how many pixels an image may have however small
	// its file (a flat 2560x1440 graphic compresses to a few kilobytes).
	// Beyond that an image must carry at least a byte for every
	// mediaPixelsPerByte pixels: 0.125 bits a pixel, far below a real
	// photo's one to four.
	freeMediaPixels    = 4_000_000
	mediaPixelsPerByte = 64
	// maxJPEGScans bounds a JPEG's scans, each of which the decoder runs
	// over the whole picture. Encoders write one (baseline), three (one per
	// colour), ten (libjpeg's progressive colour) or eighteen (progressive
	// CMYK).
	maxJPEGScans = 32
)

// mediaKind says how an image is prepared for the screen.
type mediaKind int

const (
	photoMedia  mediaKind = iota // fit within 1920x1080, JPEG
	avatarMedia                  // 256x256 cover crop, PNG
)

// mediaTypes are the Content-Types the screen accepts, by image format name
// as image.DecodeConfig reports it.
var mediaTypes = map[string]string{
	"image/jpeg": "jpeg",
	"image/png":  "png",
	"image/webp": "webp",
}

// prepareMedia checks an image the backend sent for hash and prepares it for
// the screen. The checks run cheapest first, and the dimensions are checked
// from the header before any pixel is decoded, so a small file that claims
// to be 50000x50000 (a decompression bomb) never allocates its pixels. A
// file too small for the pixels it claims, and a JPEG with more scans than
// encoders write, are refused the same way: decoding them would keep a
// core busy for seconds.
func prepareMedia(hash, contentType string, data []byte, kind mediaKind, maxPixels int) ([]byte, error) {
	format, ok := mediaTypes[mediaType(contentType)]
	if !ok {
		return nil, fmt.Errorf("%w: type %q is not JPEG, PNG or WebP", ErrBadMedia, mediaType(contentType))
	}
	sum := sha256.Sum256(data)
	if got := hex.EncodeToString(sum[:]); got != hash {
		return nil, fmt.Errorf("%w: the bytes do not match their hash (got %s)", ErrBadMedia, got)
	}
	cfg, got, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%w: not a readable %s image: %v", ErrBadMedia, format, err)
	}
	if got != format {
		return nil, fmt.Errorf("%w: sent as %s but the bytes are %s", ErrBadMedia, format, got)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width > maxMediaSide || cfg.Height > maxMediaSide ||
		int64(cfg.Width)*int64(cfg.Height) > int64(maxPixels) {
		return nil, fmt.Errorf("%w: %dx%d pixels is more than the screen accepts (%d pixels, %d on a side)",
			ErrBadMedia, cfg.Width, cfg.Height, maxPixels, maxMediaSide)
	}
	if px := int64(cfg.Width) * int64(cfg.Height); px > freeMediaPixels+mediaPixelsPerByte*int64(len(data)) {
		return nil, fmt.Errorf("%w: %dx%d pixels in %d bytes: too little data for that many pixels",
			ErrBadMedia, cfg.Width, cfg.Height, len(data))
	}
	if format == "jpeg" {
		if n := jpegScans(data, maxJPEGScans); n > maxJPEGScans {
			return nil, fmt.Errorf("%w: a JPEG of more than %d scans", ErrBadMedia, maxJPEGScans)
		}
	}
	src, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%w: decode %s: %v", ErrBadMedia, format, err)
	}
	o := 1
	if format == "jpeg" {
		o = jpegOrientation(data)
	}
	// Scale first, then turn upright: turning is per pixel, so it runs on
	// the small image. A quarter turn swaps the box the photo must fit.
	var out bytes.Buffer
	switch {
	case kind == avatarMedia:
		err = (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&out, orient(picture.Cover(src, avatarSize, avatarSize), o))
	case o >= 5:
		err = jpeg.Encode(&out, orient(fitWithin(src, photoMaxH, photoMaxW), o), &jpeg.Options{Quality: jpegQuality})
	default:
		err = jpeg.Encode(&out, orient(fitWithin(src, photoMaxW, photoMaxH), o), &jpeg.Options{Quality: jpegQuality})
	}
	if err != nil {
		return nil, fmt.Errorf("encode: %w", err)
	}
	return out.Bytes(), nil
}

// fitWithin scales src down (never up) to fit in w x h, on white where it
// is transparent, since JPEG has no alpha.
func fitWithin(src image.Image, w, h int) image.Image {
	b := src.Bounds()
	dw, dh := b.Dx(), b.Dy()
	if dw > w || dh > h {
		if dw*h > dh*w {
			dw, dh = w, max(1, dh*w/dw)
		} else {
			dw, dh = max(1, dw*h/dh), h
		}
	}
	dst := image.NewRGBA(image.Rect(0, 0, dw, dh))
	op := draw.Src
	if o, ok := src.(interface{ Opaque() bool }); !ok || !o.Opaque() {
		draw.Draw(dst, dst.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
		op = draw.Over
	}
	if dw == b.Dx() && dh == b.Dy() {
		draw.Draw(dst, dst.Bounds(), src, b.Min, op)
	} else {
		picture.Scaler(b.Dx(), dw).Scale(dst, dst.Bounds(), src, b, op, nil)
	}
	return dst
}

// jpegScans counts a JPEG's scans (start-of-scan segments), at most
// limit+1. It walks the segments the way image/jpeg does: bytes between
// segments, 0xFF fill bytes and restart markers are skipped, a segment is
// skipped by its length, and a scan's entropy-coded data runs to the next
// marker that is neither a stuffed 0xFF00 nor a restart marker. It only
// looks at the bytes, so it costs a pass over the file.
func jpegScans(data []byte, limit int) int {
	n := 0
	p := 2 // after the start-of-image marker
	for p+1 < len(data) && n <= limit {
		if data[p] != 0xFF || data[p+1] == 0x00 || data[p+1] == 0xFF {
			p++ // between segments, a stuffed 0xFF or a fill byte
			continue
		}
		marker := data[p+1]
		switch {
		case marker == 0xD9: // end of image
			return n
		case marker >= 0xD0 && marker <= 0xD7: // restart, no length
			p += 2
			continue
		}
		if p+4 > len(data) {
			break
		}
		p += 2 + int(binary.BigEndian.Uint16(data[p+2:]))
		if marker != 0xDA {
			continue
		}
		n++
		for p+1 < len(data) && (data[p] != 0xFF || data[p+1] == 0x00 || data[p+1] >= 0xD0 && data[p+1] <= 0xD7) {
			p++
		}
	}
	return n
}
