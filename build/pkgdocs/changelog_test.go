package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// gitRepo makes a repository with n commits, tagging commit tagAt (1-based,
// 0 for none) as v1.0.0.
func gitRepo(t *testing.T, n, tagAt int) string {
	t.Helper()
	dir := t.TempDir()
	git(t, dir, "init", "-q", "-b", "main")
	for i := 1; i <= n; i++ {
		if err := os.WriteFile(filepath.Join(dir, "f"), []byte(fmt.Sprint(i)), 0o644); err != nil {
			t.Fatal(err)
		}
		git(t, dir, "add", "f")
		subject := fmt.Sprintf("Change %d", i)
		if i == n {
			subject = "The screen shows the day's last activity dimmed instead of saying the day was empty, so nobody is misled"
		}
		git(t, dir, "commit", "-q", "-m", subject)
		if i == tagAt {
			git(t, dir, "tag", "-a", "v1.0.0", "-m", "skaerm 1.0.0")
		}
	}
	return dir
}

func git(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-C", dir}, args...)...)
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=A", "GIT_AUTHOR_EMAIL=a@example.invalid",
		"GIT_COMMITTER_NAME=A", "GIT_COMMITTER_EMAIL=a@example.invalid",
		"GIT_AUTHOR_DATE=2026-11-30T09:30:00+01:00", "GIT_COMMITTER_DATE=2026-11-30T09:30:00+01:00")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
}

func changelogOf(t *testing.T, dir string) string {
	t.Helper()
	var out strings.Builder
	if err := run([]string{"changelog", "-C", dir, "-version", "1.0.0+2.gabc1234", "-maintainer", "skaerm maintainers <skaerm@example.invalid>"}, &out); err != nil {
		t.Fatal(err)
	}
	return out.String()
}

// checkFormat checks the entry against deb-changelog(5): the header, two-space
// bullets, the trailer with the date, and no line over 80 columns.
func checkFormat(t *testing.T, entry string) {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(entry, "\n"), "\n")
	if !regexp.MustCompile(`^skaerm \(1\.0\.0\+2\.gabc1234\) bookworm; urgency=medium$`).MatchString(lines[0]) || lines[1] != "" {
		t.Errorf("bad header:\n%s", entry)
	}
	trailer := regexp.MustCompile(`^ -- skaerm maintainers <skaerm@example\.invalid>  [A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}$`)
	if !trailer.MatchString(lines[len(lines)-1]) || lines[len(lines)-2] != "" {
		t.Errorf("bad trailer:\n%s", entry)
	}
	for _, l := range lines[2 : len(lines)-2] {
		if !strings.HasPrefix(l, "  * ") && !strings.HasPrefix(l, "    ") {
			t.Errorf("line %q is neither a bullet nor its continuation", l)
		}
		if len(l) > 80 {
			t.Errorf("line over 80 columns: %q", l)
		}
	}
}

func TestChangelogSinceTheLastTag(t *testing.T) {
	dir := gitRepo(t, 5, 3)
	got := changelogOf(t, dir)
	checkFormat(t, got)
	for _, want := range []string{"the changes since v1.0.0:", "  * Change 4\n", "  * The screen shows the day's last activity dimmed instead of saying the day\n    was empty, so nobody is misled\n", "Mon, 30 Nov 2026 09:30:00 +0100"} {
		if !strings.Contains(got, want) {
			t.Errorf("changelog lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "Change 3") || strings.Contains(got, "not in the clone") {
		t.Errorf("changelog lists what came before the tag:\n%s", got)
	}
}

func TestChangelogFromAShallowClone(t *testing.T) {
	origin := gitRepo(t, 4, 0)
	clone := filepath.Join(t.TempDir(), "clone")
	git(t, origin, "clone", "-q", "--depth", "1", "file://"+origin, clone)
	got := changelogOf(t, clone)
	checkFormat(t, got)
	if !strings.Contains(got, "not in the clone") || strings.Contains(got, "Change 3") {
		t.Errorf("the shallow clone's changelog does not say its history is cut:\n%s", got)
	}
	// The full history has every change and no such note.
	full := changelogOf(t, origin)
	checkFormat(t, full)
	if !strings.Contains(full, "Change 1") || strings.Contains(full, "not in the clone") {
		t.Errorf("full history:\n%s", full)
	}
}

func TestChangelogOutsideGit(t *testing.T) {
	t.Setenv("SOURCE_DATE_EPOCH", "1796031000")
	got := changelogOf(t, t.TempDir())
	checkFormat(t, got)
	if !strings.Contains(got, "Built outside a git clone") || !strings.Contains(got, "Mon, 30 Nov 2026 09:30:00 +0000") {
		t.Errorf("changelog outside git:\n%s", got)
	}
}
