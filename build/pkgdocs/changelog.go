package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// maxChanges is how many commit subjects one changelog entry lists.
const maxChanges = 30

// history is what the changelog is made from.
type history struct {
	subjects []string  // newest first, since the previous release tag
	since    string    // that tag, or "" when there is none
	more     int       // subjects left out after maxChanges
	shallow  bool      // the clone stops before the tag (or the first commit)
	commit   string    // the commit built
	date     time.Time // its commit date
}

func cmdChangelog(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("changelog", flag.ContinueOnError)
	version := fs.String("version", "", "the package version")
	maintainer := fs.String("maintainer", "", `"NAME <MAIL>"`)
	dist := fs.String("dist", "bookworm", "the distribution the package is built for")
	dir := fs.String("C", ".", "the git clone")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *version == "" || *maintainer == "" {
		return errors.New("usage: pkgdocs changelog -version V -maintainer \"NAME <MAIL>\" [-dist D] [-C DIR]")
	}
	h, err := readHistory(*dir)
	if err != nil {
		return err
	}
	_, err = io.WriteString(stdout, formatChangelog(*version, *dist, *maintainer, h))
	return err
}

// readHistory reads the commits since the last release tag before HEAD. A
// shallow clone (CI's usual) holds only part of the history: the entry then
// says so instead of failing. Outside a git clone it describes the build
// alone, dated SOURCE_DATE_EPOCH or now.
func readHistory(dir string) (history, error) {
	git := func(args ...string) (string, error) {
		out, err := exec.Command("git", append([]string{"-C", dir}, args...)...).Output()
		return strings.TrimSpace(string(out)), err
	}
	var h history
	if _, err := git("rev-parse", "--git-dir"); err != nil {
		h.date = time.Now().UTC()
		if s := os.Getenv("SOURCE_DATE_EPOCH"); s != "" {
			sec, err := strconv.ParseInt(s, 10, 64)
			if err != nil {
				return h, fmt.Errorf("SOURCE_DATE_EPOCH %q: %w", s, err)
			}
			h.date = time.Unix(sec, 0).UTC()
		}
		return h, nil
	}
	head, err := git("log", "-1", "--format=%H%x00%cI")
	if err != nil {
		return h, fmt.Errorf("git log: %w", err)
	}
	commit, when, _ := strings.Cut(head, "\x00")
	h.commit = commit
	if h.date, err = time.Parse(time.RFC3339, when); err != nil {
		return h, fmt.Errorf("commit date %q: %w", when, err)
	}
	shallow, _ := git("rev-parse", "--is-shallow-repository")
	h.shallow = shallow == "true"
	rangeArg := "HEAD"
	// The newest release tag before HEAD (HEAD itself may carry this one).
	if tag, err := git("describe", "--tags", "--abbrev=0", "--match", "v[0-9]*", "HEAD^"); err == nil && tag != "" {
		h.since = tag
		rangeArg = tag + "..HEAD"
		h.shallow = false // the range ends at the tag, inside the clone
	}
	log, err := git("log", "--no-merges", "--format=%s", rangeArg)
	if err != nil {
		return h, fmt.Errorf("git log %s: %w", rangeArg, err)
	}
	for _, s := range strings.Split(log, "\n") {
		if s = strings.TrimSpace(s); s != "" {
			h.subjects = append(h.subjects, s)
		}
	}
	if len(h.subjects) > maxChanges {
		h.more = len(h.subjects) - maxChanges
		h.subjects = h.subjects[:maxChanges]
	}
	return h, nil
}

// formatChangelog writes one entry in the format of deb-changelog(5), lines
// wrapped to 80 columns.
func formatChangelog(version, dist, maintainer string, h history) string {
	var b strings.Builder
	fmt.Fprintf(&b, "skaerm (%s) %s; urgency=medium\n\n", version, dist)
	var items []string
	switch {
	case h.commit == "":
		items = append(items, "Built outside a git clone: no history to list.")
	case h.since != "":
		items = append(items, fmt.Sprintf("Built from commit %.12s; the changes since %s:", h.commit, h.since))
	default:
		items = append(items, fmt.Sprintf("Built from commit %.12s; the changes so far:", h.commit))
	}
	items = append(items, h.subjects...)
	if h.more > 0 {
		items = append(items, fmt.Sprintf("... and %d earlier changes (git log).", h.more))
	}
	if h.shallow {
		items = append(items, "The history before these is not in the clone this package was built from.")
	}
	for _, it := range items {
		b.WriteString(wrap(it, 80, "  * ", "    "))
	}
	fmt.Fprintf(&b, "\n -- %s  %s\n", maintainer, h.date.Format("Mon, 02 Jan 2006 15:04:05 -0700"))
	return b.String()
}

// wrap fills text into lines of at most width bytes (a longer word stands
// alone), the first starting with first, the others with rest.
func wrap(text string, width int, first, rest string) string {
	var b strings.Builder
	line, empty := first, true
	for _, word := range strings.Fields(text) {
		if !empty && len(line)+1+len(word) > width {
			b.WriteString(line + "\n")
			line, empty = rest, true
		}
		if !empty {
			line += " "
		}
		line += word
		empty = false
	}
	b.WriteString(line + "\n")
	return b.String()
}
