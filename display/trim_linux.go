//go:build linux && !android

package display

/*
#include <malloc.h>
*/
import "C"

// trimHeap gives the C heap's free memory back to the system. The GL
// driver keeps textures there (Mesa's llvmpipe in system memory): a freed
// slideshow photo leaves megabytes that malloc would otherwise keep.
func trimHeap() { C.malloc_trim(0) }
