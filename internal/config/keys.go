package config

import (
	"bufio"
	"bytes"
	"reflect"
	"regexp"
	"strings"
)

var bareKey = regexp.MustCompile(`^[A-Za-z0-9_\-]+(\s*\.\s*[A-Za-z0-9_\-]+)*$`)

// scanKeyLines maps each dotted key (and table) in a TOML file to the line
// it is first set on. It understands what the example file uses: [tables],
// bare and dotted keys; anything else it cannot place gets line 0.
func scanKeyLines(data []byte) map[string]int {
	lines := map[string]int{}
	table := ""
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
			continue
		case strings.HasPrefix(line, "["):
			name := strings.Trim(strings.SplitN(line, "]", 2)[0], "[ \t")
			if !bareKey.MatchString(name) {
				continue
			}
			table = normalizeKey(name)
			if _, seen := lines[table]; !seen {
				lines[table] = n
			}
		default:
			k, _, ok := strings.Cut(line, "=")
			k = strings.TrimSpace(k)
			if !ok || !bareKey.MatchString(k) {
				continue
			}
			full := normalizeKey(k)
			if table != "" {
				full = table + "." + full
			}
			if _, seen := lines[full]; !seen {
				lines[full] = n
			}
		}
	}
	return lines
}

func normalizeKey(k string) string {
	parts := strings.Split(k, ".")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	return strings.Join(parts, ".")
}

// Keys lists every dotted key a configuration file may set, in the order of
// the Config struct ("backend.url", "backend.ca_file", ...).
func Keys() []string {
	var keys []string
	walkKeys(reflect.TypeOf(Config{}), "", func(k string) { keys = append(keys, k) })
	return keys
}

var durationType = reflect.TypeOf(Duration(0))

func walkKeys(t reflect.Type, prefix string, add func(string)) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name := f.Tag.Get("toml")
		if name == "" || name == "-" {
			continue
		}
		if prefix != "" {
			name = prefix + "." + name
		}
		if f.Type.Kind() == reflect.Struct && f.Type != durationType {
			walkKeys(f.Type, name, add)
			continue
		}
		add(name)
	}
}

// suggest returns the known key closest to an unknown one, or "" when none
// is close enough to be a likely typo.
func suggest(unknown string) string {
	best, bestDist := "", 4
	for _, k := range Keys() {
		d := editDistance(unknown, k)
		if d < bestDist {
			best, bestDist = k, d
		}
	}
	if best == "" {
		// A known key name in the wrong section: "[sync] locale".
		last := unknown[strings.LastIndex(unknown, ".")+1:]
		for _, k := range Keys() {
			if strings.HasSuffix(k, "."+last) {
				return k
			}
		}
	}
	return best
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// keyOnLine names what line n (1-based) of a TOML file sets: the dotted key
// of a "key = value" line in its table, or the table of a header, even a
// broken one ("[sync" names sync). It returns "" when the line says neither.
func keyOnLine(data []byte, n int) string {
	table := ""
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for i := 1; sc.Scan() && i <= n; i++ {
		line := strings.TrimSpace(sc.Text())
		key := ""
		if strings.HasPrefix(line, "[") {
			name := strings.Trim(strings.SplitN(line, "]", 2)[0], "[ \t")
			if bareKey.MatchString(name) {
				table, key = normalizeKey(name), normalizeKey(name)
			} else {
				table = ""
			}
		} else if k, _, ok := strings.Cut(line, "="); ok && bareKey.MatchString(strings.TrimSpace(k)) {
			key = normalizeKey(strings.TrimSpace(k))
			if table != "" {
				key = table + "." + key
			}
		}
		if i == n {
			return key
		}
	}
	return ""
}
