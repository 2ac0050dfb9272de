// Package config turns site.yaml into a typed, validated Config.
//
// Decoding is strict: an unknown or mistyped key is an error naming the line
// (and the known key within two edits of it), because a silently ignored key
// is the worst kind of mistake an editor can make. site.yaml is decoded key
// by key (decode.go), so every problem of the file — unknown keys, wrong
// types, duplicates, bad values — is reported in one run, in file order.
// Defaults (SPEC §4) are filled in here so no later stage has to know them.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"reflect"
	"sort"
	"strings"
	"time"

	yaml "github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"

	"bantin/internal/diag"
	"bantin/internal/urlpath"
)

// File is the name of the configuration file at the site's root.
const File = "site.yaml"

// Config is site.yaml, decoded and defaulted.
type Config struct {
	Title       string            `yaml:"title"`
	Description string            `yaml:"description"`
	BaseURL     string            `yaml:"baseURL"`
	Language    string            `yaml:"language"`
	Timezone    string            `yaml:"timezone"`
	Paginate    int               `yaml:"paginate"`
	Minify      *bool             `yaml:"minify"`
	DateFormat  string            `yaml:"date_format"`
	Menu        []Link            `yaml:"menu"`
	Links       []Link            `yaml:"links"`
	Markdown    Markdown          `yaml:"markdown"`
	Images      Images            `yaml:"images"`
	Paths       Paths             `yaml:"paths"`
	Sections    map[string]string `yaml:"sections"`
	Logo        string            `yaml:"logo"`        // the emblem in the header
	ShareImage  string            `yaml:"share_image"` // og:image of pages without a cover
	Footer      Footer            `yaml:"footer"`

	// Location is Timezone loaded; every zone-less date is read in it.
	Location *time.Location `yaml:"-"`
	// Base is BaseURL parsed, its path always ending in "/".
	Base *url.URL `yaml:"-"`
}

// Link is a menu entry or a linked website.
type Link struct {
	Name  string `yaml:"name"`
	URL   string `yaml:"url"`
	Group string `yaml:"group"`
}

// Markdown holds the Markdown options.
type Markdown struct {
	Unsafe bool `yaml:"unsafe"`
}

// Images holds the image processing options.
type Images struct {
	Widths       []int `yaml:"widths"`
	Quality      int   `yaml:"quality"`
	KeepMetadata bool  `yaml:"keep_metadata"`
}

// Paths names the URL segments of the generated page kinds.
type Paths struct {
	Page         string `yaml:"page"`
	Tags         string `yaml:"tags"`
	Participants string `yaml:"participants"`
	Tasks        string `yaml:"tasks"`
	Gallery      string `yaml:"gallery"`
	Video        string `yaml:"video"`
	Links        string `yaml:"links"`
	Search       string `yaml:"search"`
}

// Footer is the contact block shown at the bottom of every page.
type Footer struct {
	Address   string `yaml:"address"`
	Phone     string `yaml:"phone"`
	Email     string `yaml:"email"`
	Editor    string `yaml:"editor"` // "Chịu trách nhiệm chính: …"
	License   string `yaml:"license"`
	Copyright string `yaml:"copyright"`
}

// MinifyOn reports whether output is minified (default true).
func (c *Config) MinifyOn() bool { return c.Minify == nil || *c.Minify }

// SectionTitle is the display name of a section: site.yaml's sections, else the given fallback.
func (c *Config) SectionTitle(name, fallback string) string {
	if t, ok := c.Sections[name]; ok && t != "" {
		return t
	}
	return fallback
}

// Load reads and validates site.yaml from the root of fsys.
func Load(fsys fs.FS) (*Config, error) {
	data, err := fs.ReadFile(fsys, File)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, diag.Diagnostic{Path: File, Msg: "no site.yaml here: is -s pointing at a site folder?"}
		}
		return nil, err
	}
	return Parse(data)
}

// Parse decodes site.yaml's bytes. Every problem is reported, in file
// order: unknown keys, wrong types, duplicates and bad values alike.
func Parse(data []byte) (*Config, error) {
	// A byte order mark (Notepad writes one) would be read as part of the
	// first key; it is not on a line of its own, so lines count the same.
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	// go-yaml counts a comment's \r\n as two lines; Windows editors save \r\n.
	data = bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
	file, err := parse(data)
	if err != nil {
		return nil, err
	}
	var c Config
	d := newDecoder()
	var body ast.Node
	for _, doc := range file.Docs {
		if doc == nil || doc.Body == nil {
			continue
		}
		if body != nil {
			d.errorAt(doc.Body, "site.yaml holds a second YAML document (after ---): put every key in the first")
			continue
		}
		body = doc.Body
		d.collectAnchors(body)
	}
	d.mapping(body, reflect.ValueOf(&c).Elem(), "")
	c.defaults(d)
	if err := d.sorted().Err(); err != nil {
		return nil, err
	}
	return &c, nil
}

// parse reads site.yaml's tree. go-yaml panics on some malformed input (a
// bare tag where a list belongs: "menu:\n  !x"), so a panic is an error too.
func parse(data []byte) (file *ast.File, err error) {
	defer func() {
		if r := recover(); r != nil {
			file, err = nil, diag.Diagnostic{Path: File, Msg: fmt.Sprintf("site.yaml could not be read (%v); check its YAML syntax", r)}
		}
	}()
	file, err = parser.ParseBytes(data, 0, parser.AllowDuplicateMapKey()) // the decoder reports duplicates with the rest
	if err != nil {
		return nil, yamlDiag(File, err)
	}
	return file, nil
}

// yamlDiag turns a go-yaml error into a diagnostic with its line and column.
func yamlDiag(path string, err error) error {
	var ye yaml.Error
	if errors.As(err, &ye) {
		d := diag.Diagnostic{Path: path, Msg: ye.GetMessage()}
		if tk := ye.GetToken(); tk != nil && tk.Position != nil {
			d.Line, d.Col = tk.Position.Line, tk.Position.Column
		}
		return d
	}
	return diag.Diagnostic{Path: path, Msg: err.Error()}
}

// Limits of images.widths: each variant is one more decode-and-encode of
// every photo, so a list of thousands would run for hours.
const (
	MaxWidth  = 4000
	MaxWidths = 8
)

// defaults fills in SPEC §4's defaults and checks the values, each problem
// at the line of its value; a value that could not be decoded is not
// checked again.
func (c *Config) defaults(d *decoder) {
	bad := func(path, format string, args ...any) {
		if !d.failed[path] {
			d.valueError(path, format, args...)
		}
	}
	if strings.TrimSpace(c.Title) == "" {
		bad("title", "title is required")
	}
	if c.BaseURL == "" {
		c.BaseURL = "/"
	}
	if err := c.SetBaseURL(c.BaseURL); err != nil {
		bad("baseURL", "%v", err)
		_ = c.SetBaseURL("/") // later checks and a fuzzer may still look at Base
	}
	if c.Language == "" {
		c.Language = "vi"
	}
	if c.Timezone == "" && d.has("timezone") {
		// Not silently the default, nor UTC (time.LoadLocation("") is UTC).
		bad("timezone", "timezone is empty: name a zone like Asia/Ho_Chi_Minh, or remove the line for the default Asia/Ho_Chi_Minh")
	}
	if c.Timezone == "" {
		c.Timezone = "Asia/Ho_Chi_Minh"
	}
	loc, err := time.LoadLocation(c.Timezone)
	switch {
	case c.Timezone == "Local" || strings.EqualFold(c.Timezone, "local"):
		// Local is whatever zone the building machine is set to: the
		// same site would show other dates on a laptop and in CI.
		bad("timezone", "timezone %q is the building machine's own zone, which differs between machines: name an IANA zone like Asia/Ho_Chi_Minh", c.Timezone)
		loc = time.FixedZone("ICT", 7*3600)
	case err != nil:
		bad("timezone", "timezone %q is not a time zone name like Asia/Ho_Chi_Minh", c.Timezone)
		loc = time.FixedZone("ICT", 7*3600)
	}
	c.Location = loc
	if c.Paginate == 0 {
		c.Paginate = 10
	}
	if c.Paginate < 0 {
		bad("paginate", "paginate must be a positive number, not %d", c.Paginate)
		c.Paginate = 10
	}
	if c.DateFormat == "" {
		c.DateFormat = "{weekday}, {dd}/{mm}/{yyyy}"
	}
	if len(c.Images.Widths) == 0 {
		c.Images.Widths = []int{320, 640, 1280}
	}
	if n := len(c.Images.Widths); n > MaxWidths {
		bad("images.widths", "images.widths lists %d widths; at most %d (each is one more resized copy of every photo)", n, MaxWidths)
	}
	seen := map[int]bool{}
	for i, w := range c.Images.Widths {
		at := fmt.Sprintf("images.widths[%d]", i)
		if l, _ := d.line(at); l == 0 {
			at = "images.widths"
		}
		switch {
		case w < 1 || w > MaxWidth:
			bad(at, "images.widths: %d is not a width in pixels between 1 and %d", w, MaxWidth)
		case seen[w]:
			bad(at, "images.widths lists %d twice", w)
		}
		seen[w] = true
	}
	sort.Ints(c.Images.Widths)
	if c.Images.Quality == 0 {
		c.Images.Quality = 80
	}
	if c.Images.Quality < 1 || c.Images.Quality > 100 {
		bad("images.quality", "images.quality must be between 1 and 100, not %d", c.Images.Quality)
	}
	p := &c.Paths
	for _, f := range []struct {
		v        *string
		key, def string
	}{
		{&p.Page, "page", "trang"}, {&p.Tags, "tags", "the"}, {&p.Participants, "participants", "dai-bieu"},
		{&p.Tasks, "tasks", "nhiem-vu"}, {&p.Gallery, "gallery", "hinh-anh"}, {&p.Video, "video", "video"},
		{&p.Links, "links", "lien-ket"}, {&p.Search, "search", "tim-kiem"},
	} {
		if *f.v == "" {
			*f.v = f.def
		}
		// Each names a folder of the output and a part of URLs and of _redirects lines.
		if err := urlpath.Segment(*f.v); err != nil {
			bad("paths."+f.key, "paths.%s: %q must be one URL segment such as %s: it %v", f.key, *f.v, f.def, err)
		}
	}
	for _, list := range []struct {
		key   string
		links []Link
	}{{"menu", c.Menu}, {"links", c.Links}} {
		for i, l := range list.links {
			at := fmt.Sprintf("%s[%d]", list.key, i)
			if (l.Name == "" || l.URL == "") && !d.failed[at+".name"] && !d.failed[at+".url"] {
				bad(at, "%s entry %d needs both name and url", list.key, i+1)
			}
		}
	}
}

// SetBaseURL sets BaseURL and Base (the -b flag goes through here too).
func (c *Config) SetBaseURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "" && u.Host == "") || u.RawQuery != "" || u.Fragment != "" {
		return fmt.Errorf("baseURL %q is not a URL like https://example.org/ or https://example.org/sub/", raw)
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
	}
	c.BaseURL, c.Base = u.String(), u
	return nil
}

// AbsURL turns a site path ("/tin-tuc/a/") into an absolute URL under baseURL.
// Without a host in baseURL it returns the root-relative URL.
func (c *Config) AbsURL(p string) string {
	if c.Base.Host == "" {
		return c.RelURL(p)
	}
	return c.Base.Scheme + "://" + c.Base.Host + c.RelURL(p)
}

// RelRef puts a URL path written by people (a menu entry "/tim-kiem/?q=a",
// a video's "/videos/Hội nghị.mp4") under baseURL's path: what a URL cannot
// hold is encoded, and its query, fragment and %XX escapes are kept.
func (c *Config) RelRef(ref string) string {
	if external(ref) {
		return urlpath.Normalize(ref) // another site's address, as written
	}
	return strings.TrimSuffix(c.Base.EscapedPath(), "/") + urlpath.Normalize("/"+strings.TrimPrefix(ref, "/"))
}

// external reports whether ref is an address on another site (http, https,
// mailto, tel or a protocol-relative //host); any other scheme, such as
// javascript:, is not one and stays a path under the site.
func external(ref string) bool {
	l := strings.ToLower(ref)
	for _, p := range []string{"http://", "https://", "mailto:", "tel:"} {
		if strings.HasPrefix(l, p) {
			return true
		}
	}
	return strings.HasPrefix(ref, "//") && len(ref) > 2 && ref[2] != '/'
}

// AbsRef is RelRef with baseURL's host, as AbsURL is RelURL's.
func (c *Config) AbsRef(ref string) string {
	if external(ref) {
		return urlpath.Normalize(ref)
	}
	if c.Base.Host == "" {
		return c.RelRef(ref)
	}
	return c.Base.Scheme + "://" + c.Base.Host + c.RelRef(ref)
}

// RelURL turns a site path ("/tin-tuc/a/", "/tin-tuc/b/Ảnh 1.jpg") into a
// root-relative URL under baseURL's path, percent-encoded: p is a path as
// files are named, so a %, ? or # in it is part of a name and is encoded too.
func (c *Config) RelURL(p string) string {
	return strings.TrimSuffix(c.Base.EscapedPath(), "/") + urlpath.Escape("/"+strings.TrimPrefix(p, "/"))
}
