package backend

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"sync"

	_ "golang.org/x/image/webp" // registers WebP for DecodeConfig
)

// blob is one stored picture.
type blob struct {
	Image
	Data []byte
}

// newBlob checks data is a PNG, JPEG or WebP image and describes it.
func newBlob(data []byte) (blob, error) {
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return blob{}, fmt.Errorf("%w: %v", errNotImage, err)
	}
	ct := map[string]string{"png": "image/png", "jpeg": "image/jpeg", "webp": "image/webp"}[format]
	if ct == "" {
		return blob{}, fmt.Errorf("%w: format %s", errNotImage, format)
	}
	sum := sha256.Sum256(data)
	return blob{Image: Image{SHA256: hex.EncodeToString(sum[:]), ContentType: ct, Width: cfg.Width, Height: cfg.Height}, Data: data}, nil
}

var errNotImage = errors.New("not a PNG, JPEG or WebP image")

// Media bucket values are the content type, a zero byte, then the bytes.
func (b blob) encode() []byte {
	out := make([]byte, 0, len(b.ContentType)+1+len(b.Data))
	out = append(out, b.ContentType...)
	out = append(out, 0)
	return append(out, b.Data...)
}

func decodeBlob(sha string, v []byte) (blob, bool) {
	i := bytes.IndexByte(v, 0)
	if i < 0 {
		return blob{}, false
	}
	data := bytes.Clone(v[i+1:])
	return blob{Image: Image{SHA256: sha, ContentType: string(v[:i])}, Data: data}, true
}

// artCache remembers every drawn demo picture for the life of the process,
// keyed by what it shows. Drawing is a pure function of the key, so sharing
// it between servers (tests start many) is safe and saves each one the work.
var (
	artCache  sync.Map // key -> *artEntry
	artByHash sync.Map // sha256 -> blob, once drawn
)

type artEntry struct {
	once sync.Once
	b    blob
	err  error
}

// drawn returns the encoded picture for key, drawing it on first use.
func drawn(key string, draw func() (image.Image, string)) (blob, error) {
	v, _ := artCache.LoadOrStore(key, &artEntry{})
	e := v.(*artEntry)
	e.once.Do(func() {
		img, format := draw()
		var buf bytes.Buffer
		switch format {
		case "png":
			enc := png.Encoder{CompressionLevel: png.BestSpeed}
			e.err = enc.Encode(&buf, img)
		default:
			e.err = jpeg.Encode(&buf, img, &jpeg.Options{Quality: 82})
		}
		if e.err != nil {
			e.err = fmt.Errorf("encode %s: %w", key, e.err)
			return
		}
		e.b, e.err = newBlob(buf.Bytes())
		if e.err == nil {
			artByHash.Store(e.b.SHA256, e.b)
		}
	})
	return e.b, e.err
}

// drawAll draws the pictures for keys in parallel, a few at a time.
func drawAll(jobs map[string]func() (image.Image, string), workers int) (map[string]blob, error) {
	type result struct {
		key string
		b   blob
		err error
	}
	keys := make(chan string)
	results := make(chan result)
	for range max(1, workers) {
		go func() {
			for k := range keys {
				b, err := drawn(k, jobs[k])
				results <- result{k, b, err}
			}
		}()
	}
	go func() {
		for k := range jobs {
			keys <- k
		}
		close(keys)
	}()
	out := make(map[string]blob, len(jobs))
	var firstErr error
	for range len(jobs) {
		r := <-results
		if r.err != nil && firstErr == nil {
			firstErr = r.err
		}
		out[r.key] = r.b
	}
	return out, firstErr
}
