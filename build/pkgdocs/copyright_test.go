package main

import (
	"debug/buildinfo"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// buildProgram writes a module example.com/prog that uses a local module
// example.com/dep (replaced by ./dep), with the given files in dep/, builds
// it and returns the module directory and the program.
func buildProgram(t *testing.T, depFiles map[string]string) (dir, bin string) {
	t.Helper()
	dir = t.TempDir()
	files := map[string]string{
		"go.mod":             "module example.com/prog\n\ngo 1.22\n\nrequire example.com/dep v0.0.0\n\nreplace example.com/dep => ./dep\n",
		"main.go":            "package main\n\nimport \"example.com/dep/inner\"\n\nfunc main() { inner.Hello() }\n",
		"dep/go.mod":         "module example.com/dep\n\ngo 1.22\n",
		"dep/inner/inner.go": "package inner\n\nfunc Hello() { println(\"hello\") }\n",
		"dep/unused/x.go":    "package unused\n",
	}
	for name, text := range depFiles {
		files["dep/"+name] = text
	}
	for name, text := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	bin = filepath.Join(dir, "prog")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return dir, bin
}

// copyrightOf runs the copyright command on the program.
func copyrightOf(t *testing.T, dir, bin string) (string, error) {
	t.Helper()
	head := filepath.Join(t.TempDir(), "head")
	if err := os.WriteFile(head, []byte("Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n\nFiles: *\nCopyright: 2026 Us\nLicense: Apache-2.0\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	err := run([]string{"copyright", "-head", head, "-C", dir, "-installed", "/usr/bin/prog", bin}, &out)
	return out.String(), err
}

func TestCopyrightCoversEveryModule(t *testing.T) {
	dir, bin := buildProgram(t, map[string]string{
		"LICENSE":          expatText,
		"NOTICE":           "Dep\nCopyright 2020 Dep Makers\n",
		"inner/COPYING":    "SPDX-License-Identifier: ISC\nCopyright 2021 Inner People\n",
		"unused/LICENSE":   "not compiled in, so never read",
		"inner/README.txt": "not a licence",
	})
	got, err := copyrightOf(t, dir, bin)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"Files: *\nCopyright: 2026 Us\nLicense: Apache-2.0\n",
		"Files: GOROOT/*\n",
		"Files: example.com/dep/*\nCopyright: 2013 Ben Johnson\n 2020 Dep Makers\nLicense: Expat\n Copyright (c) 2013 Ben Johnson\n",
		"Comment: Go module example.com/dep, replaced by ./dep (LICENSE), compiled into\n /usr/bin/prog.\n Its NOTICE file reads:\n Dep\n",
		"Files: example.com/dep/inner/*\nCopyright: 2021 Inner People\nLicense: ISC\n",
		"\nLicense: Apache-2.0\n On Debian systems, the complete text of the Apache-2.0 licence is in\n /usr/share/common-licenses/Apache-2.0.\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the copyright file lacks\n%s\ngot:\n%s", want, got)
		}
	}
	if strings.Contains(got, "never read") {
		t.Error("a licence of a package that is not compiled in was included")
	}
	// Every module the program records has a paragraph.
	bi, err := buildinfo.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range bi.Deps {
		if !strings.Contains(got, "Files: "+d.Path+"/*\n") {
			t.Errorf("no paragraph for %s", d.Path)
		}
	}
}

func TestCopyrightFailsWithoutAKnownLicence(t *testing.T) {
	tests := map[string]struct {
		files map[string]string
		want  string
	}{
		"no licence file":    {nil, "example.com/dep: no licence file"},
		"an unknown licence": {map[string]string{"LICENSE": "Use it as you like, but be nice."}, "example.com/dep: LICENSE: unknown licence"},
		"a known licence, an unknown one inside": {
			map[string]string{"LICENSE": expatText, "inner/LICENSE": "Ask us first."},
			"example.com/dep: inner/LICENSE: unknown licence"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			dir, bin := buildProgram(t, tt.files)
			out, err := copyrightOf(t, dir, bin)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("copyright = %v, want an error with %q\n%s", err, tt.want, out)
			}
		})
	}
}
