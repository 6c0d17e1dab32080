package main

import (
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// errUnknownLicence marks a licence text the classifier does not recognise.
var errUnknownLicence = errors.New("unknown licence")

// licenceKind is one licence the classifier knows: its DEP-5 short name and
// phrases (normalised, see normalise) that all occur in its text.
type licenceKind struct {
	name    string
	phrases []string
	// common is the file under /usr/share/common-licenses that holds the
	// full text on every Debian system; empty when the text must be copied.
	common string
}

var licenceKinds = []licenceKind{
	{name: "Apache-2.0", common: "Apache-2.0",
		phrases: []string{"apache license", "version 2 0 january 2004", "terms and conditions for use reproduction and distribution"}},
	{name: "MPL-2.0", common: "MPL-2.0",
		phrases: []string{"mozilla public license version 2 0"}},
	{name: "BSD-3-clause",
		phrases: []string{"redistribution and use in source and binary forms with or without modification are permitted",
			"neither the name of", "may be used to endorse or promote products derived from this software"}},
	{name: "BSD-2-clause",
		phrases: []string{"redistribution and use in source and binary forms with or without modification are permitted",
			"redistributions in binary form must reproduce the above copyright notice"}},
	{name: "Expat",
		phrases: []string{"permission is hereby granted free of charge to any person obtaining a copy",
			"the above copyright notice and this permission notice shall be included in all copies or substantial portions of the software"}},
	{name: "ISC",
		phrases: []string{"permission to use copy modify and or distribute this software for any purpose with or without fee is hereby granted"}},
	{name: "Zlib",
		phrases: []string{"altered source versions must be plainly marked as such", "this notice may not be removed or altered from any source distribution"}},
	{name: "OFL-1.1",
		phrases: []string{"sil open font license version 1 1"}},
	{name: "Unlicense",
		phrases: []string{"this is free and unencumbered software released into the public domain"}},
}

// spdxNames maps SPDX identifiers to the DEP-5 short names used here.
var spdxNames = map[string]string{
	"Apache-2.0": "Apache-2.0", "MPL-2.0": "MPL-2.0", "BSD-3-Clause": "BSD-3-clause",
	"BSD-2-Clause": "BSD-2-clause", "MIT": "Expat", "ISC": "ISC", "Zlib": "Zlib",
	"OFL-1.1": "OFL-1.1", "Unlicense": "Unlicense",
}

// Clauses that turn a known licence into another one: a BSD licence with the
// advertising clause is not BSD-3-clause.
var disqualifiers = []string{"all advertising materials mentioning features or use of this software"}

var (
	nonWord  = regexp.MustCompile(`[^a-z0-9]+`)
	spdxLine = regexp.MustCompile(`SPDX-License-Identifier:\s*(.+?)\s*$`)
)

// normalise lowers the text and reduces everything but letters and digits to
// single spaces, so line breaks, comment markers and quotes do not matter.
func normalise(text string) string {
	return strings.TrimSpace(nonWord.ReplaceAllString(strings.ToLower(text), " "))
}

// classify names the licence of a licence file's text in DEP-5 form ("Expat",
// "Unlicense or BSD-3-clause"). An SPDX-License-Identifier line wins;
// otherwise the text must match exactly one known licence.
func classify(text string) (string, error) {
	for _, line := range strings.Split(text, "\n") {
		if m := spdxLine.FindStringSubmatch(line); m != nil {
			return fromSPDX(m[1])
		}
	}
	norm := normalise(text)
	for _, d := range disqualifiers {
		if strings.Contains(norm, d) {
			return "", fmt.Errorf("%w: it has the clause %q", errUnknownLicence, d)
		}
	}
	var found []string
	for _, k := range licenceKinds {
		if containsAll(norm, k.phrases) {
			found = append(found, k.name)
		}
	}
	// BSD-3-clause texts also hold every BSD-2-clause phrase.
	if len(found) == 2 && found[0] == "BSD-3-clause" && found[1] == "BSD-2-clause" {
		found = found[:1]
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		return "", fmt.Errorf("%w: the text matches none of %s", errUnknownLicence, knownNames())
	default:
		return "", fmt.Errorf("%w: the text matches several licences (%s) and has no SPDX-License-Identifier line",
			errUnknownLicence, strings.Join(found, ", "))
	}
}

// fromSPDX turns an SPDX expression of known identifiers joined by OR or
// AND into DEP-5 syntax.
func fromSPDX(expr string) (string, error) {
	var out []string
	for _, tok := range strings.Fields(strings.Trim(expr, "()")) {
		switch strings.ToUpper(tok) {
		case "OR", "AND":
			out = append(out, strings.ToLower(tok))
			continue
		}
		name, ok := spdxNames[tok]
		if !ok {
			return "", fmt.Errorf("%w: SPDX identifier %q", errUnknownLicence, tok)
		}
		out = append(out, name)
	}
	if len(out) == 0 {
		return "", fmt.Errorf("%w: empty SPDX-License-Identifier", errUnknownLicence)
	}
	return strings.Join(out, " "), nil
}

func containsAll(s string, phrases []string) bool {
	for _, p := range phrases {
		if !strings.Contains(s, p) {
			return false
		}
	}
	return true
}

func knownNames() string {
	names := make([]string, 0, len(licenceKinds))
	for _, k := range licenceKinds {
		names = append(names, k.name)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

// commonLicence returns the /usr/share/common-licenses file of a DEP-5 short
// name, or "" when Debian carries no copy and the text must be included.
func commonLicence(name string) string {
	for _, k := range licenceKinds {
		if k.name == name {
			return k.common
		}
	}
	return ""
}

// copyrightLine matches a copyright notice with a year: "Copyright (c) 2013
// Ben Johnson", "Copyright © 2012 The Go Authors. All rights reserved."
var copyrightLine = regexp.MustCompile(`(?i)^[\s/#*]*copyright\s+(?:\(c\)\s*|©\s*)*((?:\d{4}|[a-z]).*)$`)

// copyrights returns the copyright notices in a licence or NOTICE text,
// without "Copyright", "(c)" and "All rights reserved", in order, each once.
// Template lines of the licence itself ("Copyright [yyyy] [name of copyright
// owner]", "copyright notice") are skipped.
func copyrights(text string) []string {
	var out []string
	seen := map[string]bool{}
	for _, line := range strings.Split(text, "\n") {
		m := copyrightLine.FindStringSubmatch(strings.TrimSpace(line))
		if m == nil {
			continue
		}
		c := strings.TrimSpace(m[1])
		low := strings.ToLower(c)
		if strings.Contains(c, "[yyyy]") || strings.HasPrefix(low, "notice") || strings.HasPrefix(low, "holder") ||
			strings.HasPrefix(low, "owner") || strings.HasPrefix(low, "license") || !strings.ContainsAny(c, "0123456789") &&
			!strings.Contains(low, "authors") {
			continue
		}
		for _, suffix := range []string{"All rights reserved.", "All Rights Reserved.", "all rights reserved."} {
			c = strings.TrimSpace(strings.TrimSuffix(c, suffix))
		}
		c = strings.TrimSuffix(c, ",")
		if c != "" && !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	return out
}
