package main

import (
	"html"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// The judge reads a result's page from the built site and says whether it is about the query:
// whether the page's own text holds the query's words with every mark folded (tones and vowel
// marks dropped, đ → d, lower case; the last word as a prefix, as both engines treat it), as a
// phrase, in the title (T) or anywhere (P), or only as scattered words (W). The page's own text
// is <main> without its <nav>s (breadcrumbs, previous/next links) — so not the header, menu,
// sidebar or footer that every page repeats — and without the labels of the article layout
// (the date line, the headings "Thành phần tham dự", "Hình ảnh (n)", "Nhiệm vụ, giải pháp",
// "Chủ đề:"); the category line stays. A phrase does not run across two blocks (a heading and
// a paragraph, two list items). It folds with its own code (x/text's NFD), not bantin's.

// fold lowers s, drops combining marks and maps đ to d.
func fold(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(strings.ToLower(s)) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case r == 'đ':
			b.WriteRune('d')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// words splits folded text into runs of letters and digits, joined by single spaces, with a
// space at both ends: " so ket cong tac ".
func words(s string) string {
	var b strings.Builder
	b.WriteByte(' ')
	in := false
	for _, r := range fold(s) {
		if r == '|' { // a block boundary (strip)
			if !in {
				b.WriteString("| ")
			} else {
				b.WriteString(" | ")
			}
			in = false
			continue
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
			in = true
		} else if in {
			b.WriteByte(' ')
			in = false
		}
	}
	if in {
		b.WriteByte(' ')
	}
	return b.String()
}

type pageText struct {
	Title string // words of the <h1>
	Text  string // words of <main> without <nav>, the title included
}

var (
	mainRe  = regexp.MustCompile(`(?s)<main[^>]*>(.*)</main>`)
	navRe   = regexp.MustCompile(`(?s)<nav[^>]*>.*?</nav>`)
	dropRe  = regexp.MustCompile(`(?s)<(script|style|noscript)[^>]*>.*?</(script|style|noscript)>`)
	h1Re    = regexp.MustCompile(`(?s)<h1[^>]*>(.*?)</h1>`)
	tagRe   = regexp.MustCompile(`<[^>]*>`)
	blockRe = regexp.MustCompile(`(?i)</?(p|h[1-6]|li|ul|ol|div|section|article|header|figure|figcaption|table|tr|td|th|br)\b[^>]*>`)
	labelRe = regexp.MustCompile(`(?s)<h2 id=(thanh-phan|hinh-anh|nhiem-vu)>.*?</h2>|<p class=meta>.*?</p>|<span>Chủ đề:</span>`)
	titleRe = regexp.MustCompile(`(?s)<title>(.*?)</title>`)
)

// strip turns HTML into text, a block boundary into "|".
func strip(s string) string {
	s = blockRe.ReplaceAllString(strings.ReplaceAll(s, "|", " "), " | ")
	return html.UnescapeString(tagRe.ReplaceAllString(s, " "))
}

// readPage extracts a built page's text.
func readPage(file string) (pageText, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return pageText{}, err
	}
	s := string(b)
	m := mainRe.FindStringSubmatch(s)
	if m == nil {
		t := titleRe.FindStringSubmatch(s)
		if t == nil {
			return pageText{}, nil
		}
		return pageText{Title: words(strip(t[1])), Text: words(strip(t[1]))}, nil
	}
	body := dropRe.ReplaceAllString(navRe.ReplaceAllString(m[1], " "), " ")
	body = labelRe.ReplaceAllString(body, " ")
	var title string
	if h := h1Re.FindStringSubmatch(body); h != nil {
		title = strip(h[1])
	}
	return pageText{Title: words(title), Text: words(strip(body))}, nil
}

// query is a query split as the judge reads it.
type query []string

func parseJudgeQuery(q string) query {
	return strings.Fields(words(q))
}

// phrase reports whether text (from words) holds the query's words in a row, the last as a prefix.
func (q query) phrase(text string) bool {
	if len(q) == 0 {
		return false
	}
	return strings.Contains(text, " "+strings.Join(q, " "))
}

// all reports whether text holds every word of the query, the last as a prefix.
func (q query) all(text string) bool {
	for i, w := range q {
		if i == len(q)-1 {
			if !strings.Contains(text, " "+w) {
				return false
			}
		} else if !strings.Contains(text, " "+w+" ") {
			return false
		}
	}
	return len(q) > 0
}

// verdict is T (phrase in the title), P (phrase in the page's text), W (all words, not as a
// phrase), or "-" (not all words: the page matched on something else).
func (q query) verdict(p pageText) string {
	switch {
	case q.phrase(p.Title):
		return "T"
	case q.phrase(p.Text):
		return "P"
	case q.all(p.Text):
		return "W"
	}
	return "-"
}

// judge holds the articles' texts for counting and reads other pages on demand.
type judge struct {
	site string

	mu    sync.Mutex
	pages map[string]pageText // by URL path

	articles []string // URL paths of the articles
}

var articleURL = regexp.MustCompile(`^/(tin-tuc|hoat-dong|van-ban)/[^/]+/$`)

func newJudge(site string) (*judge, error) {
	j := &judge{site: site, pages: map[string]pageText{}}
	files, err := filepath.Glob(filepath.Join(site, "*", "*", "index.html"))
	if err != nil {
		return nil, err
	}
	var urls []string
	for _, f := range files {
		rel, _ := filepath.Rel(site, filepath.Dir(f))
		u := "/" + filepath.ToSlash(rel) + "/"
		if articleURL.MatchString(u) {
			urls = append(urls, u)
		}
	}
	// Read them in parallel: 10,000 pages of ~20 KB.
	texts := make([]pageText, len(urls))
	var wg sync.WaitGroup
	next := make(chan int)
	var firstErr error
	var errMu sync.Mutex
	for range 4 {
		wg.Go(func() {
			for i := range next {
				t, err := readPage(filepath.Join(site, filepath.FromSlash(urls[i]), "index.html"))
				if err != nil {
					errMu.Lock()
					firstErr = err
					errMu.Unlock()
				}
				texts[i] = t
			}
		})
	}
	for i := range urls {
		next <- i
	}
	close(next)
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	for i, u := range urls {
		j.pages[u] = texts[i]
	}
	j.articles = urls
	return j, nil
}

// page returns the text of the page at the URL path (a site-relative path, "/x/y/").
func (j *judge) page(u string) pageText {
	if i := strings.IndexAny(u, "?#"); i >= 0 {
		u = u[:i]
	}
	j.mu.Lock()
	t, ok := j.pages[u]
	j.mu.Unlock()
	if ok {
		return t
	}
	file := filepath.Join(j.site, filepath.FromSlash(u))
	if strings.HasSuffix(u, "/") {
		file = filepath.Join(file, "index.html")
	}
	t, _ = readPage(file)
	j.mu.Lock()
	j.pages[u] = t
	j.mu.Unlock()
	return t
}

// truth counts the articles whose text holds the query's words, and as a phrase.
func (j *judge) truth(q string) (all, phrase int) {
	jq := parseJudgeQuery(q)
	for _, u := range j.articles {
		t := j.pages[u]
		if jq.all(t.Text) {
			all++
			if jq.phrase(t.Text) {
				phrase++
			}
		}
	}
	return all, phrase
}
