package layout

import (
	"math"
	"strings"
	"unicode"
)

// The Screen API sends a staff member's role as staff typed it in the
// Manager ("Social- og sundhedsassistent") and no short form. A roster row
// has room for about a dozen letters beside the hours, so the roles a care
// home uses every day are shortened the way the staff write them on the
// duty roster itself. Roles not on the list are shown whole when they fit,
// else wrapped or, as a last resort, cut at a word.

// roleShort maps a role, folded by roleKey, to its short form.
var roleShort = map[string]string{
	"socialogsundhedsassistent": "SSA",
	"sosuassistent":             "SSA",
	"socialogsundhedshjælper":   "SSH",
	"sosuhjælper":               "SSH",
	"sygeplejerske":             "Spl.",
	"sygehjælper":               "Sygehj.",
	"plejehjemsassistent":       "Plejehj.ass.",
	"pædagogiskassistent":       "PA",
	"pædagogmedhjælper":         "Pæd.medhj.",
	"ergoterapeut":              "Ergo",
	"fysioterapeut":             "Fys",
	"køkkenassistent":           "Køkken",
	"ernæringsassistent":        "Køkken",
	"rengøringsassistent":       "Rengøring",
	"serviceassistent":          "Service",
	"aktivitetsmedarbejder":     "Aktiviteter",
	"afdelingsleder":            "Afd.leder",
	"afdelingssygeplejerske":    "Afd.spl.",
}

// roleSuffixes are the endings a known role may carry ("SSA-elev").
var roleSuffixes = []struct{ key, short string }{
	{"elev", "-elev"}, {"studerende", "-stud."}, {"vikar", "-vikar"},
}

// roleKey folds a role for the lookup: lower case, letters only
// ("Social- og sundhedsassistent" -> "socialogsundhedsassistent").
func roleKey(role string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(role) {
		if unicode.IsLetter(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// RoleShort is the short form of a known care role ("SSA" for "Social- og
// sundhedsassistent"), or "" for a role not on the list.
func RoleShort(role string) string {
	k := roleKey(role)
	if s, ok := roleShort[k]; ok {
		return s
	}
	for _, suf := range roleSuffixes {
		if base, ok := strings.CutSuffix(k, suf.key); ok {
			if s, ok := roleShort[base]; ok {
				return s + suf.short
			}
		}
	}
	return ""
}

// roleText is a role as it fits in width w in f: whole when it fits, also
// in a type down to minSize (never below 3% of the short side), else its
// short form, else cut at a word (a long role nobody could shorten).
func (b *builder) roleText(role string, f Font, w, minSize float64) (string, Font) {
	role = strings.Join(strings.Fields(role), " ")
	if b.m.Width(role, f) <= w {
		return role, f
	}
	if small := (Font{Size: math.Max(3*b.u, minSize), Bold: f.Bold}); small.Size < f.Size && b.m.Width(role, small) <= w {
		return role, small
	}
	if s := RoleShort(role); s != "" && b.m.Width(s, f) <= w {
		return s, f
	}
	return Fit(b.m, role, f, w), f
}

// RolePictogram is the pictogram drawn in place of the face of someone
// hidden from screens: what they do, never an empty face. The display draws
// "role-nurse" (a badge with a cross), "role-kitchen" (a cook's hat) and
// "role" (a badge on a lanyard).
func RolePictogram(role string) string {
	k := roleKey(role)
	switch {
	case strings.Contains(k, "sygepl"):
		return "role-nurse"
	case strings.Contains(k, "køkken") || strings.Contains(k, "ernæring") || strings.Contains(k, "kok"):
		return "role-kitchen"
	}
	return "role"
}
