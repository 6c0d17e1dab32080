// Command pkgdocs writes the documents the Debian package carries beside the
// programs, from the same sources the programs are built from, so none of
// them is kept by hand or can fall behind:
//
//	pkgdocs copyright -head FILE [-text NAME=FILE]... BINARY...
//	    the DEP-5 copyright file: FILE's paragraphs (the project's own),
//	    then one paragraph per Go module compiled into the BINARYs, read
//	    from their build information (what `go version -m` prints) and the
//	    licence files in the module cache
//	pkgdocs changelog -version V -maintainer "NAME <MAIL>" [-dist D]
//	    a Debian changelog entry for version V from the git history
//	pkgdocs man -skaerm BINARY -version V -out DIR
//	    skaerm.1 from the help the program prints, and skaerm-config.5
//	    from `skaerm config example`
//
// Each writes to standard output (man writes files into DIR). build/deb.sh
// runs it; it runs on the build machine, never on a screen.
//
// # Caveats
//
// copyright fails when it cannot tell the licence of a module: a person must
// then read the licence and teach the classifier (licence.go) its text.
package main

import (
	"fmt"
	"io"
	"os"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintf(os.Stderr, "pkgdocs: %v\n", err)
		os.Exit(1)
	}
}

func run(args []string, stdout io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("usage: pkgdocs copyright|changelog|man [flags]")
	}
	switch args[0] {
	case "copyright":
		return cmdCopyright(args[1:], stdout)
	case "changelog":
		return cmdChangelog(args[1:], stdout)
	case "man":
		return cmdMan(args[1:])
	default:
		return fmt.Errorf("unknown command %q (copyright, changelog or man)", args[0])
	}
}
