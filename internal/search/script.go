package search

import (
	_ "embed"
	"slices"
	"strings"

	"bantin/internal/viet"
	"golang.org/x/text/unicode/norm"
)

//go:embed search.js
var scriptSource string

// ScriptName is the client's suggested file name inside Options.Dir.
const ScriptName = "search.js"

// Script returns the client: vanilla JavaScript, the HTML it expects described at its top. Its fold
// table is made here from viet.Fold, so the browser folds Vietnamese letters as the index did.
func Script() []byte {
	return []byte(strings.Replace(scriptSource, "{{FOLD}}", foldTable(), 1))
}

// vietLetters returns every lowercase Vietnamese letter that has marks (the vowels with each tone,
// đ) and the lookalikes of đ that viet.Fold also folds to d.
func vietLetters() []string {
	var out []string
	for _, base := range []string{"a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y"} {
		for _, tone := range []string{"", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323"} {
			if l := norm.NFC.String(base + tone); l != "a" && l != "e" && l != "i" && l != "o" && l != "u" && l != "y" {
				out = append(out, l)
			}
		}
	}
	return append(out, "đ", "ð", "ɖ")
}

// foldTable spells the fold of every Vietnamese letter for search.js: groups of a folded letter
// followed by the letters that fold to it, separated by spaces ("aàảãáạăằẳẵắặâầẩẫấậ dđðɖ …").
func foldTable() string {
	groups := map[string]string{}
	for _, l := range vietLetters() {
		f := viet.Fold(l)
		groups[f] += l
	}
	keys := make([]string, 0, len(groups))
	for k := range groups {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var b strings.Builder
	for k, f := range keys {
		if k > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(f + groups[f])
	}
	return b.String()
}
