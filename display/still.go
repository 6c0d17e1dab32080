package display

import (
	"bytes"
	"fmt"
	"image"
)

// still is one picture the painter may draw. Its size is known from the
// file's header; a picture from the cache keeps only its encoded bytes and
// is decoded when a scaled copy has to be made, then let go, so the screen
// holds each picture once, at the size it is drawn, on the GPU.
type still struct {
	w, h int
	data []byte      // encoded: media from the cache
	img  image.Image // decoded: the override folder's few pictures
}

// encodedStill reads the header of data; the pixels wait until drawn.
func encodedStill(data []byte) (*still, error) {
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("read picture header: %w", err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return nil, fmt.Errorf("picture is %dx%d", cfg.Width, cfg.Height)
	}
	return &still{w: cfg.Width, h: cfg.Height, data: data}, nil
}

// decodedStill wraps a picture already in memory.
func decodedStill(img image.Image) *still {
	b := img.Bounds()
	return &still{w: b.Dx(), h: b.Dy(), img: img}
}

// Bounds is the picture's size, without decoding it.
func (s *still) Bounds() image.Rectangle { return image.Rect(0, 0, s.w, s.h) }

// pixels decodes the picture (or returns it when it is in memory).
func (s *still) pixels() (image.Image, error) {
	if s.img != nil {
		return s.img, nil
	}
	img, _, err := image.Decode(bytes.NewReader(s.data))
	if err != nil {
		return nil, fmt.Errorf("decode picture: %w", err)
	}
	if b := img.Bounds(); b.Dx() != s.w || b.Dy() != s.h {
		return nil, fmt.Errorf("picture is %dx%d, its header said %dx%d", b.Dx(), b.Dy(), s.w, s.h)
	}
	return img, nil
}
