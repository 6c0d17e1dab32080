//go:build !linux || android

package display

// trimHeap does nothing where the C library has no malloc_trim.
func trimHeap() {}
