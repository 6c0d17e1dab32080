package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"time"
)

func cmdMan(args []string) error {
	fs := flag.NewFlagSet("man", flag.ContinueOnError)
	bin := fs.String("skaerm", "", "the skaerm program built for this machine")
	version := fs.String("version", "", "the version for the page footers")
	date := fs.String("date", time.Now().UTC().Format("2006-01-02"), "the date for the page footers")
	out := fs.String("out", "", "the directory to write skaerm.1 and skaerm-config.5 into")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *bin == "" || *version == "" || *out == "" {
		return errors.New("usage: pkgdocs man -skaerm BINARY -version V [-date YYYY-MM-DD] -out DIR")
	}
	h := helper{bin: *bin}
	example, err := h.output("config", "example")
	if err != nil {
		return err
	}
	config, err := parseConfigExample(example)
	if err != nil {
		return err
	}
	page1, err := skaermPage(h, config, *version, *date)
	if err != nil {
		return err
	}
	page5 := configPage(config, *version, *date)
	if err := os.WriteFile(filepath.Join(*out, "skaerm.1"), []byte(page1), 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(*out, "skaerm-config.5"), []byte(page5), 0o644)
}

// helper runs the program to read what it prints.
type helper struct{ bin string }

// help runs the program with args and returns what it printed on both
// streams. Asking for help may exit non-zero (a usage answer); the answer
// counts when it has a "Usage:" line.
func (h helper) help(args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, h.bin, args...)
	var buf bytes.Buffer
	cmd.Stdout, cmd.Stderr = &buf, &buf
	runErr := cmd.Run()
	text := buf.String()
	if !usageLine.MatchString(text) {
		return "", fmt.Errorf("%s %s printed no usage (%v):\n%s", h.bin, strings.Join(args, " "), runErr, text)
	}
	return text, nil
}

// output runs the program with args and returns its standard output; it
// must succeed.
func (h helper) output(args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, h.bin, args...)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("%s %s: %w: %s", h.bin, strings.Join(args, " "), err, stderr.String())
	}
	return string(out), nil
}

var (
	usageLine   = regexp.MustCompile(`(?m)^Usage: `)
	flagLine    = regexp.MustCompile(`^  (-{1,2}[A-Za-z0-9][-A-Za-z0-9_.]*)(?: (\S.*))?$`)
	flagText    = regexp.MustCompile(`^    \t(.*)$`)
	commandLine = regexp.MustCompile(`^\s+(\S+)\s+(\S.*)$`)
)

// skaermPage makes skaerm(1): the command list from `skaerm help`, then
// each command's own --help.
func skaermPage(h helper, config configExample, version, date string) (string, error) {
	top, err := h.help("help")
	if err != nil {
		return "", err
	}
	summary, synopsis, cmds, rest := parseTopHelp(top)
	if len(cmds) == 0 {
		return "", fmt.Errorf("found no commands in the output of %s help:\n%s", h.bin, top)
	}
	var b strings.Builder
	fmt.Fprintf(&b, ".TH SKAERM 1 %s \"skaerm %s\" \"skaerm manual\"\n.nh\n.ad l\n", date, roffText(version))
	b.WriteString(".SH NAME\nskaerm \\- " + roffText(summary) + "\n")
	b.WriteString(".SH SYNOPSIS\n" + roffLine(synopsis) + "\n")
	b.WriteString(".SH DESCRIPTION\n")
	b.WriteString(roffLine(oneLine(description)) + "\n.PP\n")
	b.WriteString(helpToRoff(rest))
	b.WriteString(".SH COMMANDS\n")
	for _, c := range cmds {
		if c.name == "help" {
			continue
		}
		text, err := h.help(c.name, "--help")
		if err != nil {
			return "", err
		}
		b.WriteString(".SS " + roffText(c.name) + "\n")
		b.WriteString(roffLine(capitalise(c.summary)+".") + "\n.PP\n")
		b.WriteString(helpToRoff(text))
	}
	b.WriteString(filesSection(config))
	b.WriteString(".SH SEE ALSO\n.BR skaerm\\-config (5),\n.BR systemctl (1),\n.BR journalctl (1)\n")
	return b.String(), nil
}

// description opens skaerm(1): what the program is for, which the help
// leaves out.
const description = `skaerm shows a care home department's day on a wall-mounted touch screen:
who is on shift, meals, activities and sign-ups, news and pictures. It pulls
the board from the backend's Screen API, keeps it in a local cache and keeps
showing it while the network is gone. The package runs it as skaerm.service,
drawing on the X server of skaerm-kiosk.service.
Settings come from the configuration file (see FILES); flags override them.`

type commandSummary struct{ name, summary string }

// parseTopHelp splits the top-level help into its one-line summary (after
// "skaerm VERSION: "), the synopsis, the command list and any other text.
func parseTopHelp(text string) (summary, synopsis string, cmds []commandSummary, rest string) {
	var other []string
	inCommands := false
	for i, line := range strings.Split(text, "\n") {
		switch {
		case i == 0 && strings.Contains(line, ": "):
			_, summary, _ = strings.Cut(line, ": ")
		case strings.HasPrefix(line, "Usage: "):
			synopsis = strings.TrimPrefix(line, "Usage: ")
		case strings.HasSuffix(strings.TrimSpace(line), "ommands:") && !strings.HasPrefix(line, " "):
			inCommands = true
		case inCommands && commandLine.MatchString(line):
			m := commandLine.FindStringSubmatch(line)
			cmds = append(cmds, commandSummary{m[1], m[2]})
		case inCommands && strings.TrimSpace(line) == "":
			inCommands = len(cmds) == 0
		default:
			inCommands = false
			other = append(other, line)
		}
	}
	if summary == "" {
		summary = "the care-home wall screen"
	}
	return summary, synopsis, cmds, strings.Join(other, "\n")
}

// helpToRoff turns a help text (Go flag package style) into man page
// source: "Usage:" lines become a bold label with the synopsis, flags a
// tagged list, indented lines a preformatted block, the rest paragraphs.
func helpToRoff(text string) string {
	var b strings.Builder
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	inFlags, inPre, para := false, false, false
	endPre := func() {
		if inPre {
			b.WriteString(".fi\n.RE\n")
			inPre = false
		}
	}
	for _, line := range lines {
		switch {
		case strings.HasPrefix(line, "Usage: "):
			endPre()
			b.WriteString(".PP\n.B Usage:\n" + roffLine(strings.TrimPrefix(line, "Usage: ")) + "\n")
			inFlags, para = false, true
		case strings.TrimSpace(line) == "Flags:" || strings.TrimSpace(line) == "Options:":
			endPre()
			inFlags = true
		case flagLine.MatchString(line):
			endPre()
			m := flagLine.FindStringSubmatch(line)
			b.WriteString(".TP\n\\fB" + roffText(m[1]) + "\\fR")
			if m[2] != "" {
				b.WriteString(" \\fI" + roffText(m[2]) + "\\fR")
			}
			b.WriteString("\n")
			inFlags = true
		case inFlags && flagText.MatchString(line):
			b.WriteString(roffLine(flagText.FindStringSubmatch(line)[1]) + "\n")
		case strings.TrimSpace(line) == "":
			endPre()
			if para {
				b.WriteString(".PP\n")
				para = false
			}
			inFlags = false
		case strings.HasPrefix(line, " ") || strings.HasPrefix(line, "\t"):
			if !inPre {
				b.WriteString(".RS 4\n.nf\n")
				inPre = true
			}
			b.WriteString(roffLine(strings.TrimLeft(line, " \t")) + "\n")
			para = true
		default:
			endPre()
			b.WriteString(roffLine(line) + "\n")
			para = true
		}
	}
	endPre()
	return b.String()
}

// configExample is the example configuration read into its parts.
type configExample struct {
	path   string   // where the file lives, from its title comment
	intro  []string // the comment paragraphs before the first table
	tables []configTable
}

type configTable struct {
	name string // "[backend]"
	keys []configKey
}

type configKey struct {
	name, value string
	comment     []string // the comment lines above the key
}

// parseConfigExample reads `skaerm config example`: comments before the first
// table are the introduction (blank lines between paragraphs), each key takes
// the comment lines right above it.
func parseConfigExample(example string) (configExample, error) {
	c := configExample{path: "/etc/skaerm/config.toml"}
	if m := regexp.MustCompile(`(/etc/\S+\.toml)`).FindString(example); m != "" {
		c.path = m
	}
	var comment []string
	lines := strings.Split(example, "\n")
	for i := 0; i < len(lines); i++ {
		line := strings.TrimSpace(lines[i])
		switch {
		case strings.HasPrefix(line, "#"):
			text := strings.TrimSpace(strings.TrimPrefix(line, "#"))
			if len(c.tables) == 0 && len(c.intro) == 0 && len(comment) == 0 && strings.Contains(text, c.path) {
				continue // the title line, which names the file
			}
			comment = append(comment, text)
		case line == "":
			if len(c.tables) == 0 && len(comment) > 0 {
				c.intro = append(c.intro, strings.Join(comment, "\n"))
			}
			comment = nil
		case strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]"):
			c.tables = append(c.tables, configTable{name: line})
			comment = nil
		case strings.Contains(line, "=") && len(c.tables) > 0:
			key, value, _ := strings.Cut(line, "=")
			value = strings.TrimSpace(value)
			// An array may run over several lines.
			for strings.HasPrefix(value, "[") && strings.Count(value, "[") > strings.Count(value, "]") && i+1 < len(lines) {
				i++
				value += " " + strings.TrimSpace(lines[i])
			}
			t := &c.tables[len(c.tables)-1]
			t.keys = append(t.keys, configKey{name: strings.TrimSpace(key), value: value, comment: comment})
			comment = nil
		default:
			return c, fmt.Errorf("config example line %d: cannot read %q", i+1, line)
		}
	}
	if len(c.tables) == 0 {
		return c, errors.New("the config example has no tables")
	}
	return c, nil
}

// configPage makes skaerm-config(5): the introduction, then each table as a
// subsection with each key, its default and its comment.
func configPage(c configExample, version, date string) string {
	var b strings.Builder
	fmt.Fprintf(&b, ".TH SKAERM\\-CONFIG 5 %s \"skaerm %s\" \"skaerm manual\"\n.nh\n.ad l\n", date, roffText(version))
	b.WriteString(".SH NAME\nskaerm\\-config \\- the configuration file of skaerm\n")
	b.WriteString(".SH SYNOPSIS\n" + roffText(c.path) + "\n")
	b.WriteString(".SH DESCRIPTION\n")
	for _, p := range c.intro {
		b.WriteString(roffLine(oneLine(p)) + "\n.PP\n")
	}
	b.WriteString("\\fBskaerm config example\\fR prints the whole file with every key at its default;\n" +
		"\\fBskaerm config check\\fR checks one.\n")
	b.WriteString(".SH KEYS\n")
	for _, t := range c.tables {
		b.WriteString(".SS " + roffText(t.name) + "\n")
		for _, k := range t.keys {
			b.WriteString(".TP\n\\fB" + roffText(k.name) + "\\fR = " + roffText(k.value) + "\n")
			if len(k.comment) > 0 {
				b.WriteString(roffLine(oneLine(strings.Join(k.comment, "\n"))) + "\n")
			}
		}
	}
	b.WriteString(".SH SEE ALSO\n.BR skaerm (1)\n")
	return b.String()
}

// filesSection lists the configuration file and every path the example
// gives as a default, with the first sentence of its comment.
func filesSection(c configExample) string {
	var b strings.Builder
	b.WriteString(".SH FILES\n.TP\n" + roffText(c.path) + "\nThe configuration, see\n.BR skaerm\\-config (5).\n")
	for _, t := range c.tables {
		for _, k := range t.keys {
			v := strings.Trim(k.value, `"`)
			if !strings.HasPrefix(v, "/") || strings.ContainsAny(v, " ,") {
				continue
			}
			b.WriteString(".TP\n" + roffText(v) + "\n")
			desc := strings.Join(k.comment, " ")
			if first, _, ok := strings.Cut(desc, ". "); ok {
				desc = first + "."
			}
			b.WriteString(roffLine(desc) + " (" + roffText(strings.Trim(t.name, "[]")+"."+k.name) + ")\n")
		}
	}
	return b.String()
}

// roffText escapes text for a man page: backslashes, and hyphens as the
// minus signs of flags and paths.
func roffText(s string) string {
	s = strings.ReplaceAll(s, `\`, `\e`)
	return strings.ReplaceAll(s, "-", `\-`)
}

// roffLine escapes a whole input line: a line may not start with a control
// character ('.' or '\”).
func roffLine(s string) string {
	if s == "" {
		return ""
	}
	s = roffText(s)
	if strings.HasPrefix(s, ".") || strings.HasPrefix(s, "'") {
		s = `\&` + s
	}
	return s
}

// oneLine joins the lines of a paragraph into one input line, so that a
// line ending in an abbreviation ("e.g.") is not taken for a sentence end.
func oneLine(text string) string { return strings.Join(strings.Fields(text), " ") }

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
