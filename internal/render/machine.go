package render

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"html/template"
	"net/url"
	"strings"
	"time"

	"bantin/internal/site"
	"bantin/internal/urlpath"
)

// FeedItems is how many items each RSS feed carries.
const FeedItems = 20

// machineFiles derives the non-HTML files and alias pages from the model.
func (r *renderer) machineFiles() []File {
	s := r.s
	var out []File
	out = append(out, File{Path: site.FeedFile, Body: r.feed(s.Config.Title, "/", "/"+site.FeedFile, s.Articles)})
	for _, sec := range s.Sections {
		out = append(out, File{Path: sec.FeedFile(),
			Body: r.feed(sec.Title+" — "+s.Config.Title, sec.URL, sec.URL+site.FeedFile, sec.Articles)})
	}
	out = append(out, File{Path: site.SitemapFile, Body: r.sitemap(), Minified: r.t.Minified})
	if s.Robots() { // else static/robots.txt is published in its place
		out = append(out, File{Path: site.RobotsFile, Body: []byte("User-agent: *\nAllow: /\n\nSitemap: " + s.Config.AbsURL("/"+site.SitemapFile) + "\n")})
	}
	out = append(out, r.aliasFiles()...)
	return out
}

type rss struct {
	XMLName xml.Name   `xml:"rss"`
	Version string     `xml:"version,attr"`
	Atom    string     `xml:"xmlns:atom,attr"`
	Channel rssChannel `xml:"channel"`
}

type rssChannel struct {
	Title         string    `xml:"title"`
	Link          string    `xml:"link"`
	Self          atomLink  `xml:"atom:link"`
	Description   string    `xml:"description"`
	Language      string    `xml:"language"`
	LastBuildDate string    `xml:"lastBuildDate,omitempty"`
	Items         []rssItem `xml:"item"`
}

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr"`
}

type rssItem struct {
	Title       string   `xml:"title"`
	Link        string   `xml:"link"`
	GUID        string   `xml:"guid"`
	PubDate     string   `xml:"pubDate"`
	Description string   `xml:"description"`
	Categories  []string `xml:"category"`
}

// feed is an RSS 2.0 document of the newest articles.
func (r *renderer) feed(title, link, self string, articles []*site.Article) []byte {
	cfg := r.s.Config
	ch := rssChannel{
		Title:       title,
		Link:        cfg.AbsURL(link),
		Self:        atomLink{Href: cfg.AbsURL(self), Rel: "self", Type: "application/rss+xml"},
		Description: cfg.Description,
		Language:    cfg.Language,
	}
	if ch.Description == "" {
		ch.Description = cfg.Title
	}
	if len(articles) > 0 {
		ch.LastBuildDate = articles[0].Date.Format(time.RFC1123Z)
	}
	for _, a := range articles[:min(len(articles), FeedItems)] {
		item := rssItem{
			Title:       a.Title,
			Link:        cfg.AbsURL(a.URL),
			GUID:        cfg.AbsURL(a.URL),
			PubDate:     a.Date.Format(time.RFC1123Z),
			Description: plainText(a.Summary),
		}
		if a.Category != "" {
			item.Categories = append(item.Categories, a.Category)
		}
		ch.Items = append(ch.Items, item)
	}
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	_ = enc.Encode(rss{Version: "2.0", Atom: "http://www.w3.org/2005/Atom", Channel: ch})
	buf.WriteByte('\n')
	return buf.Bytes()
}

// plainText is s as an RSS description: feed readers decode it as HTML,
// so nothing in it may read as markup once the XML escaping (done once, by
// encoding/xml) is undone. A summary is plain text already, but text can
// hold what looks like a tag: an escaped "&lt;img onerror=…&gt;" in a body,
// a code span, a front-matter summary. Such tags are left out, and a < is
// kept only where it cannot start one.
func plainText(s string) string {
	if !strings.Contains(s, "<") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		if s[i] != '<' || i+1 == len(s) || !opensTag(s[i+1]) {
			b.WriteByte(s[i])
			continue
		}
		// Drop the tag up to its > (to the end when unclosed, as an HTML parser would).
		end := strings.IndexByte(s[i:], '>')
		if end < 0 {
			end = len(s) - i - 1
		}
		i += end
		// A < kept before the tag would open one with what follows: "<<b>img".
		kept := strings.TrimRight(b.String(), "<")
		b.Reset()
		b.WriteString(kept)
		b.WriteByte(' ')
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// opensTag reports whether c after a < starts a tag, an end tag, a comment
// or a processing instruction for an HTML parser.
func opensTag(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '/' || c == '!' || c == '?'
}

// sitemap lists every page but the 404 page, with article dates. It is
// written directly (not with encoding/xml): at 30,000 URLs that took 50 ms
// of every serve rebuild.
func (r *renderer) sitemap() []byte {
	// Minified, it is written without the indentation the minifier would
	// only take out again (at 100,000 articles it is 40 MB).
	nl, in1, in2 := "\n", "  ", "    "
	if r.t.Minified {
		nl, in1, in2 = "", "", ""
	}
	var buf bytes.Buffer
	buf.Grow(len(r.s.Outputs) * 96)
	buf.WriteString(strings.TrimSuffix(xml.Header, "\n") + nl)
	buf.WriteString(`<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">` + nl)
	for _, o := range r.s.Outputs {
		if o.Kind == site.Kind404 {
			continue
		}
		buf.WriteString(in1 + "<url>" + nl + in2 + "<loc>")
		if u := r.s.Config.AbsURL(o.URL); strings.ContainsAny(u, `&<>'"`+"\r\n\t") {
			_ = xml.EscapeText(&buf, []byte(u))
		} else {
			buf.WriteString(u) // nearly every URL: nothing to escape
		}
		buf.WriteString("</loc>" + nl)
		if o.Article != nil && !o.Article.Date.IsZero() {
			buf.WriteString(in2 + "<lastmod>" + o.Article.Date.Format("2006-01-02") + "</lastmod>" + nl)
		}
		buf.WriteString(in1 + "</url>" + nl)
	}
	buf.WriteString("</urlset>" + nl)
	return buf.Bytes()
}

var aliasTmpl = template.Must(template.New("alias").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}">
<head>
<meta charset="utf-8">
<title>{{.Title}}</title>
<link rel="canonical" href="{{.Canonical}}">
<meta name="robots" content="noindex">
{{if .Target}}<meta http-equiv="refresh" content="0; url={{.Target}}">{{end}}
</head>
<body>
{{if .Map}}<script>(function(){var m={{.Map}};var q=location.search.slice(1).split("&").filter(Boolean).map(function(p){var i=p.indexOf("=");return i<0?p.toLowerCase():p.slice(0,i).toLowerCase()+p.slice(i)}).sort().join("&");if(m[q])location.replace(m[q]);})();</script>{{end}}
<p>Trang này đã chuyển đến địa chỉ mới:</p>
<ul>{{range .Links}}<li><a href="{{.URL}}">{{.Title}}</a></li>{{end}}</ul>
</body>
</html>
`))

type aliasLink struct{ URL, Title string }

// aliasFiles writes a redirect page for each path alias, one page per path
// for query aliases (mapping each query with a small script), and _redirects.
// A line of _redirects is made only of checked values (site.Alias, through
// urlpath.Alias), percent-encoded so that no space, line break, * or : in
// them can end a field, forge a rule or read as a wildcard.
func (r *renderer) aliasFiles() []File {
	cfg := r.s.Config
	var out []File
	var redirects strings.Builder
	byPath := map[string][]site.Alias{}
	var queryPaths []string
	for _, a := range r.s.Aliases {
		target := cfg.RelURL(a.Target.URL)
		if a.Query == "" {
			var buf bytes.Buffer
			_ = aliasTmpl.Execute(&buf, map[string]any{
				"Lang": cfg.Language, "Title": a.Target.Title, "Canonical": cfg.AbsURL(a.Target.URL), "Target": target,
				"Links": []aliasLink{{URL: target, Title: a.Target.Title}},
			})
			out = append(out, File{Path: site.File(a.Path), Body: buf.Bytes()})
			redirects.WriteString(urlpath.Redirect(cfg.RelURL(a.Path)) + " " + urlpath.Redirect(target) + " 301\n")
			continue
		}
		if _, seen := byPath[a.Path]; !seen {
			queryPaths = append(queryPaths, a.Path)
		}
		byPath[a.Path] = append(byPath[a.Path], a)
		// Netlify's query-parameter form: /path key=value … /to 301. Keys and
		// values are decoded, then encoded again (QueryEscape leaves only
		// letters, digits, - _ . ~ + and %XX).
		var params []string
		for _, p := range strings.Split(a.Query, "&") {
			k, v, ok := strings.Cut(p, "=")
			if !ok {
				continue // urlpath.Alias refused it; nothing to match
			}
			if dk, err := url.QueryUnescape(k); err == nil {
				k = dk
			}
			if dv, err := url.QueryUnescape(v); err == nil {
				v = dv
			}
			params = append(params, url.QueryEscape(k)+"="+url.QueryEscape(v))
		}
		redirects.WriteString(urlpath.Redirect(cfg.RelURL(a.Path)) + " " + strings.Join(params, " ") + " " + urlpath.Redirect(target) + " 301\n")
	}
	for _, p := range queryPaths {
		m := map[string]string{}
		var links []aliasLink
		for _, a := range byPath[p] {
			m[a.Match] = cfg.RelURL(a.Target.URL)
			links = append(links, aliasLink{URL: cfg.RelURL(a.Target.URL), Title: a.Target.Title})
		}
		js, _ := json.Marshal(m)
		var buf bytes.Buffer
		_ = aliasTmpl.Execute(&buf, map[string]any{
			"Lang": cfg.Language, "Title": cfg.Title, "Canonical": cfg.AbsURL("/"),
			"Map": template.JS(js), "Links": links,
		})
		out = append(out, File{Path: site.File(p), Body: buf.Bytes()})
	}
	if redirects.Len() > 0 {
		out = append(out, File{Path: "_redirects", Body: []byte(redirects.String())})
	}
	return out
}
