// Package recording checks and decodes the staff's recorded readings of a
// card (Screen API v1.1 "audio": the cook reading today's menu), which a
// screen plays instead of its synthetic voice.
//
// # Basics
//
// Check is what the sync runs before a recording is kept, cheapest first:
// the hash, then the kind (the bytes are what the content type says), then
// the duration read from the headers, at most board.MaxAudioSeconds and
// close to what the board says, all before a sample is decoded. Decode turns
// a kept recording into mono 16-bit samples for the loudspeaker.
//
// # Caveats
//
// WAV (PCM, 8 or 16 bits, one or two channels) and MP3 are played. No Ogg
// Vorbis decoder can be had from the Go module proxy, so audio/ogg is
// refused with ErrNoDecoder and the card is read by the voice instead. A
// decoder that panics on hostile bytes is caught: the recording is refused,
// the screen goes on.
package recording

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"time"

	"github.com/hajimehoshi/go-mp3"

	"skaerm/board"
	"skaerm/internal/voice/speech"
)

// Errors a caller can tell apart with errors.Is.
var (
	// ErrRefused: the bytes are not the recording the board describes.
	ErrRefused = errors.New("recording refused")
	// ErrNoDecoder: the screen cannot play this kind of recording.
	ErrNoDecoder = errors.New("no decoder for this kind of recording")
)

// The content types of board.AudioTypes.
const (
	MP3 = "audio/mpeg"
	WAV = "audio/wav"
	Ogg = "audio/ogg"
)

// Playable reports whether a recording of this content type can be played.
func Playable(contentType string) bool { return contentType == MP3 || contentType == WAV }

// slack is how far the duration may differ from what the board says.
func slack(seconds float64) float64 { return math.Max(2, seconds*0.2) }

// Check reports whether data is the recording a describes.
func Check(data []byte, a board.Audio) (err error) {
	defer caught(&err)
	sum := sha256.Sum256(data)
	if got := hex.EncodeToString(sum[:]); got != a.SHA256 {
		return fmt.Errorf("%w: the bytes do not match their hash (got %s)", ErrRefused, got)
	}
	d, err := Duration(data, a.ContentType)
	if err != nil {
		return err
	}
	secs := d.Seconds()
	if secs > board.MaxAudioSeconds {
		return fmt.Errorf("%w: %.0f s long, over the %d s a screen plays", ErrRefused, secs, board.MaxAudioSeconds)
	}
	if math.Abs(secs-a.Seconds) > slack(a.Seconds) {
		return fmt.Errorf("%w: %.1f s long, the board says %.1f s", ErrRefused, secs, a.Seconds)
	}
	return nil
}

// Duration is how long data plays, read from its headers without decoding
// its samples.
func Duration(data []byte, contentType string) (d time.Duration, err error) {
	defer caught(&err)
	switch contentType {
	case WAV:
		w, err := readWAV(data)
		if err != nil {
			return 0, err
		}
		return w.duration(), nil
	case MP3:
		dec, err := mp3.NewDecoder(bytes.NewReader(data))
		if err != nil {
			return 0, fmt.Errorf("%w: not an MP3: %v", ErrRefused, err)
		}
		if dec.SampleRate() <= 0 || dec.Length() <= 0 {
			return 0, fmt.Errorf("%w: an MP3 without sound", ErrRefused)
		}
		// go-mp3 gives 16-bit stereo: four bytes a sample.
		return time.Duration(float64(dec.Length()/4) / float64(dec.SampleRate()) * float64(time.Second)), nil
	case Ogg:
		return 0, fmt.Errorf("%w: Ogg Vorbis", ErrNoDecoder)
	}
	return 0, fmt.Errorf("%w: content type %q is not MP3, WAV or Ogg", ErrRefused, contentType)
}

// Decode returns a kept recording as mono samples.
func Decode(data []byte, contentType string) (a speech.Audio, err error) {
	defer caught(&err)
	if _, err := Duration(data, contentType); err != nil {
		return speech.Audio{}, err
	}
	switch contentType {
	case WAV:
		w, _ := readWAV(data)
		return w.mono(), nil
	default: // MP3, as Duration checked
		dec, err := mp3.NewDecoder(bytes.NewReader(data))
		if err != nil {
			return speech.Audio{}, fmt.Errorf("%w: %v", ErrRefused, err)
		}
		pcm, err := io.ReadAll(io.LimitReader(dec, (board.MaxAudioSeconds+10)*int64(dec.SampleRate())*4))
		if err != nil && len(pcm) == 0 {
			return speech.Audio{}, fmt.Errorf("%w: decode MP3: %v", ErrRefused, err)
		}
		a = speech.Audio{SampleRate: dec.SampleRate(), Samples: make([]int16, len(pcm)/4)}
		for i := range a.Samples {
			l := int16(binary.LittleEndian.Uint16(pcm[4*i:]))
			r := int16(binary.LittleEndian.Uint16(pcm[4*i+2:]))
			a.Samples[i] = int16((int32(l) + int32(r)) / 2)
		}
		return a, nil
	}
}

// caught turns a decoder's panic on hostile bytes into a refusal.
func caught(err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("%w: the decoder failed: %v", ErrRefused, r)
	}
}

// wav is a PCM WAV file's format and samples.
type wav struct {
	channels, rate, bits int
	data                 []byte
}

func (w wav) frames() int { return len(w.data) / (w.channels * w.bits / 8) }

func (w wav) duration() time.Duration {
	return time.Duration(float64(w.frames()) / float64(w.rate) * float64(time.Second))
}

// mono mixes the channels into one, at 16 bits.
func (w wav) mono() speech.Audio {
	a := speech.Audio{SampleRate: w.rate, Samples: make([]int16, w.frames())}
	step := w.channels * w.bits / 8
	for i := range a.Samples {
		var sum int32
		for c := 0; c < w.channels; c++ {
			off := i*step + c*w.bits/8
			if w.bits == 16 {
				sum += int32(int16(binary.LittleEndian.Uint16(w.data[off:])))
			} else {
				sum += (int32(w.data[off]) - 128) << 8
			}
		}
		a.Samples[i] = int16(sum / int32(w.channels))
	}
	return a
}

// readWAV reads a RIFF WAVE file's format and data chunks.
func readWAV(b []byte) (wav, error) {
	bad := func(why string) (wav, error) {
		return wav{}, fmt.Errorf("%w: not a WAV file the screen plays: %s", ErrRefused, why)
	}
	if len(b) < 12 || string(b[:4]) != "RIFF" || string(b[8:12]) != "WAVE" {
		return bad("no RIFF WAVE header")
	}
	var w wav
	haveFmt := false
	for off := 12; off+8 <= len(b); {
		id, size := string(b[off:off+4]), int(binary.LittleEndian.Uint32(b[off+4:]))
		body := b[off+8:]
		if size < 0 || size > len(body) {
			if id != "data" {
				return bad("a chunk runs past the end")
			}
			size = len(body) // a data chunk cut short: play what there is
		}
		switch id {
		case "fmt ":
			if size < 16 {
				return bad("short format chunk")
			}
			format := binary.LittleEndian.Uint16(body)
			w.channels = int(binary.LittleEndian.Uint16(body[2:]))
			w.rate = int(binary.LittleEndian.Uint32(body[4:]))
			w.bits = int(binary.LittleEndian.Uint16(body[14:]))
			if format != 1 && format != 0xFFFE {
				return bad(fmt.Sprintf("format %d is not PCM", format))
			}
			if w.channels < 1 || w.channels > 2 || (w.bits != 8 && w.bits != 16) || w.rate < 8000 || w.rate > 48000 {
				return bad(fmt.Sprintf("%d channels of %d bits at %d Hz", w.channels, w.bits, w.rate))
			}
			haveFmt = true
		case "data":
			if !haveFmt {
				return bad("data before format")
			}
			w.data = body[:size]
			if w.frames() == 0 {
				return bad("no samples")
			}
			return w, nil
		}
		off += 8 + size + size%2
	}
	return bad("no data chunk")
}

// WAVOf is a mono 16-bit WAV file of a: the reference backend's demo
// recordings and the tests'.
func WAVOf(a speech.Audio) []byte {
	var b bytes.Buffer
	n := 2 * len(a.Samples)
	b.WriteString("RIFF")
	_ = binary.Write(&b, binary.LittleEndian, uint32(36+n))
	b.WriteString("WAVEfmt ")
	_ = binary.Write(&b, binary.LittleEndian, struct {
		Size                  uint32
		Format, Channels      uint16
		Rate, ByteRate        uint32
		BlockAlign, BitsPerSa uint16
	}{16, 1, 1, uint32(a.SampleRate), uint32(2 * a.SampleRate), 2, 16})
	b.WriteString("data")
	_ = binary.Write(&b, binary.LittleEndian, uint32(n))
	_ = binary.Write(&b, binary.LittleEndian, a.Samples)
	return b.Bytes()
}
