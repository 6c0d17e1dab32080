// Command clockcheck keeps the suite's outcome independent of the day it
// runs on. It checks two rules over the module's Go files, and make test
// runs it:
//
//  1. A test gives every part it starts a clock. In a _test.go file, a
//     composite literal of one of the module's struct types that has a
//     field named Clock (cache.Options, power.Options, backend.Options, ...)
//     must set Clock: the test's fake clock, or clock.Real{} where the test
//     fixes no date. A part left to default to the real clock while the
//     test builds its board on a fixed day is a date bomb: it passes on the
//     day the test was written and fails on every day after it.
//  2. Product code reads the wall clock only through the injected clock.
//     Outside the clock package (a folder named clock) and build/, a call of time.Now, time.Since or
//     time.Until needs a comment on its line or the line above that starts
//     with "real clock:" and says why the real clock is right there (a
//     deadline on a socket, the pace of a sound card, a main's own time).
//
// Usage: go run ./build/clockcheck [DIR]  (DIR defaults to "."; the module
// root is found from it). It prints one line per finding and exits 1 when
// there is any.
package main

import (
	"bufio"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

func main() {
	dir := "."
	if len(os.Args) > 1 {
		dir = os.Args[1]
	}
	n, err := run(dir, os.Stdout)
	if err != nil {
		fmt.Fprintln(os.Stderr, "clockcheck:", err)
		os.Exit(2)
	}
	if n > 0 {
		fmt.Fprintf(os.Stderr, "clockcheck: %d findings: every part a test starts gets the test's clock, and product code reads the time through the injected clock\n", n)
		os.Exit(1)
	}
}

// A finding is one place that breaks a rule.
type finding struct {
	pos token.Position
	msg string
}

// run checks the module that holds dir and writes its findings to w.
func run(dir string, w io.Writer) (int, error) {
	root, module, err := findModule(dir)
	if err != nil {
		return 0, err
	}
	m, err := load(root, module)
	if err != nil {
		return 0, err
	}
	found := append(m.testsWithoutClock(), m.productReadsOfTheClock()...)
	sort.Slice(found, func(i, j int) bool {
		a, b := found[i].pos, found[j].pos
		if a.Filename != b.Filename {
			return a.Filename < b.Filename
		}
		return a.Line < b.Line
	})
	for _, f := range found {
		name, err := filepath.Rel(root, f.pos.Filename)
		if err != nil {
			name = f.pos.Filename
		}
		fmt.Fprintf(w, "%s:%d: %s\n", name, f.pos.Line, f.msg)
	}
	return len(found), nil
}

// findModule walks up from dir to the go.mod and reads the module path.
func findModule(dir string) (root, module string, err error) {
	d, err := filepath.Abs(dir)
	if err != nil {
		return "", "", fmt.Errorf("find the module of %s: %w", dir, err)
	}
	for {
		f, err := os.Open(filepath.Join(d, "go.mod"))
		if err == nil {
			defer f.Close()
			s := bufio.NewScanner(f)
			for s.Scan() {
				if rest, ok := strings.CutPrefix(strings.TrimSpace(s.Text()), "module "); ok {
					return d, strings.Trim(strings.TrimSpace(rest), `"`), nil
				}
			}
			return "", "", fmt.Errorf("%s/go.mod names no module", d)
		}
		up := filepath.Dir(d)
		if up == d {
			return "", "", fmt.Errorf("no go.mod above %s", dir)
		}
		d = up
	}
}

// A goFile is one parsed file with what the rules need to know of it.
type goFile struct {
	path   string // the package's import path
	rel    string // the folder, relative to the module root
	test   bool
	syntax *ast.File
}

type moduleFiles struct {
	fset    *token.FileSet
	module  string
	files   []goFile
	names   map[string]string // import path -> package name
	clocked map[string]bool   // "import/path.Type" -> it has a Clock field
}

func load(root, module string) (*moduleFiles, error) {
	m := &moduleFiles{fset: token.NewFileSet(), module: module, names: map[string]string{}, clocked: map[string]bool{}}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			n := d.Name()
			if p != root && (strings.HasPrefix(n, ".") || strings.HasPrefix(n, "_") || n == "testdata" || n == "vendor") {
				return filepath.SkipDir
			}
			if p != root {
				if _, err := os.Stat(filepath.Join(p, "go.mod")); err == nil {
					return filepath.SkipDir // another module
				}
			}
			return nil
		}
		if !strings.HasSuffix(p, ".go") {
			return nil
		}
		f, err := parser.ParseFile(m.fset, p, nil, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			return fmt.Errorf("parse: %w", err)
		}
		rel, err := filepath.Rel(root, filepath.Dir(p))
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		path := module
		if rel != "." {
			path = module + "/" + rel
		}
		test := strings.HasSuffix(p, "_test.go")
		m.files = append(m.files, goFile{path: path, rel: rel, test: test, syntax: f})
		if !test {
			m.names[path] = f.Name.Name
			for _, decl := range f.Decls {
				gd, ok := decl.(*ast.GenDecl)
				if !ok || gd.Tok != token.TYPE {
					continue
				}
				for _, spec := range gd.Specs {
					ts := spec.(*ast.TypeSpec)
					if st, ok := ts.Type.(*ast.StructType); ok && hasField(st, "Clock") {
						m.clocked[path+"."+ts.Name.Name] = true
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read the module at %s: %w", root, err)
	}
	return m, nil
}

func hasField(st *ast.StructType, name string) bool {
	for _, f := range st.Fields.List {
		for _, n := range f.Names {
			if n.Name == name {
				return true
			}
		}
	}
	return false
}

// imports maps the names a file uses for the module's packages to their
// import paths.
func (m *moduleFiles) imports(f *ast.File) map[string]string {
	out := map[string]string{}
	for _, is := range f.Imports {
		p, err := strconv.Unquote(is.Path.Value)
		if err != nil {
			continue
		}
		name, ok := m.names[p]
		if !ok {
			continue
		}
		if is.Name != nil {
			name = is.Name.Name
		}
		out[name] = p
	}
	return out
}

// testsWithoutClock is rule 1.
func (m *moduleFiles) testsWithoutClock() []finding {
	var out []finding
	for _, gf := range m.files {
		if !gf.test {
			continue
		}
		imp := m.imports(gf.syntax)
		ast.Inspect(gf.syntax, func(n ast.Node) bool {
			lit, ok := n.(*ast.CompositeLit)
			if !ok || lit.Type == nil {
				return true
			}
			var typ string
			switch t := lit.Type.(type) {
			case *ast.SelectorExpr:
				if x, ok := t.X.(*ast.Ident); ok {
					if p, ok := imp[x.Name]; ok {
						typ = p + "." + t.Sel.Name
					}
				}
			case *ast.Ident:
				typ = gf.path + "." + t.Name
			}
			if !m.clocked[typ] || setsClock(lit) {
				return true
			}
			short := typ[strings.LastIndex(typ, "/")+1:]
			out = append(out, finding{m.fset.Position(lit.Pos()),
				short + " has no Clock: give it the test's clock (clock.Real{} where the test fixes no date)"})
			return true
		})
	}
	return out
}

// setsClock says whether a literal gives its Clock field: by name (and not
// as nil), or by giving every field in order.
func setsClock(lit *ast.CompositeLit) bool {
	for _, e := range lit.Elts {
		kv, ok := e.(*ast.KeyValueExpr)
		if !ok {
			return true
		}
		if k, ok := kv.Key.(*ast.Ident); ok && k.Name == "Clock" {
			v, isIdent := kv.Value.(*ast.Ident)
			return !isIdent || v.Name != "nil" // Clock: nil is the real clock unsaid
		}
	}
	return false
}

// productReadsOfTheClock is rule 2.
func (m *moduleFiles) productReadsOfTheClock() []finding {
	var out []finding
	for _, gf := range m.files {
		if gf.test || path.Base(gf.rel) == "clock" || gf.rel == "build" || strings.HasPrefix(gf.rel, "build/") {
			continue
		}
		timeName := ""
		for _, is := range gf.syntax.Imports {
			if is.Path.Value == `"time"` {
				timeName = "time"
				if is.Name != nil {
					timeName = is.Name.Name
				}
			}
		}
		if timeName == "" {
			continue
		}
		why := map[int]bool{} // lines with a "real clock:" comment
		for _, cg := range gf.syntax.Comments {
			for _, c := range cg.List {
				text := strings.TrimSpace(strings.TrimPrefix(strings.TrimPrefix(c.Text, "//"), "/*"))
				if strings.HasPrefix(text, "real clock:") {
					why[m.fset.Position(c.Pos()).Line] = true
				}
			}
		}
		ast.Inspect(gf.syntax, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			x, ok := sel.X.(*ast.Ident)
			if !ok || x.Name != timeName {
				return true
			}
			switch sel.Sel.Name {
			case "Now", "Since", "Until":
			default:
				return true
			}
			line := m.fset.Position(call.Pos()).Line
			if why[line] || why[line-1] {
				return true
			}
			out = append(out, finding{m.fset.Position(call.Pos()),
				"time." + sel.Sel.Name + " reads the real clock: take the injected clock.Clock, or say why with a \"// real clock: ...\" comment"})
			return true
		})
	}
	return out
}
