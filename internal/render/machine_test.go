package render

import (
	"encoding/xml"
	"html"
	"strings"
	"sync"
	"testing"
	"time"

	"bantin/internal/config"
	"bantin/internal/site"
	"bantin/internal/source"
)

// renderSite renders a small site from pages made by hand and returns its files.
func renderSite(t *testing.T, yaml string, static []string, pages ...*source.Page) map[string]string {
	t.Helper()
	cfg, err := config.Parse([]byte("title: Trang thử\nbaseURL: https://example.org/\n" + yaml))
	if err != nil {
		t.Fatal(err)
	}
	s, problems := site.New(cfg, pages, site.Options{Static: static})
	if problems.HasErrors() {
		t.Fatal(problems)
	}
	tmpl, err := Load(nil, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{}
	var mu sync.Mutex // emit is called from every render worker
	err = tmpl.Render(s, nil, Options{Static: static}, func(f File) error {
		mu.Lock()
		files[f.Path] = string(f.Body)
		mu.Unlock()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func page(p, title, summary string, aliases ...string) *source.Page {
	pg := &source.Page{Kind: source.Article, File: "content/" + p, Path: p, Title: title, Summary: summary,
		Params: map[string]any{}, Date: time.Date(2022, 11, 24, 8, 0, 0, 0, time.UTC)}
	pg.Section, pg.Name, _ = strings.Cut(p, "/")
	pg.Dir = pg.Section
	pg.Name = strings.TrimSuffix(pg.Name, ".md")
	for i, a := range aliases {
		pg.Aliases = append(pg.Aliases, source.Alias{Path: a, Line: 5 + i})
	}
	return pg
}

// TestFeedPlainText: an RSS description is plain text, escaped once for
// XML: once a feed reader undoes that escaping and reads it as HTML, no
// tag is left to run, whatever the text held.
func TestFeedPlainText(t *testing.T) {
	summaries := []string{
		"Xin chào <img src=x onerror=alert(1)> bạn",
		"<<img src=x onerror=alert(2)>img src=x onerror=alert(3)>",
		"<scr<script>ipt>alert(4)</script>",
		"a < b && c > d <!-- x --> <?php ?> </p",
		"<IMG SRC=x onerror=alert(5)",
		"<<<b>b>b>img src=x>",
	}
	var pages []*source.Page
	for i, s := range summaries {
		pages = append(pages, page("tin-tuc/bai-"+string(rune('a'+i))+".md", "Bài", s))
	}
	files := renderSite(t, "", nil, pages...)
	for _, name := range []string{"index.xml", "tin-tuc/index.xml"} {
		var feed struct {
			Items []struct {
				Description string `xml:"description"`
			} `xml:"channel>item"`
		}
		if err := xml.Unmarshal([]byte(files[name]), &feed); err != nil {
			t.Fatal(err)
		}
		if len(feed.Items) != len(summaries) {
			t.Fatalf("%s: %d items", name, len(feed.Items))
		}
		for _, it := range feed.Items {
			d := strings.ToLower(it.Description)
			for i := 0; i+1 < len(d); i++ {
				if d[i] == '<' && opensTag(d[i+1]) {
					t.Errorf("%s: description %q holds markup", name, it.Description)
					break
				}
			}
			if strings.Contains(files[name], "&amp;lt;") {
				t.Errorf("%s is escaped twice", name)
			}
		}
	}
	for in, want := range map[string]string{
		"Xin chào <img src=x onerror=alert(1)> bạn": "Xin chào bạn",
		"a < b && c > d":                   "a < b && c > d",
		"Đảng & Nhà nước":                  "Đảng & Nhà nước",
		"<<img src=x>img src=y>":           "img src=y>",
		"x <b>đậm</b> y":                   "x đậm y",
		html.UnescapeString("&lt;img&gt;"): "",
	} {
		if got := plainText(in); got != want {
			t.Errorf("plainText(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestRedirects: every line of _redirects is "from [key=value …] to 301"
// made of URL characters only, a name with a space or a Vietnamese letter
// encoded.
func TestRedirects(t *testing.T) {
	files := renderSite(t, "", nil,
		page("tin-tuc/a.md", "A", "", "/tin-t%E1%BB%A9c/bai-1/", "/Default.aspx?tabid=1&ArticleId=42", "/Default.aspx?q=a%20b+c&x=%3A1"),
		page("Tin tức 2024/b.md", "B", "", "/cu/b.html"))
	got := files["_redirects"]
	want := "/tin-t%E1%BB%A9c/bai-1/ /tin-tuc/a/ 301\n" +
		"/Default.aspx tabid=1 ArticleId=42 /tin-tuc/a/ 301\n" +
		"/Default.aspx q=a+b+c x=%3A1 /tin-tuc/a/ 301\n" +
		"/cu/b.html /Tin%20t%E1%BB%A9c%202024/b/ 301\n"
	if got != want {
		t.Errorf("_redirects:\n%s\nwant:\n%s", got, want)
	}
	for _, line := range strings.Split(strings.TrimSuffix(got, "\n"), "\n") {
		fields := strings.Split(line, " ")
		if len(fields) < 3 || fields[len(fields)-1] != "301" {
			t.Errorf("line %q", line)
		}
	}
	if _, ok := files["tin-tức/bai-1/index.html"]; !ok {
		t.Errorf("no alias page at the decoded path; files: %v", keys(files))
	}
}

// TestStaticRobots: a site's static/robots.txt is published instead of the generated one.
func TestStaticRobots(t *testing.T) {
	if files := renderSite(t, "", nil); !strings.Contains(files["robots.txt"], "Sitemap: https://example.org/sitemap.xml") {
		t.Errorf("generated robots.txt: %q", files["robots.txt"])
	}
	if files := renderSite(t, "", []string{"robots.txt"}); files["robots.txt"] != "" {
		t.Errorf("robots.txt generated over the site's own: %q", files["robots.txt"])
	}
}

func keys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// FuzzPlainText: whatever a summary holds, its RSS description opens no tag.
func FuzzPlainText(f *testing.F) {
	for _, s := range []string{"<img src=x onerror=alert(1)>", "<<b>img", "a < b", "<!--", "</x", "<?x", "x<"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := plainText(s)
		for i := 0; i+1 < len(out); i++ {
			if out[i] == '<' && opensTag(out[i+1]) {
				t.Fatalf("plainText(%q) = %q opens a tag", s, out)
			}
		}
		if !strings.Contains(s, "<") && out != s {
			t.Fatalf("plainText(%q) = %q changed text without a <", s, out)
		}
	})
}
