package source

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"golang.org/x/text/unicode/norm"

	"bantin/internal/diag"
)

var hcm = mustZone("Asia/Ho_Chi_Minh")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

var opts = Options{Location: hcm}

// parseOK parses a file that must have no errors (warnings are allowed).
func parseOK(t *testing.T, file, text string) (*Page, diag.List) {
	t.Helper()
	p, problems := Parse(file, []byte(text), opts)
	if problems.HasErrors() || p == nil {
		t.Fatalf("Parse(%s): %v", file, problems)
	}
	return p, problems
}

func date(y int, m time.Month, d, hh, mm int) time.Time {
	return time.Date(y, m, d, hh, mm, 0, 0, hcm)
}

// allKeys is every key of SPEC §2 in one YAML front matter.
const allKeys = `---
title: "Sơ kết 1 năm quy chế phối hợp"
date: 2022-11-24 08:00
event_date: 18/11/2022
summary: Tóm tắt ngắn.
category: Xây dựng Đảng
tags: [phát triển đảng viên, "quy chế  phối hợp"]
participants:
  - {name: Vũ Hữu Thi, role: "Bí thư Đảng ủy Khối", chair: true}
  - "Nguyễn Hoàng Anh — Trưởng Ban Quản lý"
  - {name: Lê Văn Ba, id: lvb-1976}
tasks:
  - text: "Nắm bắt tình hình doanh nghiệp"
    lead: "Ban Quản lý các Khu công nghiệp tỉnh"
    support: Đảng ủy Khối
  - {text: "Mở lớp đối tượng kết nạp Đảng", support: [Ban Quản lý, Đảng ủy Khối], due: 2022-12, status: đang thực hiện}
  - {text: Báo cáo, due: 31/12/2022, status: Hoàn thành}
  - Tổ chức kết nạp đảng
images:
  - anh-1.jpg
  - {src: /images/hoi-nghi.jpg, caption: Toàn cảnh hội nghị}
cover: anh-1.jpg
video: {youtube: dQw4w9WgXcQ}
draft: false
pinned: yes
slug: so-ket-mot-nam
aliases:
  - /tin-cu/so-ket/
  - "/Default.aspx?tabid=1&ArticleId=42"
nguon: Báo Nhân Dân
xep_hang: 3
---

Ngày 18/11/2022, …
`

func TestParseAllKeysYAML(t *testing.T) {
	p, problems := parseOK(t, "content/tin-tuc/so-ket.md", allKeys)
	if len(problems) != 0 {
		t.Errorf("unexpected problems: %v", problems)
	}
	checkAllKeys(t, p)
	if p.BodyLine != 33 || string(p.Body) != "\nNgày 18/11/2022, …\n" {
		t.Errorf("body at line %d: %q", p.BodyLine, p.Body)
	}
	if got := p.Params["xep_hang"]; got != "3" {
		t.Errorf("Params[xep_hang] = %#v", got)
	}
}

// checkAllKeys checks the values of allKeys (and its TOML and JSON twins).
func checkAllKeys(t *testing.T, p *Page) {
	t.Helper()
	eq := func(what string, got, want any) {
		t.Helper()
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s = %#v, want %#v", what, got, want)
		}
	}
	eq("Kind", p.Kind, Article)
	eq("Section", p.Section, "tin-tuc")
	eq("Name", p.Name, "so-ket")
	eq("Title", p.Title, "Sơ kết 1 năm quy chế phối hợp")
	eq("Date", p.Date.String(), date(2022, 11, 24, 8, 0).String())
	eq("EventDate", p.EventDate.String(), date(2022, 11, 18, 0, 0).String())
	eq("Summary", p.Summary, "Tóm tắt ngắn.")
	eq("Category", p.Category, "Xây dựng Đảng")
	eq("Tags", p.Tags, []string{"phát triển đảng viên", "quy chế phối hợp"})
	if len(p.Participants) != 3 {
		t.Fatalf("participants: %+v", p.Participants)
	}
	pp := p.Participants
	eq("participant 0", [3]any{pp[0].Name, pp[0].Role, pp[0].Chair}, [3]any{"Vũ Hữu Thi", "Bí thư Đảng ủy Khối", true})
	eq("participant 1", [3]any{pp[1].Name, pp[1].Role, pp[1].Chair}, [3]any{"Nguyễn Hoàng Anh", "Trưởng Ban Quản lý", false})
	eq("participant 2", [2]any{pp[2].Name, pp[2].ID}, [2]any{"Lê Văn Ba", "lvb-1976"})
	if len(p.Tasks) != 4 {
		t.Fatalf("tasks: %+v", p.Tasks)
	}
	tk := p.Tasks
	eq("task 0 lead", tk[0].Lead, "Ban Quản lý các Khu công nghiệp tỉnh")
	eq("task 0 support", tk[0].Support, []string{"Đảng ủy Khối"})
	eq("task 1 support", tk[1].Support, []string{"Ban Quản lý", "Đảng ủy Khối"})
	eq("task 1 due", [2]any{tk[1].Due.String(), tk[1].DueMonth}, [2]any{date(2022, 12, 1, 0, 0).String(), true})
	eq("task 1 status", tk[1].Status, StatusInProgress)
	eq("task 2 due", [2]any{tk[2].Due.String(), tk[2].DueMonth}, [2]any{date(2022, 12, 31, 0, 0).String(), false})
	eq("task 2 status (case folded)", tk[2].Status, StatusDone)
	eq("task 3", [2]any{tk[3].Text, tk[3].Lead}, [2]any{"Tổ chức kết nạp đảng", ""})
	eq("images", []string{p.Images[0].Src, p.Images[1].Src, p.Images[1].Caption}, []string{"anh-1.jpg", "/images/hoi-nghi.jpg", "Toàn cảnh hội nghị"})
	eq("cover", p.Cover, "anh-1.jpg")
	if p.Video == nil || p.Video.YouTube != "dQw4w9WgXcQ" {
		t.Errorf("video = %+v", p.Video)
	}
	eq("draft", p.Draft, false)
	eq("pinned", p.Pinned, true)
	eq("slug", p.Slug, "so-ket-mot-nam")
	eq("aliases", []string{p.Aliases[0].Path, p.Aliases[1].Path}, []string{"/tin-cu/so-ket/", "/Default.aspx?tabid=1&ArticleId=42"})
	eq("Params[nguon]", p.Params["nguon"], "Báo Nhân Dân")
	for _, k := range []string{"title", "date", "tags", "slug"} {
		if _, ok := p.Params[k]; ok {
			t.Errorf("known key %q in Params", k)
		}
	}
}

const allKeysTOML = `+++
title = "Sơ kết 1 năm quy chế phối hợp"
date = 2022-11-24T08:00:00
event_date = 2022-11-18
summary = "Tóm tắt ngắn."
category = "Xây dựng Đảng"
tags = ["phát triển đảng viên", "quy chế  phối hợp"]
participants = [
  {name = "Vũ Hữu Thi", role = "Bí thư Đảng ủy Khối", chair = true},
  "Nguyễn Hoàng Anh — Trưởng Ban Quản lý",
  {name = "Lê Văn Ba", id = "lvb-1976"},
]
tasks = [
  {text = "Nắm bắt tình hình doanh nghiệp", lead = "Ban Quản lý các Khu công nghiệp tỉnh", support = "Đảng ủy Khối"},
  {text = "Mở lớp đối tượng kết nạp Đảng", support = ["Ban Quản lý", "Đảng ủy Khối"], due = "2022-12", status = "đang thực hiện"},
  {text = "Báo cáo", due = "31/12/2022", status = "Hoàn thành"},
  "Tổ chức kết nạp đảng",
]
images = ["anh-1.jpg", {src = "/images/hoi-nghi.jpg", caption = "Toàn cảnh hội nghị"}]
cover = "anh-1.jpg"
video = {youtube = "dQw4w9WgXcQ"}
draft = false
pinned = true
slug = "so-ket-mot-nam"
aliases = ["/tin-cu/so-ket/", "/Default.aspx?tabid=1&ArticleId=42"]
nguon = "Báo Nhân Dân"
+++

Ngày 18/11/2022, …
`

func TestParseAllKeysTOML(t *testing.T) {
	p, problems := parseOK(t, "content/tin-tuc/so-ket.md", allKeysTOML)
	if len(problems) != 0 {
		t.Errorf("unexpected problems: %v", problems)
	}
	checkAllKeys(t, p)
	if p.BodyLine != 28 {
		t.Errorf("BodyLine = %d, want 28", p.BodyLine)
	}
}

const allKeysJSON = `{
  "title": "Sơ kết 1 năm quy chế phối hợp",
  "date": "2022-11-24T08:00:00+07:00",
  "event_date": "2022-11-18",
  "summary": "Tóm tắt ngắn.",
  "category": "Xây dựng Đảng",
  "tags": ["phát triển đảng viên", "quy chế  phối hợp"],
  "participants": [
    {"name": "Vũ Hữu Thi", "role": "Bí thư Đảng ủy Khối", "chair": true},
    "Nguyễn Hoàng Anh — Trưởng Ban Quản lý",
    {"name": "Lê Văn Ba", "id": "lvb-1976"}
  ],
  "tasks": [
    {"text": "Nắm bắt tình hình doanh nghiệp", "lead": "Ban Quản lý các Khu công nghiệp tỉnh", "support": "Đảng ủy Khối"},
    {"text": "Mở lớp đối tượng kết nạp Đảng", "support": ["Ban Quản lý", "Đảng ủy Khối"], "due": "2022-12", "status": "đang thực hiện"},
    {"text": "Báo cáo", "due": "31/12/2022", "status": "Hoàn thành"},
    "Tổ chức kết nạp đảng"
  ],
  "images": ["anh-1.jpg", {"src": "/images/hoi-nghi.jpg", "caption": "Toàn cảnh hội nghị"}],
  "cover": "anh-1.jpg",
  "video": {"youtube": "dQw4w9WgXcQ"},
  "draft": false,
  "pinned": true,
  "slug": "so-ket-mot-nam",
  "aliases": ["/tin-cu/so-ket/", "/Default.aspx?tabid=1&ArticleId=42"],
  "nguon": "Báo Nhân Dân"
}

Ngày 18/11/2022, …
`

func TestParseAllKeysJSON(t *testing.T) {
	p, problems := parseOK(t, "content/tin-tuc/so-ket.md", allKeysJSON)
	if len(problems) != 0 {
		t.Errorf("unexpected problems: %v", problems)
	}
	checkAllKeys(t, p)
}

// TestDateForms: SPEC §2's four forms; a date without zone is in the site's
// zone, never UTC, in all three formats.
func TestDateForms(t *testing.T) {
	for _, tc := range []struct {
		fm   string // the date line(s), in the format of the fence
		want time.Time
	}{
		{"---\ndate: 2022-11-24\n---", date(2022, 11, 24, 0, 0)},
		{"---\ndate: 2022-11-24 23:30\n---", date(2022, 11, 24, 23, 30)},
		{"---\ndate: 2022-11-24T08:30:00+07:00\n---", date(2022, 11, 24, 8, 30)},
		{"---\ndate: 2022-11-24T20:00:00Z\n---", date(2022, 11, 25, 3, 0)},
		{"---\ndate: 24/11/2022\n---", date(2022, 11, 24, 0, 0)},
		{"---\ndate: 24/11/2022 08:30\n---", date(2022, 11, 24, 8, 30)},
		{"---\ndate: \"2022-11-24\"\n---", date(2022, 11, 24, 0, 0)},
		{"+++\ndate = 2022-11-24\n+++", date(2022, 11, 24, 0, 0)},
		{"+++\ndate = 2022-11-24T23:30:00\n+++", date(2022, 11, 24, 23, 30)},
		{"+++\ndate = 2022-11-24 23:30:00\n+++", date(2022, 11, 24, 23, 30)},
		{"+++\ndate = 2022-11-24T20:00:00Z\n+++", date(2022, 11, 25, 3, 0)},
		{"+++\ndate = \"24/11/2022\"\n+++", date(2022, 11, 24, 0, 0)},
		{"{\n\"date\": \"2022-11-24 23:30\"\n}\n", date(2022, 11, 24, 23, 30)},
	} {
		fm := strings.Replace(tc.fm, "\n", "\ntitle: x\n", 1)
		switch fm[0] {
		case '+':
			fm = strings.Replace(tc.fm, "\n", "\ntitle = \"x\"\n", 1)
		case '{':
			fm = strings.Replace(tc.fm, "\n", "\n\"title\": \"x\",\n", 1)
		}
		p, problems := Parse("content/tin-tuc/a.md", []byte(fm+"\nBody.\n"), opts)
		if problems.HasErrors() {
			t.Errorf("%q: %v", tc.fm, problems)
			continue
		}
		if !p.Date.Equal(tc.want) || p.Date.Location().String() != hcm.String() {
			t.Errorf("%q: date %v, want %v", tc.fm, p.Date, tc.want)
		}
	}
}

// TestLocationOfLocalDates: TOML's local date-times follow the site's zone
// whatever the zone: a site in New York reads 2022-11-24 as that day there.
func TestLocationOfLocalDates(t *testing.T) {
	ny := mustZone("America/New_York")
	for _, text := range []string{
		"+++\ntitle = \"x\"\ndate = 2022-11-24\n+++\n",
		"+++\ntitle = \"x\"\ndate = 2022-11-24T00:00:00\n+++\n",
		"---\ntitle: x\ndate: 2022-11-24\n---\n",
	} {
		p, problems := Parse("content/a/b.md", []byte(text), Options{Location: ny})
		if problems.HasErrors() {
			t.Fatal(problems)
		}
		if want := time.Date(2022, 11, 24, 0, 0, 0, 0, ny); !p.Date.Equal(want) {
			t.Errorf("%q: %v, want %v", text, p.Date, want)
		}
	}
}

// TestErrorLines: a mistake is reported at its line in the file (the opening
// fence is line 1), with what was expected.
func TestErrorLines(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		line       int
		msg        string
	}{
		{"yaml date", "---\ntitle: x\ndate: hôm qua\n---\n", 3, `date: "hôm qua" is not a date`},
		{"yaml tasks", "---\ntitle: x\ndate: 2022-11-24\ntasks: 5\n---\n", 4, "tasks: expected a list"},
		{"yaml status", "---\ntitle: x\ndate: 2022-11-24\ntasks:\n  - text: a\n  - text: b\n    status: xong\n---\n", 7, `tasks: status "xong" is not one of: mới, đang thực hiện, hoàn thành`},
		{"yaml status flow", "---\ntitle: x\ndate: 2022-11-24\ntasks: [{text: a, status: done}]\n---\n", 4, `status "done"`},
		{"yaml due", "---\ntitle: x\ndate: 2022-11-24\ntasks:\n  - text: a\n    due: sang năm\n---\n", 6, "tasks: due:"},
		{"yaml event_date", "---\ntitle: x\ndate: 2022-11-24\nevent_date: 31/02/2022\n---\n", 4, "event_date:"},
		{"yaml draft", "---\ntitle: x\ndate: 2022-11-24\ndraft: maybe\n---\n", 4, "draft: expected true or false"},
		{"yaml title list", "---\ntitle: [a, b]\ndate: 2022-11-24\n---\n", 2, "title: expected text, got a list"},
		{"yaml tags map", "---\ntitle: x\ndate: 2022-11-24\ntags: {a: b}\n---\n", 4, "tags: expected a list"},
		{"yaml participant", "---\ntitle: x\ndate: 2022-11-24\nparticipants:\n  - [a, b]\n---\n", 5, "participants: expected a name"},
		{"yaml participant no name", "---\ntitle: x\ndate: 2022-11-24\nparticipants:\n  - {role: Bí thư}\n---\n", 5, "no name"},
		{"yaml images", "---\ntitle: x\ndate: 2022-11-24\nimages:\n  - {caption: x}\n---\n", 5, "images: an entry has no src"},
		{"yaml video", "---\ntitle: x\ndate: 2022-11-24\nvideo: abc\n---\n", 4, "video: expected"},
		{"yaml alias", "---\ntitle: x\ndate: 2022-11-24\naliases:\n  - /a/\n  - tin-cu/b\n---\n", 6, "must be a path from the site root"},
		{"yaml slug", "---\ntitle: x\ndate: 2022-11-24\nslug: \"!!!\"\n---\n", 4, "slug"},
		{"yaml duplicate key", "---\ntitle: x\ndate: 2022-11-24\ntitle: y\n---\n", 4, `key "title" appears twice`},
		{"yaml syntax", "---\ntitle: x\ndate: 2022-11-24\ntags: [a, b\nsummary: c\n---\n", 4, "not valid YAML"}, // where the list opens
		{"yaml indent", "---\ntitle: x\n  date: 2022-11-24\n---\n", 3, "not valid YAML"},
		{"yaml list indent", "---\ntitle: x\ndate: 2022-11-24\ntags:\n  - a\n - b\n---\n", 6, "not valid YAML"},
		{"yaml colon in value", "---\ntitle: x\ndate: 2022-11-24\nsummary: Kết luận: tốt\n---\n", 4, "not valid YAML"},
		{"yaml flow map", "---\ntitle: x\ndate: 2022-11-24\nvideo: {youtube: abc\n---\n", 4, "not valid YAML"},
		{"yaml stray item", "---\ntitle: x\ndate: 2022-11-24\n- a\n---\n", 4, "not valid YAML"},
		{"yaml quote", "---\ndate: 2022-11-24\ntitle: \"abc\n---\n", 3, "not valid YAML"},
		{"yaml after comments", "---\n# one\n# two\ntitle: x\ndate: 2022-13-01\n---\n", 5, "date:"},
		{"yaml after blank lines", "\n\n---\ntitle: x\ndate: hôm qua\n---\n", 5, "date:"},
		{"yaml crlf", "---\r\ntitle: x\r\ndate: hôm qua\r\n---\r\n", 3, "date:"},
		{"yaml not a map", "---\n- a\n- b\n---\n", 2, "key: value"},
		{"unclosed", "---\ntitle: x\ndate: 2022-11-24\n\nBody.\n", 1, "never closed"},
		{"no front matter", "Chỉ có nội dung.\n", 1, "no front matter"},
		{"missing title", "---\ndate: 2022-11-24\n---\n", 2, "title is required"},
		{"missing date", "---\ntitle: x\n---\n", 2, "date is required"},
		{"toml date", "+++\ntitle = \"x\"\ndate = \"hôm qua\"\n+++\n", 3, `date: "hôm qua" is not a date`},
		{"toml tasks", "+++\ntitle = \"x\"\ndate = 2022-11-24\ntasks = 5\n+++\n", 4, "tasks: expected a list"},
		{"toml status", "+++\ntitle = \"x\"\ndate = 2022-11-24\n\n[[tasks]]\ntext = \"a\"\nstatus = \"xong\"\n+++\n", 5, `status "xong"`},
		{"toml video table", "+++\ntitle = \"x\"\ndate = 2022-11-24\n\n[video]\nposter = \"a.jpg\"\n+++\n", 5, "video: give youtube"},
		{"toml syntax", "+++\ntitle = \"x\"\ndate = 2022-11-24\ntags = [\"a\",\nsummary = 1\n+++\n", 5, "not valid TOML"},
		{"toml unterminated", "+++\ntitle = \"x\ndate = 2022-11-24\n+++\n", 2, "not valid TOML"},
		{"json date", "{\n  \"title\": \"x\",\n  \"date\": \"hôm qua\"\n}\n", 3, `date: "hôm qua" is not a date`},
		{"json tasks", "{\n  \"title\": \"x\",\n  \"date\": \"2022-11-24\",\n  \"tasks\": 5\n}\n", 4, "tasks: expected a list"},
		{"json syntax", "{\n  \"title\": \"x\",\n  \"date\": \"2022-11-24\",\n}\n", 4, "not valid JSON"},
		{"json missing comma", "{\n  \"title\": \"x\"\n  \"date\": \"2022-11-24\"\n}\n", 3, "not valid JSON"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, problems := Parse("content/tin-tuc/a.md", []byte(tc.text), opts)
			errs := problems.Errors()
			if len(errs) == 0 {
				t.Fatalf("no error; problems: %v", problems)
			}
			for _, d := range errs {
				if d.Line == tc.line && strings.Contains(d.Msg, tc.msg) {
					if d.Path != "content/tin-tuc/a.md" {
						t.Errorf("path %q", d.Path)
					}
					return
				}
			}
			t.Errorf("want line %d: …%s…; got %v", tc.line, tc.msg, errs)
		})
	}
}

// TestAllProblems: every mistake of a file is reported, not only the first.
func TestAllProblems(t *testing.T) {
	text := "---\ntitle: x\ndate: hôm qua\ntasks: 5\ndraft: có\npaticipants: [a]\n---\n"
	_, problems := Parse("content/a/b.md", []byte(text), opts)
	var lines []string
	for _, d := range problems {
		lines = append(lines, fmt.Sprintf("%d %v", d.Line, d.Warning))
	}
	if got, want := strings.Join(lines, ","), "3 false,4 false,5 false,6 true"; got != want {
		t.Errorf("problems at %s, want %s:\n%v", got, want, problems)
	}
}

// TestSplitNameRole: em dash, en dash and " - " split; a hyphen inside a
// name or role does not.
func TestSplitNameRole(t *testing.T) {
	for _, tc := range []struct{ in, name, role string }{
		{"Vũ Hữu Thi — Bí thư Đảng ủy Khối", "Vũ Hữu Thi", "Bí thư Đảng ủy Khối"},
		{"Vũ Hữu Thi—Bí thư", "Vũ Hữu Thi", "Bí thư"},
		{"Nguyễn Văn An – Chánh Văn phòng", "Nguyễn Văn An", "Chánh Văn phòng"},
		{"Trần Thị Bình - Trưởng Ban Tuyên giáo", "Trần Thị Bình", "Trưởng Ban Tuyên giáo"},
		{"Vũ Hữu Thi", "Vũ Hữu Thi", ""},
		{"  Vũ Hữu Thi  ", "Vũ Hữu Thi", ""},
		{"Lê Thị Thu-Hà", "Lê Thị Thu-Hà", ""},
		{"Lê Văn C - Phó Chủ tịch Hội Cựu chiến binh - Khối", "Lê Văn C", "Phó Chủ tịch Hội Cựu chiến binh - Khối"},
		{"Phạm Văn Hùng — Phó Bí thư – Thường trực", "Phạm Văn Hùng", "Phó Bí thư – Thường trực"},
	} {
		name, role := SplitNameRole(tc.in)
		if name != tc.name || role != tc.role {
			t.Errorf("SplitNameRole(%q) = %q, %q; want %q, %q", tc.in, name, role, tc.name, tc.role)
		}
	}
	// And in front matter, with spaces collapsed.
	p, _ := parseOK(t, "content/a/b.md", "---\ntitle: x\ndate: 2022-11-24\nparticipants:\n  - \"Nguyễn  Văn   An –  Chánh Văn phòng\"\n  - {name: \" Vũ Hữu  Thi \", role: Bí thư}\n---\n")
	if got := p.Participants; got[0].Name != "Nguyễn Văn An" || got[0].Role != "Chánh Văn phòng" || got[1].Name != "Vũ Hữu Thi" || got[0].Line != 5 || got[1].Line != 6 {
		t.Errorf("participants = %+v", got)
	}
}

// TestTypoWarnings: a key within two edits of a known one is a warning with
// its line; other unknown keys are kept silently; every unknown key is in Params.
func TestTypoWarnings(t *testing.T) {
	text := `---
title: x
date: 2022-11-24
paticipants: [a]
tilte: y
Tags: [c]
evnt_date: 2022-11-20
aliasses: [/a/]
nguon: Báo Nhân Dân
tac_gia: Ban Tuyên giáo
pinnned: true
---
`
	p, problems := parseOK(t, "content/a/b.md", text)
	want := map[int]string{4: "participants", 5: "title", 6: "tags", 7: "event_date", 8: "aliases", 11: "pinned"}
	for _, d := range problems {
		if !d.Warning {
			t.Errorf("error: %v", d)
			continue
		}
		k, ok := want[d.Line]
		if !ok || !strings.Contains(d.Msg, fmt.Sprintf("did you mean %q", k)) {
			t.Errorf("unexpected warning %v", d)
		}
		delete(want, d.Line)
	}
	for line, k := range want {
		t.Errorf("no warning at line %d for %s", line, k)
	}
	for _, k := range []string{"paticipants", "tilte", "Tags", "evnt_date", "aliasses", "nguon", "tac_gia", "pinnned"} {
		if _, ok := p.Params[k]; !ok {
			t.Errorf("Params lacks %q", k)
		}
	}
	if len(p.Participants) != 0 || p.Pinned || len(p.Tags) != 0 {
		t.Errorf("a typo'd key was used as the known key: %+v", p)
	}
	// Far from every key: no warning.
	for _, k := range []string{"nguon", "author", "weight", "layout", "toc"} {
		if nearKey(k) != "" {
			t.Errorf("nearKey(%q) = %q, want none", k, nearKey(k))
		}
	}
	for k, want := range map[string]string{"paticipants": "participants", "tilte": "title", "dat": "date", "slg": "slug", "Title": "title", "tasks": "", "summry": "summary", "covr": "cover"} {
		if got := nearKey(k); got != want {
			t.Errorf("nearKey(%q) = %q, want %q", k, got, want)
		}
	}
}

// TestTypoInItems: unknown keys inside list items warn with their line.
func TestTypoInItems(t *testing.T) {
	text := "---\ntitle: x\ndate: 2022-11-24\ntasks:\n  - text: a\n    laed: Văn phòng\nparticipants:\n  - {name: A, rol: B}\n---\n"
	_, problems := parseOK(t, "content/a/b.md", text)
	var got []string
	for _, d := range problems.Warnings() {
		got = append(got, fmt.Sprintf("%d:%s", d.Line, d.Msg))
	}
	if len(got) != 2 || !strings.HasPrefix(got[0], `6:tasks: unknown key "laed"`) || !strings.HasPrefix(got[1], `8:participants: unknown key "rol"`) {
		t.Errorf("warnings = %q", got)
	}
}

// TestNFC: NFD text (macOS, some editors) is read as NFC.
func TestNFC(t *testing.T) {
	text := norm.NFD.String("---\ntitle: Hội nghị Đảng ủy Khối\ndate: 24/11/2022\ntags: [Chuyển đổi số]\nparticipants: [\"Vũ Hữu Thi — Bí thư\"]\n---\n\nNội dung.\n")
	p, _ := parseOK(t, "content/tin-tuc/a.md", text)
	for _, s := range []string{p.Title, p.Tags[0], p.Participants[0].Name, p.Participants[0].Role, string(p.Body)} {
		if !norm.NFC.IsNormalString(s) {
			t.Errorf("not NFC: %q", s)
		}
	}
	if p.Title != "Hội nghị Đảng ủy Khối" {
		t.Errorf("title %q", p.Title)
	}
}

// TestKinds: _index.md is a list's meta (no date needed), index.md a bundle.
func TestKinds(t *testing.T) {
	p, _ := parseOK(t, "content/tin-tuc/_index.md", "---\ntitle: Tin tức\n---\n")
	if p.Kind != ListMeta || p.Section != "tin-tuc" {
		t.Errorf("_index.md: %+v", p)
	}
	p, _ = parseOK(t, "content/_index.md", "---\ntitle: Trang chủ\n---\n")
	if p.Kind != ListMeta || p.Section != "" || p.Dir != "" {
		t.Errorf("home _index.md: %+v", p)
	}
	p, _ = parseOK(t, "content/hoat-dong/ung-ho-bao-so-3/index.md", "---\ntitle: x\ndate: 2024-09-10\n---\n")
	if !p.Bundle || p.Name != "ung-ho-bao-so-3" || p.Dir != "hoat-dong/ung-ho-bao-so-3" || p.Section != "hoat-dong" {
		t.Errorf("bundle: %+v", p)
	}
	p, _ = parseOK(t, "content/gioi-thieu.md", "---\ntitle: Giới thiệu\n---\n")
	if p.Section != "" || p.Kind != Article {
		t.Errorf("standalone page: %+v", p)
	}
}

// TestLoad reads a whole content tree: path order, bundles with their
// resources, editors' temporary files ignored, a broken page left out but
// reported.
func TestLoad(t *testing.T) {
	page := func(title string) *fstest.MapFile {
		return &fstest.MapFile{Data: []byte("---\ntitle: " + title + "\ndate: 2022-11-24\n---\n\nx\n")}
	}
	fsys := fstest.MapFS{
		"site.yaml":                            {Data: []byte("title: x\n")},
		"content/_index.md":                    {Data: []byte("---\ntitle: Trang chủ\n---\n")},
		"content/tin-tuc/b.md":                 page("B"),
		"content/tin-tuc/a.md":                 page("A"),
		"content/tin-tuc/.a.md.swp":            {Data: []byte{0, 1, 2}},
		"content/tin-tuc/a.md~":                page("backup"),
		"content/tin-tuc/#a.md#":               page("emacs"),
		"content/tin-tuc/4913":                 {Data: []byte("vim")},
		"content/.git/HEAD.md":                 page("git"),
		"content/tin-tuc/loi.md":               {Data: []byte("---\ntitle: Lỗi\ndate: hôm qua\n---\n")},
		"content/hoat-dong/bao-so-3/index.md":  page("Bão số 3"),
		"content/hoat-dong/bao-so-3/anh-1.jpg": {Data: []byte("jpeg")},
		"content/hoat-dong/bao-so-3/anh-2.jpg": {Data: []byte("jpeg")},
		"content/hoat-dong/bao-so-3/.DS_Store": {Data: []byte("x")},
	}
	pages, problems := Load(fsys, opts)
	var files []string
	for _, p := range pages {
		files = append(files, p.File)
	}
	want := "content/_index.md content/hoat-dong/bao-so-3/index.md content/tin-tuc/a.md content/tin-tuc/b.md"
	if got := strings.Join(files, " "); got != want {
		t.Errorf("pages:\n got %s\nwant %s", got, want)
	}
	if len(problems) != 1 || problems[0].Path != "content/tin-tuc/loi.md" || problems[0].Line != 3 {
		t.Errorf("problems = %v", problems)
	}
	if b := pages[1]; !reflect.DeepEqual(b.Resources, []string{"anh-1.jpg", "anh-2.jpg"}) {
		t.Errorf("bundle resources = %q", b.Resources)
	}
	// No content/ at all: no pages, no problems.
	pages, problems = Load(fstest.MapFS{"site.yaml": {Data: []byte("title: x\n")}}, opts)
	if len(pages) != 0 || len(problems) != 0 {
		t.Errorf("empty site: %v %v", pages, problems)
	}
}

// TestNotText: a binary file saved as .md is an error naming the line of the
// first bad byte.
func TestNotText(t *testing.T) {
	for _, tc := range []struct {
		data []byte
		line int
	}{
		{[]byte{0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 'J', 'F', 'I', 'F'}, 1},
		{[]byte("---\ntitle: x\n\x00\n---\n"), 3},
		{[]byte("---\ntitle: Ph\xe1p lu\xe2t\ndate: 2022-11-24\n---\n"), 2}, // Windows-1258 bytes
	} {
		p, problems := Parse("content/a/b.md", tc.data, opts)
		if p != nil || len(problems) != 1 || problems[0].Line != tc.line || !strings.Contains(problems[0].Msg, "not a UTF-8 text file") {
			t.Errorf("%q: %v", tc.data, problems)
		}
	}
}

// TestBOMAndBlankLines: a UTF-8 byte order mark or blank lines before the
// fence do not hide the front matter.
func TestBlankLinesBeforeFence(t *testing.T) {
	p, _ := parseOK(t, "content/a/b.md", "\n\n---\ntitle: x\ndate: 2022-11-24\n---\nBody\n")
	if p.Title != "x" || p.BodyLine != 7 {
		t.Errorf("title %q, body line %d", p.Title, p.BodyLine)
	}
}

// TestExpiry: expiry is a date in every format, in the site's zone; one not
// after the date warns (the page would never show); Hugo's expiryDate warns.
func TestExpiry(t *testing.T) {
	for _, text := range []string{
		"---\ntitle: x\ndate: 2022-11-24\nexpiry: 2022-12-01 17:00\n---\n",
		"+++\ntitle = \"x\"\ndate = 2022-11-24\nexpiry = 2022-12-01T17:00:00\n+++\n",
		"{\n  \"title\": \"x\",\n  \"date\": \"2022-11-24\",\n  \"expiry\": \"01/12/2022 17:00\"\n}\n",
	} {
		p, problems := parseOK(t, "content/thong-bao/a.md", text)
		if len(problems) != 0 {
			t.Errorf("%q: %v", text, problems)
		}
		if want := date(2022, 12, 1, 17, 0); !p.Expiry.Equal(want) {
			t.Errorf("%q: expiry %v, want %v", text, p.Expiry, want)
		}
	}
	_, problems := parseOK(t, "content/thong-bao/a.md", "---\ntitle: x\ndate: 2022-11-24\nexpiry: 2022-11-24\n---\n")
	if len(problems) != 1 || !problems[0].Warning || problems[0].Line != 4 || !strings.Contains(problems[0].Msg, "never be shown") {
		t.Errorf("expiry = date: %v", problems)
	}
	_, problems = Parse("content/thong-bao/a.md", []byte("---\ntitle: x\ndate: 2022-11-24\nexpiry: sắp tới\n---\n"), opts)
	if len(problems) != 1 || problems[0].Line != 4 || !strings.Contains(problems[0].Msg, "expiry: \"sắp tới\" is not a date") {
		t.Errorf("bad expiry: %v", problems)
	}
	p, problems := parseOK(t, "content/thong-bao/a.md", "---\ntitle: x\ndate: 2022-11-24\nexpiryDate: 2022-12-01\n---\n")
	if len(problems) != 1 || !strings.Contains(problems[0].Msg, `did you mean "expiry"`) || !p.Expiry.IsZero() {
		t.Errorf("expiryDate: %v", problems)
	}
}
