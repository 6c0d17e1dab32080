package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// repoFile reads a file of this repository.
func repoFile(t *testing.T, rel string) string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "..", rel))
	if err != nil {
		t.Fatal(err)
	}
	return string(raw)
}

// goRootLicence is the Go distribution's own licence file.
func goRootLicence(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(out)), "LICENSE"))
	if err != nil {
		t.Fatal(err)
	}
	return string(raw)
}

const expatText = `Copyright (c) 2013 Ben Johnson

Permission is hereby granted, free of charge, to any person obtaining a copy of
this software and associated documentation files (the "Software"), to deal in
the Software without restriction, including without limitation the rights to
use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies of
the Software, and to permit persons to whom the Software is furnished to do so,
subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND.
`

func TestClassify(t *testing.T) {
	goLicence := goRootLicence(t)
	bsd2 := strings.Replace(goLicence, "   * Neither the name of Google LLC nor the names of its\ncontributors may be used to endorse or promote products derived from\nthis software without specific prior written permission.\n", "", 1)
	if bsd2 == goLicence {
		t.Fatal("the Go licence changed: the BSD-2-clause case needs a new source")
	}
	tests := []struct {
		name, text, want string
	}{
		{"the project's LICENSE", repoFile(t, "LICENSE"), "Apache-2.0"},
		{"the font's OFL.txt", repoFile(t, "assets/fonts/OFL.txt"), "OFL-1.1"},
		{"Go's LICENSE", goLicence, "BSD-3-clause"},
		{"BSD without the name clause", bsd2, "BSD-2-clause"},
		{"MIT in Go comments", "// " + strings.ReplaceAll(expatText, "\n", "\n// "), "Expat"},
		{"an SPDX line wins", "SPDX-License-Identifier: Unlicense OR BSD-3-Clause\n\n" + expatText, "Unlicense or BSD-3-clause"},
		{"ISC", "Copyright (c) 2020 A\n\nPermission to use, copy, modify, and/or distribute this software for any\npurpose with or without fee is hereby granted, provided that the above\ncopyright notice and this permission notice appear in all copies.", "ISC"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := classify(tt.text)
			if err != nil || got != tt.want {
				t.Fatalf("classify = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

func TestClassifyRefuses(t *testing.T) {
	goLicence := goRootLicence(t)
	tests := map[string]string{
		"no licence at all":   "This is our code. Please be nice with it.",
		"two licences in one": goLicence + "\n\n" + expatText,
		"the advertising clause": strings.Replace(goLicence, "met:",
			"met:\n   * All advertising materials mentioning features or use of this software\nmust display the following acknowledgement.", 1),
		"an unknown SPDX identifier": "SPDX-License-Identifier: GPL-3.0-only\n",
	}
	for name, text := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := classify(text)
			if !errors.Is(err, errUnknownLicence) {
				t.Fatalf("classify = %q, %v; want errUnknownLicence", got, err)
			}
		})
	}
}

func TestCopyrights(t *testing.T) {
	text := `Copyright © 2012 The Go Authors. All rights reserved.
Copyright © fsnotify Authors. All rights reserved.
// Copyright (c) 2009 The XGB Authors. All rights reserved.
   Copyright [yyyy] [name of copyright owner]
The above copyright notice and this permission notice shall be included
Copyright 2012 The Go Authors. All rights reserved.
copyright holders and contributors
Copyright © 2012 The Go Authors. All rights reserved.`
	// Template and prose lines are no notices; a holder is listed once.
	want := []string{"2012 The Go Authors.", "fsnotify Authors.", "2009 The XGB Authors."}
	if got := copyrights(text); !reflect.DeepEqual(got, want) {
		t.Fatalf("copyrights = %q, want %q", got, want)
	}
}
