//go:build !cgo

package picture

import (
	"errors"
	"image"
)

// ScaledJPEG reports that this build decodes JPEGs at a reduced scale: a
// build without cgo has no libjpeg-turbo, and its callers decode at full
// size with image/jpeg.
const ScaledJPEG = false

// DecodeJPEG is not available without cgo.
func DecodeJPEG(data []byte, minW, minH int) (*image.RGBA, error) {
	return nil, errors.New("jpeg: scaled decoding needs a build with cgo (libjpeg-turbo)")
}
