package main

import (
	"bufio"
	"bytes"
	"debug/buildinfo"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// licenceFile matches the names of licence files in a module.
var licenceFile = regexp.MustCompile(`(?i)^(licen[cs]e|copying|unlicense)([.-].*)?$`)

// noticeFile matches the NOTICE files Apache-2.0 section 4(d) asks to pass on.
var noticeFile = regexp.MustCompile(`(?i)^notice([.-].*)?$`)

// module is one Go module compiled into the programs.
type module struct {
	path, version string
	replaced      string          // the replacement's path, when go.mod replaces it
	dir           string          // in the module cache
	pkgDirs       map[string]bool // directories of the packages compiled in
	binaries      []string        // the programs it is compiled into
}

// name is the module's path and version, as go version -m shows them.
func (m *module) name() string { return strings.TrimSpace(m.path + " " + m.version) }

// paragraph is one Files paragraph of the copyright file.
type paragraph struct {
	files     string
	copyright []string
	licence   string // DEP-5 short name or expression
	text      string // the licence text, when Debian has no common copy
	comment   string
}

type textFlags map[string]string

func (t textFlags) String() string { return fmt.Sprint(map[string]string(t)) }
func (t textFlags) Set(v string) error {
	name, file, ok := strings.Cut(v, "=")
	if !ok {
		return fmt.Errorf("want NAME=FILE, got %q", v)
	}
	t[name] = file
	return nil
}

func cmdCopyright(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("copyright", flag.ContinueOnError)
	head := fs.String("head", "", "the copyright file's own paragraphs (DEP-5), written first")
	texts := textFlags{}
	fs.Var(texts, "text", "NAME=FILE: the text of licence NAME used in -head (repeatable)")
	dir := fs.String("C", ".", "the module the programs were built from")
	installed := fs.String("installed", "", "comma-separated installed paths of the BINARY arguments, in order, for the comments")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *head == "" || fs.NArg() == 0 {
		return errors.New("usage: pkgdocs copyright -head FILE [-text NAME=FILE]... BINARY...")
	}
	headText, err := os.ReadFile(*head)
	if err != nil {
		return err
	}
	names := fs.Args()
	if *installed != "" {
		names = strings.Split(*installed, ",")
		if len(names) != fs.NArg() {
			return fmt.Errorf("-installed names %d paths for %d programs", len(names), fs.NArg())
		}
	}
	mods, goVersion, err := compiledModules(*dir, fs.Args(), names)
	if err != nil {
		return err
	}
	paras, err := moduleParagraphs(mods)
	if err != nil {
		return err
	}
	goPara, err := goParagraph(goVersion)
	if err != nil {
		return err
	}
	paras = append([]paragraph{goPara}, paras...)
	return writeCopyright(stdout, string(headText), paras, texts)
}

// compiledModules reads the build information of each program (what `go
// version -m` prints) and asks `go list` which packages of each module the
// program was built from, under the program's own GOOS, GOARCH and cgo
// setting. It fails when the module versions in the program differ from the
// ones go list finds, which means the program was built from another tree.
func compiledModules(dir string, binaries, names []string) ([]*module, string, error) {
	byPath := map[string]*module{}
	goVersion := ""
	for i, bin := range binaries {
		bi, err := buildinfo.ReadFile(bin)
		if err != nil {
			return nil, "", fmt.Errorf("read the build information of %s: %w", bin, err)
		}
		if goVersion != "" && goVersion != bi.GoVersion {
			return nil, "", fmt.Errorf("%s was built with %s, the others with %s", bin, bi.GoVersion, goVersion)
		}
		goVersion = bi.GoVersion
		want := map[string]string{}
		for _, d := range bi.Deps {
			version, replaced := d.Version, ""
			if d.Replace != nil {
				version, replaced = d.Replace.Version, d.Replace.Path
				if version == "(devel)" {
					version = "" // a directory on disk, which go list gives no version
				}
			}
			want[d.Path] = version
			mod := byPath[d.Path]
			if mod == nil {
				mod = &module{path: d.Path, version: version, replaced: replaced, pkgDirs: map[string]bool{}}
				byPath[d.Path] = mod
			}
			if mod.version != version {
				return nil, "", fmt.Errorf("%s is in the programs at two versions, %s and %s", d.Path, mod.version, version)
			}
			mod.binaries = append(mod.binaries, names[i])
		}
		listed, err := listPackages(bi, dir)
		if err != nil {
			return nil, "", fmt.Errorf("%s: %w", bin, err)
		}
		for _, p := range listed {
			v, ok := want[p.modPath]
			if !ok {
				continue // the main module
			}
			if v != p.modVersion {
				return nil, "", fmt.Errorf("%s has %s %s, but go list finds %s: rebuild it from this tree",
					bin, p.modPath, v, p.modVersion)
			}
			mod := byPath[p.modPath]
			mod.dir = p.modDir
			mod.pkgDirs[p.dir] = true
		}
	}
	mods := make([]*module, 0, len(byPath))
	for _, m := range byPath {
		if m.dir == "" {
			return nil, "", fmt.Errorf("%s is in the programs, but go list finds no package of it", m.name())
		}
		mods = append(mods, m)
	}
	sort.Slice(mods, func(i, j int) bool { return mods[i].path < mods[j].path })
	return mods, goVersion, nil
}

type listedPackage struct{ modPath, modVersion, modDir, dir string }

// listPackages runs go list -deps in dir on the program's main package with
// the settings it was built with.
func listPackages(bi *buildinfo.BuildInfo, dir string) ([]listedPackage, error) {
	env := os.Environ()
	var tags string
	for _, s := range bi.Settings {
		switch s.Key {
		case "GOOS", "GOARCH", "GOARM", "GOARM64", "GOAMD64", "CGO_ENABLED":
			env = append(env, s.Key+"="+s.Value)
		case "-tags":
			tags = s.Value
		}
	}
	args := []string{"list", "-deps", "-f",
		`{{with .Module}}{{.Path}}{{"\t"}}{{with .Replace}}{{.Version}}{{else}}{{.Version}}{{end}}{{"\t"}}{{.Dir}}{{end}}{{"\t"}}{{.Dir}}`}
	if tags != "" {
		args = append(args, "-tags", tags)
	}
	args = append(args, bi.Path)
	cmd := exec.Command("go", args...)
	cmd.Env = env
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go list -deps %s: %w: %s", bi.Path, err, strings.TrimSpace(stderr.String()))
	}
	var pkgs []listedPackage
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		f := strings.Split(sc.Text(), "\t")
		if len(f) != 4 || f[0] == "" {
			continue // the standard library
		}
		pkgs = append(pkgs, listedPackage{modPath: f[0], modVersion: f[1], modDir: f[2], dir: f[3]})
	}
	return pkgs, sc.Err()
}

// moduleParagraphs makes one paragraph per licence file that covers a
// compiled package: the module root's, and any in a package's directory or
// between it and the root (a part of the module under another licence).
func moduleParagraphs(mods []*module) ([]paragraph, error) {
	var paras []paragraph
	var problems []string
	for _, m := range mods {
		dirs := map[string]bool{m.dir: true}
		for d := range m.pkgDirs {
			for ; strings.HasPrefix(d, m.dir+string(filepath.Separator)); d = filepath.Dir(d) {
				dirs[d] = true
			}
		}
		sorted := make([]string, 0, len(dirs))
		for d := range dirs {
			sorted = append(sorted, d)
		}
		sort.Strings(sorted)
		notices, err := readNotices(m.dir)
		if err != nil {
			return nil, err
		}
		foundRoot := false
		for _, d := range sorted {
			files, err := filesMatching(d, licenceFile)
			if err != nil {
				return nil, err
			}
			if d == m.dir && len(files) > 0 {
				foundRoot = true
			}
			for _, f := range files {
				p, err := licenceParagraph(m, d, f, notices)
				if err != nil {
					problems = append(problems, err.Error())
					continue
				}
				paras = append(paras, p)
			}
		}
		if !foundRoot {
			problems = append(problems, fmt.Sprintf("%s: no licence file (LICENSE, COPYING, ...) in %s", m.name(), m.dir))
		}
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("cannot determine the licence of every module compiled into the programs:\n  %s",
			strings.Join(problems, "\n  "))
	}
	return paras, nil
}

func licenceParagraph(m *module, dir, file, notices string) (paragraph, error) {
	raw, err := os.ReadFile(file)
	if err != nil {
		return paragraph{}, err
	}
	text := string(raw)
	rel, _ := filepath.Rel(m.dir, file)
	name, err := classify(text)
	if err != nil {
		return paragraph{}, fmt.Errorf("%s: %s: %v", m.name(), rel, err)
	}
	sub, _ := filepath.Rel(m.dir, dir)
	files := m.path + "/*"
	if sub != "." {
		files = m.path + "/" + filepath.ToSlash(sub) + "/*"
	}
	holders := copyrights(text)
	if sub == "." {
		holders = appendNew(holders, copyrights(notices)...)
	}
	if len(holders) == 0 {
		holders = []string{"The authors of " + m.path}
	}
	p := paragraph{
		files:     files,
		copyright: holders,
		licence:   name,
		comment: fmt.Sprintf("Go module %s %s (%s), compiled into %s.", m.path, m.version,
			filepath.ToSlash(rel), strings.Join(m.binaries, " and ")),
	}
	if m.replaced != "" {
		p.comment = fmt.Sprintf("Go module %s, replaced by %s (%s), compiled into %s.",
			m.path, strings.TrimSpace(m.replaced+" "+m.version), filepath.ToSlash(rel), strings.Join(m.binaries, " and "))
	}
	if sub == "." && notices != "" {
		p.comment += "\nIts NOTICE file reads:\n" + notices
	}
	if !allCommon(name) {
		p.text = text
	}
	return p, nil
}

// goParagraph covers the Go standard library and runtime, which every Go
// program carries.
func goParagraph(goVersion string) (paragraph, error) {
	out, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		return paragraph{}, fmt.Errorf("go env GOROOT: %w", err)
	}
	file := filepath.Join(strings.TrimSpace(string(out)), "LICENSE")
	raw, err := os.ReadFile(file)
	if err != nil {
		return paragraph{}, err
	}
	name, err := classify(string(raw))
	if err != nil {
		return paragraph{}, fmt.Errorf("%s: %w", file, err)
	}
	holders := copyrights(string(raw))
	if len(holders) == 0 {
		holders = []string{"The Go Authors"}
	}
	return paragraph{
		files:     "GOROOT/*",
		copyright: holders,
		licence:   name,
		text:      string(raw),
		comment:   fmt.Sprintf("The Go standard library and runtime (%s), compiled into every Go program.", goVersion),
	}, nil
}

func readNotices(dir string) (string, error) {
	files, err := filesMatching(dir, noticeFile)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			return "", err
		}
		b.WriteString(strings.TrimSpace(string(raw)))
		b.WriteString("\n")
	}
	return strings.TrimSpace(b.String()), nil
}

func filesMatching(dir string, re *regexp.Regexp) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		if e.Type().IsRegular() && re.MatchString(e.Name()) {
			out = append(out, filepath.Join(dir, e.Name()))
		}
	}
	return out, nil
}

// allCommon reports whether every licence in a DEP-5 expression has its
// full text in /usr/share/common-licenses.
func allCommon(expr string) bool {
	for _, n := range licenceNames(expr) {
		if commonLicence(n) == "" {
			return false
		}
	}
	return true
}

// licenceNames splits a DEP-5 licence expression into short names.
func licenceNames(expr string) []string {
	var out []string
	for _, f := range strings.Fields(expr) {
		if f != "or" && f != "and" {
			out = append(out, strings.TrimSuffix(f, ","))
		}
	}
	return out
}

func appendNew(list []string, more ...string) []string {
	for _, m := range more {
		dup := false
		for _, l := range list {
			dup = dup || l == m
		}
		if !dup {
			list = append(list, m)
		}
	}
	return list
}

// writeCopyright writes the head, the paragraphs, and one standalone
// License paragraph for each licence that is named without its text: a
// pointer into /usr/share/common-licenses, or the text from -text.
func writeCopyright(w io.Writer, head string, paras []paragraph, texts map[string]string) error {
	var b strings.Builder
	b.WriteString(strings.TrimRight(head, "\n"))
	b.WriteString("\n")
	standalone := map[string]bool{}
	for _, n := range headLicences(head) {
		standalone[n] = true
	}
	for _, p := range paras {
		b.WriteString("\nFiles: " + p.files + "\n")
		b.WriteString("Copyright: " + strings.Join(p.copyright, "\n ") + "\n")
		b.WriteString("License: " + p.licence + "\n")
		if p.text != "" {
			b.WriteString(fieldText(p.text))
		} else {
			for _, n := range licenceNames(p.licence) {
				standalone[n] = true
			}
		}
		if p.comment != "" {
			first, rest, _ := strings.Cut(p.comment, "\n")
			b.WriteString(wrap("Comment: "+first, 79, "", " "))
			if rest != "" {
				b.WriteString(fieldText(rest))
			}
		}
	}
	names := make([]string, 0, len(standalone))
	for n := range standalone {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		b.WriteString("\nLicense: " + n + "\n")
		switch {
		case texts[n] != "":
			raw, err := os.ReadFile(texts[n])
			if err != nil {
				return err
			}
			b.WriteString(fieldText(string(raw)))
		case commonLicence(n) != "":
			fmt.Fprintf(&b, " On Debian systems, the complete text of the %s licence is in\n /usr/share/common-licenses/%s.\n", n, commonLicence(n))
		default:
			return fmt.Errorf("licence %s is named in the copyright file without its text: pass -text %s=FILE", n, n)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// headLicences lists the licences named in the head's Files paragraphs
// without a text of their own (a License line followed by no text lines).
func headLicences(head string) []string {
	var out []string
	lines := strings.Split(head, "\n")
	for i, l := range lines {
		name, ok := strings.CutPrefix(l, "License: ")
		if !ok {
			continue
		}
		if i+1 < len(lines) && strings.HasPrefix(lines[i+1], " ") {
			continue
		}
		out = append(out, licenceNames(strings.TrimSpace(name))...)
	}
	return out
}

// fieldText formats text as the continuation lines of a DEP-5 field: each
// line indented by one space, an empty line as " .".
func fieldText(text string) string {
	var b strings.Builder
	lines := strings.Split(strings.Trim(strings.ReplaceAll(text, "\r\n", "\n"), "\n"), "\n")
	for _, l := range lines {
		l = strings.TrimRight(strings.ReplaceAll(l, "\f", ""), " \t")
		if strings.TrimSpace(l) == "" {
			b.WriteString(" .\n")
			continue
		}
		b.WriteString(" " + l + "\n")
	}
	return b.String()
}
