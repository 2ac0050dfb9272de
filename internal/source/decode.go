package source

import (
	"strings"
	"time"
	"unique"

	"bantin/internal/diag"
	"bantin/internal/viet"
)

// knownKeys are the front-matter keys of SPEC §2.
var knownKeys = []string{
	"title", "date", "event_date", "summary", "category", "tags", "participants", "tasks",
	"images", "cover", "video", "draft", "slug", "aliases", "pinned", "expiry",
}

// hugoKeys are Hugo's names for our keys, too far from ours for nearKey:
// a Hugo user's expiryDate silently ignored would keep a notice up for good.
var hugoKeys = map[string]string{"expirydate": "expiry"}

// decoder turns a front-matter tree into a Page's typed fields, reporting
// every problem with its line.
type decoder struct {
	file     string
	loc      *time.Location
	problems *diag.List
}

func (d *decoder) errorf(n *node, format string, args ...any) {
	d.problems.Errorf(d.file, n.line, format, args...)
}

func (d *decoder) page(p *Page, fm *node) {
	for i, key := range fm.keys {
		v := fm.vals[i]
		switch key {
		case "title":
			p.Title = d.text(key, v)
		case "date":
			p.Date = d.date(key, v)
		case "event_date":
			p.EventDate = d.date(key, v)
		case "expiry":
			p.Expiry = d.date(key, v)
		case "summary":
			p.Summary = d.text(key, v)
		case "category":
			p.Category = intern(d.text(key, v))
		case "tags":
			for _, t := range d.strings(key, v) {
				if t = collapse(t); t != "" {
					p.Tags = append(p.Tags, t)
				}
			}
		case "participants":
			p.Participants = d.participants(v)
		case "tasks":
			p.Tasks = d.tasks(v)
		case "images":
			p.Images = d.images(v)
		case "cover":
			p.Cover = d.text(key, v)
		case "video":
			p.Video = d.video(v)
		case "draft":
			p.Draft = d.bool(key, v)
		case "pinned":
			p.Pinned = d.bool(key, v)
		case "slug":
			p.Slug = d.text(key, v)
			if p.Slug != "" && viet.Slug(p.Slug) == "" {
				d.errorf(v, "slug %q has no letters or digits to make a URL from", p.Slug)
			}
		case "aliases":
			for j, a := range d.strings(key, v) {
				line := v.line
				if j < len(v.list) {
					line = v.list[j].line
				}
				if !strings.HasPrefix(a, "/") {
					d.problems.Errorf(d.file, line, "alias %q must be a path from the site root, starting with /", a)
					continue
				}
				p.Aliases = append(p.Aliases, Alias{Path: a, Line: line})
			}
		default:
			if k := nearKey(key); k != "" {
				d.problems.Warnf(d.file, v.line, "unknown front-matter key %q: did you mean %q?", key, k)
			}
			p.Params[strings.Clone(key)] = v.toGo()
		}
	}
	if p.Kind == ListMeta {
		return
	}
	if strings.TrimSpace(p.Title) == "" {
		d.problems.Errorf(d.file, fm.line, "title is required: add a line title: \"…\" to the front matter")
	}
	if p.Date.IsZero() && p.Section != "" && fm.get("date") == nil {
		d.problems.Errorf(d.file, fm.line, "date is required for an article: add date: 2022-11-24 (or 24/11/2022) to the front matter")
	}
	if !p.Expiry.IsZero() && !p.Date.IsZero() && !p.Expiry.After(p.Date) {
		d.problems.Warnf(d.file, fm.get("expiry").line, "expiry %s is not after date %s: the page will never be shown",
			p.Expiry.Format("2006-01-02 15:04"), p.Date.Format("2006-01-02 15:04"))
	}
}

// text reads a string value; numbers and booleans are taken as written.
// It is a copy, as is every string a page keeps: the parsers' strings share the front matter's text, which
// a page must not keep alive for one title.
func (d *decoder) text(key string, n *node) string {
	switch n.kind {
	case kScalar:
		return strings.Clone(strings.TrimSpace(n.str))
	case kNull:
		return ""
	case kTime:
		return n.tm.Format(time.RFC3339)
	}
	d.errorf(n, "%s: expected text, got %s", key, n.describe())
	return ""
}

func (d *decoder) bool(key string, n *node) bool {
	if n.kind == kScalar {
		switch strings.ToLower(strings.TrimSpace(n.str)) {
		case "true", "yes":
			return true
		case "false", "no", "":
			return false
		}
	}
	if n.kind == kNull {
		return false
	}
	d.errorf(n, "%s: expected true or false, got %s", key, n.describe())
	return false
}

func (d *decoder) date(key string, n *node) time.Time {
	switch n.kind {
	case kTime:
		return d.tomlTime(n.tm)
	case kScalar:
		t, err := viet.ParseDate(n.str, d.loc)
		if err != nil {
			d.errorf(n, "%s: %v", key, err)
		}
		return t
	case kNull:
		return time.Time{}
	}
	d.errorf(n, "%s: expected a date like 2022-11-24 or 24/11/2022, got %s", key, n.describe())
	return time.Time{}
}

// tomlTime re-reads a TOML local date or datetime (no offset) in the site's zone.
func (d *decoder) tomlTime(t time.Time) time.Time {
	// BurntSushi/toml marks local values with these zone names (internal/tz.go).
	switch t.Location().String() {
	case "date-local", "datetime-local", "time-local":
		return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), d.loc)
	}
	return t.In(d.loc)
}

// strings reads a list of strings; a single string is a list of one.
func (d *decoder) strings(key string, n *node) []string {
	switch n.kind {
	case kNull:
		return nil
	case kScalar:
		if s := strings.TrimSpace(n.str); s != "" {
			return []string{strings.Clone(s)}
		}
		return nil
	case kList:
		out := make([]string, 0, len(n.list))
		for _, item := range n.list {
			if item.kind != kScalar {
				d.errorf(item, "%s: expected a list of text, but an item is %s", key, item.describe())
				continue
			}
			out = append(out, strings.Clone(strings.TrimSpace(item.str)))
		}
		return out
	}
	d.errorf(n, "%s: expected a list like [\"a\", \"b\"], got %s", key, n.describe())
	return nil
}

func (d *decoder) list(key, example string, n *node) []*node {
	switch n.kind {
	case kNull:
		return nil
	case kList:
		return n.list
	}
	d.errorf(n, "%s: expected a list (each item on a line starting with \"- \", e.g. %s), got %s", key, example, n.describe())
	return nil
}

// fields checks a map item's keys against the ones it may have.
func (d *decoder) fields(what string, n *node, allowed ...string) {
	for i, k := range n.keys {
		ok := false
		for _, a := range allowed {
			ok = ok || a == k
		}
		if !ok {
			d.problems.Warnf(d.file, n.vals[i].line, "%s: unknown key %q (known: %s)", what, k, strings.Join(allowed, ", "))
		}
	}
}

func (d *decoder) participants(n *node) []Participant {
	var out []Participant
	for _, item := range d.list("participants", `- "Vũ Hữu Thi — Bí thư Đảng ủy Khối"`, n) {
		var p Participant
		p.Line = item.line
		switch item.kind {
		case kScalar:
			name, role := SplitNameRole(item.str)
			p.Name, p.Role = intern(name), intern(role)
		case kMap:
			d.fields("participants", item, "name", "role", "chair", "id")
			for i, k := range item.keys {
				v := item.vals[i]
				switch k {
				case "name":
					p.Name = d.text("participants: name", v)
				case "role":
					p.Role = d.text("participants: role", v)
				case "chair":
					p.Chair = d.bool("participants: chair", v)
				case "id":
					p.ID = d.text("participants: id", v)
				}
			}
		default:
			d.errorf(item, "participants: expected a name, \"Name — Role\" or {name, role, chair}, got %s", item.describe())
			continue
		}
		p.Name, p.Role = collapse(p.Name), collapse(p.Role)
		if p.Name == "" {
			d.errorf(item, "participants: an entry has no name")
			continue
		}
		out = append(out, p)
	}
	return out
}

// SplitNameRole splits "Name — Role" on an em dash, an en dash or " - ".
func SplitNameRole(s string) (name, role string) {
	for _, sep := range []string{"—", "–", " - "} {
		if i := strings.Index(s, sep); i >= 0 {
			return strings.TrimSpace(s[:i]), strings.TrimSpace(s[i+len(sep):])
		}
	}
	return strings.TrimSpace(s), ""
}

// collapse trims s and turns each run of white space into one space. The
// result is interned: names, roles, tags and units repeat across thousands
// of pages, and a 100,000-article site must not hold each once per page.
func collapse(s string) string {
	return intern(strings.Join(strings.Fields(s), " "))
}

// intern returns the one shared copy of s.
func intern(s string) string { return unique.Make(s).Value() }

func (d *decoder) tasks(n *node) []Task {
	var out []Task
	for _, item := range d.list("tasks", `- "Hoàn thành báo cáo"`, n) {
		t := Task{Line: item.line}
		switch item.kind {
		case kScalar:
			t.Text = intern(strings.TrimSpace(item.str))
		case kMap:
			d.fields("tasks", item, "text", "lead", "support", "due", "status")
			for i, k := range item.keys {
				v := item.vals[i]
				switch k {
				case "text":
					t.Text = intern(d.text("tasks: text", v))
				case "lead":
					t.Lead = collapse(d.text("tasks: lead", v))
				case "support":
					for _, s := range d.strings("tasks: support", v) {
						t.Support = append(t.Support, collapse(s))
					}
				case "due":
					switch v.kind {
					case kTime:
						t.Due = d.tomlTime(v.tm)
					case kScalar:
						var err error
						t.Due, t.DueMonth, err = viet.ParseMonthOrDate(v.str, d.loc)
						if err != nil {
							d.errorf(v, "tasks: due: %v", err)
						}
					case kNull:
					default:
						d.errorf(v, "tasks: due: expected a date (2022-12-31) or a month (2022-12), got %s", v.describe())
					}
				case "status":
					s := strings.ToLower(collapse(d.text("tasks: status", v)))
					switch s {
					case "", StatusNew, StatusInProgress, StatusDone:
						t.Status = s
					default:
						d.errorf(v, "tasks: status %q is not one of: %s, %s, %s", s, StatusNew, StatusInProgress, StatusDone)
					}
				}
			}
		default:
			d.errorf(item, "tasks: expected text or {text, lead, support, due, status}, got %s", item.describe())
			continue
		}
		if t.Text == "" {
			d.errorf(item, "tasks: an entry has no text")
			continue
		}
		out = append(out, t)
	}
	return out
}

func (d *decoder) images(n *node) []Image {
	var out []Image
	for _, item := range d.list("images", `- anh-1.jpg`, n) {
		im := Image{Line: item.line}
		switch item.kind {
		case kScalar:
			im.Src = intern(strings.TrimSpace(item.str)) // photos repeat across articles
		case kMap:
			d.fields("images", item, "src", "caption")
			for i, k := range item.keys {
				switch k {
				case "src":
					im.Src = d.text("images: src", item.vals[i])
				case "caption":
					im.Caption = d.text("images: caption", item.vals[i])
				}
			}
		default:
			d.errorf(item, "images: expected a path or {src, caption}, got %s", item.describe())
			continue
		}
		if im.Src == "" {
			d.errorf(item, "images: an entry has no src")
			continue
		}
		out = append(out, im)
	}
	return out
}

func (d *decoder) video(n *node) *Video {
	if n.kind == kNull {
		return nil
	}
	if n.kind != kMap {
		d.errorf(n, "video: expected {youtube: ID} or {src: /videos/x.mp4, poster: …}, got %s", n.describe())
		return nil
	}
	d.fields("video", n, "youtube", "src", "poster")
	v := &Video{Line: n.line}
	for i, k := range n.keys {
		switch k {
		case "youtube":
			v.YouTube = d.text("video: youtube", n.vals[i])
		case "src":
			v.Src = d.text("video: src", n.vals[i])
		case "poster":
			v.Poster = d.text("video: poster", n.vals[i])
		}
	}
	if v.YouTube == "" && v.Src == "" {
		d.errorf(n, "video: give youtube: <ID> or src: <path to the video file>")
		return nil
	}
	return v
}

// nearKey returns the known key within two edits of key, or "".
func nearKey(key string) string {
	if k, ok := hugoKeys[strings.ToLower(key)]; ok {
		return k
	}
	best, bestDist := "", 3
	for _, k := range knownKeys {
		if dist := editDistance(strings.ToLower(key), k); dist < bestDist {
			best, bestDist = k, dist
		}
	}
	if strings.ToLower(key) == best && key != best {
		return best // a case slip: Title for title
	}
	if bestDist == 0 {
		return ""
	}
	return best
}

// editDistance is the optimal string alignment distance (Levenshtein plus
// adjacent transpositions), so "paticipants" and "tilte" are one or two edits away.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	if abs(len(ra)-len(rb)) > 2 {
		return 3
	}
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
