package sync

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math"

	"golang.org/x/image/draw"
	"golang.org/x/image/webp" // also registers WebP with image.DecodeConfig

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
	o := 1
	if format == "jpeg" {
		o = jpegOrientation(data)
	}
	if px := int64(cfg.Width) * int64(cfg.Height); px > freeMediaPixels {
		// One large picture at a time in this process: a burst of photos
		// waits here instead of holding several decoders' memory at once.
		bigDecode <- struct{}{}
		defer func() { <-bigDecode }()
	}
	minW, minH := keptSize(cfg.Width, cfg.Height, kind, o)
	src, err := decodeAt(format, data, cfg, minW, minH)
	if err != nil {
		return nil, err
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

// bigDecode lets one picture of more than freeMediaPixels be decoded at a
// time in the process, by all its syncs and media workers.
var bigDecode = make(chan struct{}, 1)

// What a picture may hold while it is decoded. A baseline JPEG is decoded
// at the scale it is kept at and a PNG is shrunk row by row, so neither
// ever holds its full-size pixels; these bound what does.
const (
	// maxCoefficientBytes bounds the DCT coefficients libjpeg holds for a
	// progressive (or one scan a colour) JPEG: 150 MiB for a 50 MP photo
	// with the usual half-size colour, twice that with full-size colour.
	maxCoefficientBytes = 160 << 20
	// fullDecodeBytes bounds a picture decoded at full size: a CMYK JPEG,
	// an interlaced PNG, and WebP (lossy WebP holds 1.5 bytes a pixel, one
	// with alpha or lossless 4).
	fullDecodeBytes = 128 << 20
)

// keptSize is the size a w x h picture is kept at, turned by orientation
// o, as prepareMedia scales it: the size its decoding must not go below.
func keptSize(w, h int, kind mediaKind, o int) (int, int) {
	if kind == avatarMedia {
		s := math.Max(float64(avatarSize)/float64(w), float64(avatarSize)/float64(h))
		return min(w, int(math.Ceil(float64(w)*s))), min(h, int(math.Ceil(float64(h)*s)))
	}
	bw, bh := photoMaxW, photoMaxH
	if o >= 5 {
		bw, bh = bh, bw
	}
	if w <= bw && h <= bh {
		return w, h
	}
	s := math.Min(float64(bw)/float64(w), float64(bh)/float64(h))
	return max(1, int(float64(w)*s)), max(1, int(float64(h)*s))
}

// decodeAt decodes a checked picture at no less than minW x minH, and as
// close to it as the format allows: JPEG by libjpeg-turbo at a scale of
// eighths, PNG shrunk row by row by a whole factor. What must be decoded
// at full size is refused when it would hold more than fullDecodeBytes.
func decodeAt(format string, data []byte, cfg image.Config, minW, minH int) (image.Image, error) {
	px := int64(cfg.Width) * int64(cfg.Height)
	full := func(bytesPerPixel float64, what string) error {
		if need := int64(float64(px) * bytesPerPixel); need > fullDecodeBytes {
			return fmt.Errorf("%w: %s of %dx%d is decoded at full size, %d MiB, more than %d MiB",
				ErrBadMedia, what, cfg.Width, cfg.Height, need>>20, fullDecodeBytes>>20)
		}
		return nil
	}
	var (
		src image.Image
		err error
	)
	switch format {
	case "jpeg":
		l := picture.ReadJPEGLayout(data, maxJPEGScans)
		switch {
		case l.Scans > maxJPEGScans:
			return nil, fmt.Errorf("%w: a JPEG of more than %d scans", ErrBadMedia, maxJPEGScans)
		case !l.Ended:
			return nil, fmt.Errorf("%w: the JPEG ends before its end marker (a truncated file)", ErrBadMedia)
		case l.CoefficientBytes > maxCoefficientBytes:
			return nil, fmt.Errorf("%w: a progressive JPEG of %dx%d holds %d MiB while it is decoded, more than %d MiB",
				ErrBadMedia, cfg.Width, cfg.Height, l.CoefficientBytes>>20, maxCoefficientBytes>>20)
		}
		if picture.ScaledJPEG {
			src, err = picture.DecodeJPEG(data, minW, minH)
			if !errors.Is(err, picture.ErrCMYK) {
				break
			}
		}
		// image/jpeg: CMYK, or a build without libjpeg-turbo. It holds the
		// picture at full size, and a progressive one's coefficients twice
		// over (four bytes each).
		if err := full(4+float64(2*l.CoefficientBytes)/float64(px), "a CMYK JPEG"); err != nil {
			return nil, err
		}
		src, err = jpeg.Decode(bytes.NewReader(data))
	case "png":
		src, err = picture.ShrinkPNG(data, minW, minH)
		if !errors.Is(err, picture.ErrInterlaced) {
			break
		}
		bpp := 4.0
		switch cfg.ColorModel {
		case color.RGBA64Model, color.NRGBA64Model, color.Gray16Model:
			bpp = 8
		}
		if err := full(bpp, "an interlaced PNG"); err != nil {
			return nil, err
		}
		src, err = png.Decode(bytes.NewReader(data))
	default: // webp
		bpp := 4.0
		if len(data) >= 16 && string(data[12:16]) == "VP8 " {
			bpp = 1.5 // lossy, no alpha: YCbCr at half-size colour
		}
		if err := full(bpp, "a lossless or transparent WebP"); err != nil {
			return nil, err
		}
		src, err = webp.Decode(bytes.NewReader(data))
	}
	if err != nil {
		return nil, fmt.Errorf("%w: decode %s: %v", ErrBadMedia, format, err)
	}
	return src, nil
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
