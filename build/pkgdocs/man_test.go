package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"skaerm/internal/config"
)

// render formats a man page with man(1), as lintian does, and fails on any
// warning. It skips when man is not installed.
func render(t *testing.T, page string) string {
	t.Helper()
	if _, err := exec.LookPath("man"); err != nil {
		t.Skip("man is not installed (build/deps.sh --package)")
	}
	f := filepath.Join(t.TempDir(), "page")
	if err := os.WriteFile(f, []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("man", "--warnings", "-E", "UTF-8", "-l", f)
	cmd.Env = append(os.Environ(), "MANWIDTH=80", "LC_ALL=C.UTF-8", "MAN_KEEP_FORMATTING=0")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil || stderr.Len() > 0 {
		t.Fatalf("man: %v\n%s\n%s", err, stderr.String(), page)
	}
	// Drop overstrike formatting, should man keep any.
	return regexp.MustCompile(".\b").ReplaceAllString(string(out), "")
}

func TestConfigPageHasEveryKey(t *testing.T) {
	example := string(config.Example())
	c, err := parseConfigExample(example)
	if err != nil {
		t.Fatal(err)
	}
	page := configPage(c, "1.4.0", "2026-11-30")
	text := render(t, page)
	keyLine := regexp.MustCompile(`(?m)^([a-z_]+) = (.*)$`)
	keys := keyLine.FindAllStringSubmatch(example, -1)
	if len(keys) < 10 {
		t.Fatalf("found only %d keys in the example", len(keys))
	}
	for _, k := range keys {
		if !strings.Contains(text, k[1]+" = "+k[2]) {
			t.Errorf("skaerm-config(5) lacks %s = %s", k[1], k[2])
		}
	}
	for _, table := range regexp.MustCompile(`(?m)^\[[a-z]+\]$`).FindAllString(example, -1) {
		if !strings.Contains(text, "   "+table+"\n") {
			t.Errorf("skaerm-config(5) has no section %s", table)
		}
	}
	// A sentence from the comments, with its hyphens as typed.
	if !strings.Contains(text, "re-reads this file") {
		t.Errorf("skaerm-config(5) lacks the introduction:\n%s", text)
	}
}

func TestConfigExampleRefusesWhatItCannotRead(t *testing.T) {
	for name, text := range map[string]string{
		"no tables":       "# just a comment\n",
		"a stray line":    "[backend]\nurl = \"x\"\nthis is not toml\n",
		"a key too early": "url = \"x\"\n[backend]\n",
	} {
		if _, err := parseConfigExample(text); err == nil {
			t.Errorf("%s: parsed without an error", name)
		}
	}
}

// buildSkaerm builds cmd/skaerm alone: it answers every command's --help
// itself, with no display and no skaerm-screen beside it.
func buildSkaerm(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	cmd := exec.Command("go", "build", "-o", filepath.Join(dir, "skaerm"), "./cmd/skaerm")
	cmd.Dir = filepath.Join("..", "..")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build skaerm: %v\n%s", err, out)
	}
	return filepath.Join(dir, "skaerm")
}

// TestHelpToRoffKeepsEveryFlag formats each command's real help and checks
// every flag and its text reach the page.
func TestHelpToRoffKeepsEveryFlag(t *testing.T) {
	h := helper{bin: buildSkaerm(t)}
	top, err := h.help("help")
	if err != nil {
		t.Fatal(err)
	}
	summary, synopsis, cmds, _ := parseTopHelp(top)
	if summary == "" || !strings.HasPrefix(synopsis, "skaerm ") || len(cmds) < 5 {
		t.Fatalf("parseTopHelp = %q, %q, %d commands, from:\n%s", summary, synopsis, len(cmds), top)
	}
	flagName := regexp.MustCompile(`(?m)^  (-[a-z][-a-z0-9]*)`)
	checked := 0
	for _, c := range cmds {
		help, err := h.help(c.name, "--help")
		if err != nil {
			t.Errorf("skaerm %s --help: %v", c.name, err)
			continue
		}
		page := ".TH T 1\n" + helpToRoff(help)
		text := render(t, page)
		for _, f := range flagName.FindAllStringSubmatch(help, -1) {
			if !strings.Contains(text, "\n       "+f[1]) {
				t.Errorf("%s: flag %s missing from\n%s", c.name, f[1], text)
			}
		}
		checked++
	}
	if checked < 5 {
		t.Fatalf("only %d commands printed their help", checked)
	}
}

// TestSkaermPage makes the whole page from every command's help, with no
// display (as the package build runs it).
func TestSkaermPage(t *testing.T) {
	t.Setenv("DISPLAY", "")
	bin := buildSkaerm(t)
	example, _ := parseConfigExample(string(config.Example()))
	page, err := skaermPage(helper{bin: bin}, example, "1.4.0", "2026-11-30")
	if err != nil {
		t.Fatal(err)
	}
	text := render(t, page)
	for _, want := range []string{"skaerm - the care-home wall screen", "   run\n", "   snapshot\n", "   sync\n",
		"       -once", "/var/lib/skaerm/cache.db", "skaerm-config(5)"} {
		if !strings.Contains(text, want) {
			t.Errorf("skaerm(1) lacks %q:\n%s", want, text)
		}
	}
}
