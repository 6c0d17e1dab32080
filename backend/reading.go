package backend

import (
	"crypto/sha256"
	"encoding/hex"
	"math"

	"skaerm/internal/voice/recording"
	"skaerm/internal/voice/speech"
)

// demoReading is the demo's recorded reading: four seconds of a voice-like
// hum (syllables of a low voice, each rising and falling), as a WAV file
// made in code, the same bytes every time. A screen plays it instead of
// its synthetic voice when a lunch's speaker button is tapped.
func demoReading() (*Audio, blob) {
	const rate = 16000
	a := speech.Audio{SampleRate: rate, Samples: make([]int16, 4*rate)}
	syllable := rate / 4 // a quarter of a second each, with a pause every fourth
	for i := range a.Samples {
		n, at := i/syllable, float64(i%syllable)/float64(syllable)
		if n%4 == 3 {
			continue
		}
		pitch := 140 + 30*math.Sin(float64(n)*1.7)
		env := math.Sin(math.Pi * at)
		t := float64(i) / rate
		v := math.Sin(2*math.Pi*pitch*t) + 0.5*math.Sin(2*math.Pi*2*pitch*t) + 0.25*math.Sin(2*math.Pi*3*pitch*t)
		a.Samples[i] = int16(6000 * env * v / 1.75)
	}
	data := recording.WAVOf(a)
	sum := sha256.Sum256(data)
	h := hex.EncodeToString(sum[:])
	return &Audio{SHA256: h, ContentType: recording.WAV, Seconds: 4},
		blob{Image: Image{SHA256: h, ContentType: recording.WAV}, Data: data}
}
