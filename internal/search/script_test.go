package search

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"bantin/internal/viet"
	"golang.org/x/text/unicode/norm"
)

// TestScriptSize: the client stays under 8 KB gzipped, as sent.
func TestScriptSize(t *testing.T) {
	s := Script()
	if n := gzipSize(t, s); n > 8<<10 {
		t.Errorf("search.js is %d bytes gzipped, more than 8 KB", n)
	} else {
		t.Logf("search.js: %d bytes, %d gzipped", len(s), n)
	}
	if strings.Contains(string(s), "{{") {
		t.Error("search.js has a placeholder left")
	}
}

// scriptFold reads the fold table out of the script as the browser will.
func scriptFold(t *testing.T) map[rune]rune {
	m := regexp.MustCompile(`const FOLD = "([^"]*)";`).FindSubmatch(Script())
	if m == nil {
		t.Fatal("no fold table in search.js")
	}
	table := map[rune]rune{}
	for _, g := range strings.Split(string(m[1]), " ") {
		to, size := utf8.DecodeRuneInString(g)
		if to >= utf8.RuneSelf {
			t.Errorf("group %q folds to a non-ASCII letter", g)
		}
		for _, r := range g[size:] {
			table[r] = to
		}
	}
	return table
}

// TestScriptFoldTable: the script's table folds every Vietnamese letter, lower and upper case,
// precomposed or typed as a base and marks, as viet.Fold does, once the script has lowercased it
// and put it in NFC as it does.
func TestScriptFoldTable(t *testing.T) {
	table := scriptFold(t)
	n := 0
	for _, l := range vietLetters() {
		for _, in := range []string{l, strings.ToUpper(l), norm.NFD.String(l), norm.NFD.String(strings.ToUpper(l))} {
			lower := norm.NFC.String(strings.ToLower(in))
			r, size := utf8.DecodeRuneInString(lower)
			if size != len(lower) {
				t.Fatalf("%+q is not one letter in NFC", in)
			}
			if got, want := string(table[r]), viet.Fold(in); got != want {
				t.Errorf("table folds %+q to %q, viet.Fold to %q", in, got, want)
			}
			n++
		}
	}
	if len(vietLetters()) != 12*6-6+3 {
		t.Errorf("%d Vietnamese letters", len(vietLetters()))
	}
	t.Logf("%d forms of %d letters", n, len(table))
}
