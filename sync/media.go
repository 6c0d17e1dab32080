package sync

import (
	"bytes"
	"crypto/sha256"
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
// to be 50000x50000 (a decompression bomb) never allocates its pixels.
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
