// Package soundtest gives tests a loudspeaker without a sound card: ALSA's
// default device routed to a file, and the samples it heard.
package soundtest

import (
	"bytes"
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"
)

// FileSpeaker routes ALSA's default device to a file for the rest of the
// test (through ~/.asoundrc, with HOME set to a temporary folder) and
// returns the file's path. The file PCM writes what it is given, raw, and
// hands it on to the null device.
func FileSpeaker(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	out, err := WriteRC(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("HOME", dir)
	return out
}

// WriteRC writes an asoundrc into dir that routes ALSA's default device to
// the file it returns, for a process that sets HOME to dir itself (a
// TestMain, which has no *testing.T). Each sound played truncates the file.
func WriteRC(dir string) (string, error) {
	out := filepath.Join(dir, "heard.raw")
	rc := "pcm.!default {\n\ttype file\n\tslave.pcm \"null\"\n\tfile \"" + out + "\"\n\tformat \"raw\"\n}\n"
	return out, os.WriteFile(filepath.Join(dir, ".asoundrc"), []byte(rc), 0o600)
}

// Read reads the 16-bit samples the file speaker at path holds now.
func Read(path string) ([]int16, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	s := make([]int16, len(b)/2)
	for i := range s {
		s[i] = int16(binary.LittleEndian.Uint16(b[2*i:]))
	}
	return s, nil
}

// Heard reads the 16-bit samples the file speaker at path received.
func Heard(t *testing.T, path string) []int16 {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("nothing was played: %v", err)
	}
	s := make([]int16, len(b)/2)
	if err := binary.Read(bytes.NewReader(b[:2*len(s)]), binary.LittleEndian, s); err != nil {
		t.Fatal(err)
	}
	return s
}
