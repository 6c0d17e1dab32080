// Package picture scales pictures on the CPU the way the screen shows them:
// to cover a box (cropping what sticks out, centred), with a filter chosen
// for how much the picture shrinks. The screen's sync prepares media with
// it and the renderer scales faces and photos to their drawn size with it.
package picture

import (
	"image"

	"golang.org/x/image/draw"
)

// Cover scales src to fill w x h and cuts what sticks out, centred.
func Cover(src image.Image, w, h int) *image.RGBA {
	crop := CoverCrop(src.Bounds(), w, h)
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	Scaler(crop.Dx(), w).Scale(dst, dst.Bounds(), src, crop, draw.Src, nil)
	return dst
}

// CoverCrop is the part of a picture with bounds b that Cover shows in a
// w x h box: all of it along one side, centred along the other.
func CoverCrop(b image.Rectangle, w, h int) image.Rectangle {
	sw, sh := b.Dx(), b.Dy()
	crop := b
	if sw*h > sh*w { // wider than the target: cut the sides
		cw := sh * w / h
		crop.Min.X += (sw - cw) / 2
		crop.Max.X = crop.Min.X + cw
	} else {
		ch := sw * h / w
		crop.Min.Y += (sh - ch) / 2
		crop.Max.Y = crop.Min.Y + ch
	}
	return crop
}

// Scaler picks the interpolation for scaling from src to dst pixels (along
// the same side): approximate bilinear is as good as any for a mild
// reduction or an enlargement and many times faster (a photo filling the
// slideshow: 47 instead of 75 ms here); a strong reduction (an avatar into a
// face) needs Catmull-Rom against aliasing.
func Scaler(src, dst int) draw.Scaler {
	if dst*2 >= src {
		return draw.ApproxBiLinear
	}
	return draw.CatmullRom
}
