package render

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"html/template"
	"net/url"
	"sort"
	"strings"
	"time"

	"bantin/internal/site"
)

// FeedItems is how many items each RSS feed carries.
const FeedItems = 20

// machineFiles derives the non-HTML files and alias pages from the model.
func (r *renderer) machineFiles() []File {
	s := r.s
	var out []File
	out = append(out, File{Path: "index.xml", Body: r.feed(s.Config.Title, "/", "/index.xml", s.Articles)})
	for _, sec := range s.Sections {
		out = append(out, File{Path: sec.Name + "/index.xml",
			Body: r.feed(sec.Title+" — "+s.Config.Title, sec.URL, sec.URL+"index.xml", sec.Articles)})
	}
	out = append(out, File{Path: "sitemap.xml", Body: r.sitemap(), Minified: r.t.Minified})
	out = append(out, File{Path: "robots.txt", Body: []byte("User-agent: *\nAllow: /\n\nSitemap: " + s.Config.AbsURL("/sitemap.xml") + "\n")})
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
			Description: a.Summary,
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

// normQuery puts a query in the form the alias script compares: keys
// lowercased (ASP.NET ignores their case), parameters sorted.
func normQuery(q string) string {
	parts := strings.Split(q, "&")
	out := parts[:0]
	for _, p := range parts {
		if p == "" {
			continue
		}
		k, v, ok := strings.Cut(p, "=")
		if ok {
			out = append(out, strings.ToLower(k)+"="+v)
		} else {
			out = append(out, strings.ToLower(k))
		}
	}
	sort.Strings(out)
	return strings.Join(out, "&")
}

// aliasFiles writes a redirect page for each path alias, one page per path
// for query aliases (mapping each query with a small script), and _redirects.
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
			redirects.WriteString(cfg.RelURL(a.Path) + " " + target + " 301\n")
			continue
		}
		if _, seen := byPath[a.Path]; !seen {
			queryPaths = append(queryPaths, a.Path)
		}
		byPath[a.Path] = append(byPath[a.Path], a)
		// Netlify's query-parameter form: /path key=value … /to 301
		var params []string
		for _, p := range strings.Split(a.Query, "&") {
			if k, v, ok := strings.Cut(p, "="); ok {
				params = append(params, url.QueryEscape(k)+"="+url.QueryEscape(v))
			}
		}
		redirects.WriteString(cfg.RelURL(a.Path) + " " + strings.Join(params, " ") + " " + target + " 301\n")
	}
	for _, p := range queryPaths {
		m := map[string]string{}
		var links []aliasLink
		for _, a := range byPath[p] {
			m[normQuery(a.Query)] = cfg.RelURL(a.Target.URL)
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
