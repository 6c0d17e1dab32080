//go:build cgo

package picture

/*
#cgo LDFLAGS: -lturbojpeg
#include <stdlib.h>
#include <turbojpeg.h>

// skaerm_jpeg_scaled picks the smallest of libjpeg-turbo's scaling factors
// (at most 1) whose picture is at least min_w x min_h, or the largest when
// none is; it writes the scaled size.
static void skaerm_jpeg_scaled(int w, int h, int min_w, int min_h, int *out_w, int *out_h) {
	int n = 0;
	tjscalingfactor *sf = tjGetScalingFactors(&n);
	int best_w = w, best_h = h;
	for (int i = 0; sf != NULL && i < n; i++) {
		if (sf[i].num > sf[i].denom) {
			continue;
		}
		int sw = TJSCALED(w, sf[i]), sh = TJSCALED(h, sf[i]);
		if (sw >= min_w && sh >= min_h && (long)sw * sh < (long)best_w * best_h) {
			best_w = sw;
			best_h = sh;
		}
	}
	*out_w = best_w;
	*out_h = best_h;
}
*/
import "C"

import (
	"errors"
	"fmt"
	"image"
	"unsafe"
)

// ScaledJPEG reports that this build decodes JPEGs at a reduced scale.
const ScaledJPEG = true

// DecodeJPEG decodes a colour or grey JPEG at the smallest of
// libjpeg-turbo's scales (1/8 to 1, in eighths) whose picture is still at
// least minW x minH, straight into RGBA: an 8000x6000 photo kept at
// 1920x1080 is decoded at 1/4, and its full-size pixels are never in
// memory. A progressive or multi-scan file still holds its DCT
// coefficients at full size inside the decoder (JPEGCoefficientBytes says
// how much) until it returns. CMYK files are ErrCMYK: libjpeg-turbo does
// not turn them into RGB.
func DecodeJPEG(data []byte, minW, minH int) (*image.RGBA, error) {
	if len(data) == 0 {
		return nil, errors.New("jpeg: no data")
	}
	h := C.tjInitDecompress()
	if h == nil {
		return nil, errors.New("jpeg: libjpeg-turbo would not start a decoder")
	}
	defer C.tjDestroy(h)
	src := (*C.uchar)(unsafe.Pointer(&data[0]))
	var w, ht, sub, cs C.int
	if C.tjDecompressHeader3(h, src, C.ulong(len(data)), &w, &ht, &sub, &cs) != 0 {
		return nil, fmt.Errorf("jpeg: header: %s", C.GoString(C.tjGetErrorStr2(h)))
	}
	if cs == C.TJCS_CMYK || cs == C.TJCS_YCCK {
		return nil, ErrCMYK
	}
	var sw, sh C.int
	C.skaerm_jpeg_scaled(w, ht, C.int(minW), C.int(minH), &sw, &sh)
	img := image.NewRGBA(image.Rect(0, 0, int(sw), int(sh)))
	// Warnings (extraneous bytes between segments, as some cameras write)
	// leave a usable picture; a file that ends early is refused before
	// this by its caller, which walks the segments to the end marker.
	flags := C.int(C.TJFLAG_LIMITSCANS)
	if C.tjDecompress2(h, src, C.ulong(len(data)), (*C.uchar)(unsafe.Pointer(&img.Pix[0])),
		sw, C.int(img.Stride), sh, C.TJPF_RGBA, flags) != 0 && C.tjGetErrorCode(h) != C.TJERR_WARNING {
		return nil, fmt.Errorf("jpeg: decode: %s", C.GoString(C.tjGetErrorStr2(h)))
	}
	return img, nil
}
