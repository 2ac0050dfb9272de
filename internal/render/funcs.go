package render

import (
	"fmt"
	"html/template"
	"strings"
	"time"

	"bantin/internal/viet"
)

// placeholderFuncs declares the function names for parsing; Render binds
// the real ones, which need the site.
func placeholderFuncs() template.FuncMap {
	var r renderer
	return r.funcMap()
}

// funcMap is every function layouts may call, each given exactly what it needs.
func (r *renderer) funcMap() template.FuncMap {
	return template.FuncMap{
		// partialCached renders a partial once per build for each variant key:
		// {{partialCached "partials/sidebar.html" . (eq .Page.Kind "home")}}.
		"partialCached": r.partialCached,
		// photo gives a photo's published image: {{with photo .Cover}}<img src="{{.Thumb}}" srcset="{{.Srcset}}" …>{{end}}.
		"photo": func(p *Photo) (Image, error) {
			if p == nil {
				return Image{}, nil
			}
			if r.opts.Photo == nil {
				return Image{}, fmt.Errorf("photo %s: no image processor given to render", p.File)
			}
			return r.opts.Photo(p.src)
		},
		// photoGrid is an article's photo grid (partials/photo-grid.html of its
		// photos), made once for its article and album pages: {{photoGrid $a}}.
		"photoGrid": r.photoGrid,
		// relURL puts a site path under baseURL's path: "/tin-tuc/" → "/sub/tin-tuc/".
		// It takes URLs as people write them (menu entries, a video's src),
		// so a query, a fragment and %XX escapes are kept.
		"relURL": func(p string) string { return r.s.Config.RelRef(p) },
		// absURL makes a site path absolute with baseURL's host.
		"absURL": func(p string) string { return r.s.Config.AbsRef(p) },
		// asset is the URL of a static or built-in file with a cache-busting hash.
		"asset": r.asset,
		// date formats a time with site.yaml's date_format: "Thứ Năm, 24/11/2022".
		"date": func(t time.Time) string { return viet.FormatDate(t, r.s.Config.DateFormat) },
		// dateShort is "24/11/2022".
		"dateShort": func(t time.Time) string { return viet.FormatDate(t, "{dd}/{mm}/{yyyy}") },
		// datetime is the machine-readable form for <time datetime>.
		"datetime": func(t time.Time) string { return t.Format(time.RFC3339) },
		// due shows a task's due date: "31/12/2022", or "tháng 12/2022" for
		// a month: {{due .Due .DueMonth}}. Functions take the values they
		// read, not a view, so a page's fingerprint covers what they read.
		"due": func(due time.Time, month bool) string {
			if due.IsZero() {
				return ""
			}
			if month {
				return viet.FormatDate(due, "tháng {mm}/{yyyy}")
			}
			return viet.FormatDate(due, "{dd}/{mm}/{yyyy}")
		},
		// slug is the Vietnamese slug rule, for ids and classes.
		"slug": viet.Slug,
		// join joins strings with sep.
		"join": func(list []string, sep string) string { return strings.Join(list, sep) },
		// add adds integers (for numbering).
		"add": func(a, b int) int { return a + b },
		// active reports whether menu URL u is the current page or one of its parents.
		"active": isActive,
		// menuKey names which menu entries are active on a page, as a
		// partialCached variant: pages with the same key share one header.
		"menuKey": func(page string) string {
			var b strings.Builder
			for i, m := range r.s.Config.Menu {
				if isActive(m.URL, page) {
					fmt.Fprintf(&b, "%d,", i)
				}
			}
			return b.String()
		},
	}
}

// ReservedID reports whether id is one the built-in layouts put around an
// article's body (so a heading in the body must not take it).
func ReservedID(id string) bool {
	switch id {
	case "noi-dung", "thanh-phan", "nhiem-vu", "bai-viet", "hinh-anh":
		return true
	}
	if n, ok := strings.CutPrefix(id, "nhiem-vu-"); ok && n != "" && strings.Trim(n, "0123456789") == "" {
		return true
	}
	return false
}

// isActive reports whether menu URL u is the page or one of its parents.
func isActive(u, page string) bool {
	if u == "/" {
		return page == "/"
	}
	return strings.HasPrefix(page, u)
}
