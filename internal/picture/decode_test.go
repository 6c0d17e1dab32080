package picture

import (
	"bytes"
	"image"
	"image/color"
	"image/color/palette"
	"image/draw"
	"image/jpeg"
	"image/png"
	"testing"
)

// gradient is a picture with every kind of change across it, and
// transparency in its right third.
func gradient(w, h int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			a := uint8(0xFF)
			if x > 2*w/3 {
				a = uint8(64 + (y*191)/h)
			}
			img.SetNRGBA(x, y, color.NRGBA{uint8(x * 255 / w), uint8(y * 255 / h), uint8((x + y) % 256), a})
		}
	}
	return img
}

func encodePNG(t *testing.T, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// maxDiff is the largest difference of one channel between a and b,
// both taken as premultiplied RGBA.
func maxDiff(a, b image.Image) int {
	most := 0
	r := a.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			c1, c2 := color.RGBAModel.Convert(a.At(x, y)).(color.RGBA), color.RGBAModel.Convert(b.At(x, y)).(color.RGBA)
			for _, d := range []int{int(c1.R) - int(c2.R), int(c1.G) - int(c2.G), int(c1.B) - int(c2.B), int(c1.A) - int(c2.A)} {
				most = max(most, d, -d)
			}
		}
	}
	return most
}

// meanDiff is the mean absolute difference of a channel between a and b.
func meanDiff(a, b image.Image) float64 {
	total, n := 0, 0
	r := a.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			c1, c2 := color.RGBAModel.Convert(a.At(x, y)).(color.RGBA), color.RGBAModel.Convert(b.At(x, y)).(color.RGBA)
			for _, d := range []int{int(c1.R) - int(c2.R), int(c1.G) - int(c2.G), int(c1.B) - int(c2.B)} {
				total += max(d, -d)
				n++
			}
		}
	}
	return float64(total) / float64(n)
}

// TestShrinkPNGReadsEveryKind: at full size, the row decoder gives what
// image/png gives, for every colour type and depth Go's encoder writes.
func TestShrinkPNGReadsEveryKind(t *testing.T) {
	src := gradient(61, 37)
	kinds := map[string]image.Image{}
	kinds["nrgba"] = src
	n64 := image.NewNRGBA64(src.Bounds())
	draw.Draw(n64, n64.Bounds(), src, image.Point{}, draw.Src)
	kinds["nrgba64"] = n64
	g := image.NewGray(src.Bounds())
	draw.Draw(g, g.Bounds(), src, image.Point{}, draw.Src)
	kinds["gray"] = g
	g16 := image.NewGray16(src.Bounds())
	draw.Draw(g16, g16.Bounds(), src, image.Point{}, draw.Src)
	kinds["gray16"] = g16
	rgb := image.NewRGBA(src.Bounds())
	draw.Draw(rgb, rgb.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
	draw.Draw(rgb, rgb.Bounds(), src, image.Point{}, draw.Over)
	kinds["rgb (opaque)"] = rgb
	pal := image.NewPaletted(src.Bounds(), append(palette.Plan9[:200:200], color.NRGBA{0, 0, 0, 0}))
	draw.Draw(pal, pal.Bounds(), src, image.Point{}, draw.Src)
	kinds["paletted with transparency"] = pal
	bw := image.NewPaletted(src.Bounds(), color.Palette{color.Black, color.White})
	draw.FloydSteinberg.Draw(bw, bw.Bounds(), src, image.Point{})
	kinds["paletted, 1 bit"] = bw
	for name, img := range kinds {
		data := encodePNG(t, img)
		want, err := png.Decode(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		got, err := ShrinkPNG(data, 61, 37)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if got.Bounds() != want.Bounds() {
			t.Fatalf("%s: %v, want %v", name, got.Bounds(), want.Bounds())
		}
		if d := maxDiff(got, want); d > 1 {
			t.Errorf("%s: differs from image/png by up to %d", name, d)
		}
	}
}

// TestShrinkPNGShrinks: a picture is shrunk by the largest whole factor
// that keeps it at least the size asked for, each pixel the mean of its
// block.
func TestShrinkPNGShrinks(t *testing.T) {
	src := gradient(1000, 600)
	data := encodePNG(t, src)
	got, err := ShrinkPNG(data, 240, 100)
	if err != nil {
		t.Fatal(err)
	}
	if got.Bounds().Dx() != 250 || got.Bounds().Dy() != 150 {
		t.Fatalf("shrunk to %v, want 250x150 (a factor of 4)", got.Bounds())
	}
	// The block at (10, 20) of the output, by hand.
	var sum [4]int
	for y := 80; y < 84; y++ {
		for x := 40; x < 44; x++ {
			c := color.RGBAModel.Convert(src.At(x, y)).(color.RGBA)
			sum[0], sum[1], sum[2], sum[3] = sum[0]+int(c.R), sum[1]+int(c.G), sum[2]+int(c.B), sum[3]+int(c.A)
		}
	}
	c := got.RGBAAt(10, 20)
	for i, v := range []uint8{c.R, c.G, c.B, c.A} {
		if d := int(v) - sum[i]/16; d > 1 || d < -1 {
			t.Errorf("channel %d is %d, the block's mean %d", i, v, sum[i]/16)
		}
	}
}

// TestShrinkPNGRefuses: a truncated file, a broken CRC and an interlaced
// file are errors, not pictures.
func TestShrinkPNGRefuses(t *testing.T) {
	data := encodePNG(t, gradient(200, 100))
	if _, err := ShrinkPNG(data[:len(data)/2], 10, 10); err == nil {
		t.Error("half a PNG was read")
	}
	bad := bytes.Clone(data)
	bad[40] ^= 0xFF
	if _, err := ShrinkPNG(bad, 10, 10); err == nil {
		t.Error("a PNG with a broken chunk was read")
	}
	il := bytes.Clone(data)
	il[8+8+12] = 1 // IHDR's interlace method
	if _, err := ShrinkPNG(il, 10, 10); err == nil {
		t.Error("an interlaced PNG was read row by row")
	}
}

// TestDecodeJPEGScales: libjpeg-turbo decodes at the smallest of its
// scales that keeps the size asked for, and the picture is the one
// image/jpeg sees.
func TestDecodeJPEGScales(t *testing.T) {
	if !ScaledJPEG {
		t.Skip("a build without cgo decodes JPEG with image/jpeg")
	}
	src := gradient(1600, 1200)
	opaque := image.NewRGBA(src.Bounds())
	draw.Draw(opaque, opaque.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
	draw.Draw(opaque, opaque.Bounds(), src, image.Point{}, draw.Over)
	var b bytes.Buffer
	if err := jpeg.Encode(&b, opaque, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ minW, minH, w, h int }{
		{1600, 1200, 1600, 1200},
		{700, 500, 800, 600},  // 1/2
		{390, 100, 400, 300},  // 1/4
		{10, 10, 200, 150},    // 1/8, the smallest
		{1000, 10, 1000, 750}, // 5/8
	} {
		got, err := DecodeJPEG(b.Bytes(), tt.minW, tt.minH)
		if err != nil {
			t.Fatal(err)
		}
		if got.Bounds().Dx() != tt.w || got.Bounds().Dy() != tt.h {
			t.Errorf("at least %dx%d: decoded %v, want %dx%d", tt.minW, tt.minH, got.Bounds(), tt.w, tt.h)
		}
	}
	full, err := DecodeJPEG(b.Bytes(), 1600, 1200)
	if err != nil {
		t.Fatal(err)
	}
	want, err := jpeg.Decode(bytes.NewReader(b.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	// The two upsample colour differently at sharp edges: compare means.
	if d := meanDiff(full, want); d > 1.5 {
		t.Errorf("differs from image/jpeg by %.2f a channel on average", d)
	}
	l := ReadJPEGLayout(b.Bytes(), 32)
	if l.Scans != 1 || !l.Ended || l.CoefficientBytes != 0 {
		t.Errorf("layout %+v, want one scan, ended, no coefficient buffer", l)
	}
	if l := ReadJPEGLayout(b.Bytes()[:b.Len()/2], 32); l.Ended {
		t.Error("half a JPEG reads as ended")
	}
}
