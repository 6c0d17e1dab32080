package picture

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"testing"
)

// TestCoverCropsCentred: a picture is scaled to cover its box and what
// sticks out is cut evenly on both sides, whether it is made much smaller
// (a face), a little smaller, or larger (a photo on the slideshow).
func TestCoverCropsCentred(t *testing.T) {
	// 400x100: a red quarter, a green half, a blue quarter.
	src := image.NewRGBA(image.Rect(0, 0, 400, 100))
	for y := 0; y < 100; y++ {
		for x := 0; x < 400; x++ {
			c := color.RGBA{0, 255, 0, 255}
			if x < 100 {
				c = color.RGBA{255, 0, 0, 255}
			} else if x >= 300 {
				c = color.RGBA{0, 0, 255, 255}
			}
			src.SetRGBA(x, y, c)
		}
	}
	for _, size := range []int{40, 90, 300} {
		out := Cover(src, size, size)
		if b := out.Bounds(); b.Dx() != size || b.Dy() != size {
			t.Fatalf("size %d: got %v", size, b)
		}
		// The square comes from the middle: all green, no red or blue.
		for _, x := range []int{1, size / 2, size - 2} {
			if c := out.RGBAAt(x, size/2); c.G < 200 || c.R > 40 || c.B > 40 {
				t.Errorf("size %d: pixel %d is %v, want the green middle", size, x, c)
			}
		}
	}
}

// photo is a 1440x1080 JPEG decoded, as the slideshow gets a photo.
func photo(tb testing.TB) image.Image {
	tb.Helper()
	src := image.NewRGBA(image.Rect(0, 0, 1440, 1080))
	for y := 0; y < 1080; y++ {
		for x := 0; x < 1440; x++ {
			src.SetRGBA(x, y, color.RGBA{uint8(x / 6), uint8(y / 5), uint8((x + y) / 10), 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, src, &jpeg.Options{Quality: 85}); err != nil {
		tb.Fatal(err)
	}
	img, err := jpeg.Decode(&buf)
	if err != nil {
		tb.Fatal(err)
	}
	return img
}

// BenchmarkCoverSlide: a photo scaled to fill the slideshow's picture box at
// 1080p (the CPU part of showing a new slide).
func BenchmarkCoverSlide(b *testing.B) {
	src := photo(b)
	b.ResetTimer()
	for range b.N {
		Cover(src, 1850, 830)
	}
}

// BenchmarkCoverFace: an avatar scaled into a face on the Today page.
func BenchmarkCoverFace(b *testing.B) {
	src := image.NewRGBA(image.Rect(0, 0, 256, 256))
	for i := range src.Pix {
		src.Pix[i] = uint8(i * 7)
	}
	b.ResetTimer()
	for range b.N {
		Cover(src, 72, 72)
	}
}
