package serve

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"bantin/internal/build"
)

// Rebuild tests drive Server directly, with the Change the watcher would
// send, and look at the Report, the pages served and the SSE events.

// The test site's articles: source file → URL.
var articles = map[string]string{
	"content/tin-tuc/so-ket-quy-iii.md":                 "/tin-tuc/so-ket-quy-iii/",
	"content/tin-tuc/hoi-nghi-chuyen-doi-so.md":         "/tin-tuc/hoi-nghi-chuyen-doi-so/",
	"content/tin-tuc/hoc-tap-nghi-quyet.md":             "/tin-tuc/hoc-tap-nghi-quyet/",
	"content/tin-tuc/ket-nap-dang-vien.md":              "/tin-tuc/ket-nap-dang-vien/",
	"content/tin-tuc/kiem-tra-giam-sat.md":              "/tin-tuc/kiem-tra-giam-sat/",
	"content/tin-tuc/tong-ket-nam-2021.md":              "/tin-tuc/tong-ket-nam-2021/",
	"content/hoat-dong/hien-mau.md":                     "/hoat-dong/hien-mau/",
	"content/hoat-dong/giai-bong-da.md":                 "/hoat-dong/giai-bong-da/",
	"content/hoat-dong/trong-cay.md":                    "/hoat-dong/trong-cay/",
	"content/hoat-dong/tham-hoi-gia-dinh-chinh-sach.md": "/hoat-dong/tham-hoi-gia-dinh-chinh-sach/",
}

// outPath is the output file of a URL path.
func outPath(url string) string { return strings.TrimPrefix(url, "/") + "index.html" }

// href is how pages link to a URL in the preview (root-relative).
func href(url string) string { return `href="` + url + `"` }

func mustRebuild(t *testing.T, s *Server, c Change) Report {
	t.Helper()
	rep := s.Rebuild(c)
	if rep.Err != nil {
		t.Fatalf("Rebuild(%+v): %v", c, rep.Err)
	}
	return rep
}

// mustFail rebuilds and fails the test unless the build fails with a message
// containing each of want; a recovered panic is never an acceptable failure.
func mustFail(t *testing.T, s *Server, c Change, want ...string) Report {
	t.Helper()
	rep := s.Rebuild(c)
	if rep.Err == nil {
		t.Fatalf("Rebuild(%+v) succeeded; want an error", c)
	}
	msg := rep.Err.Error()
	if strings.Contains(msg, "internal error") {
		t.Fatalf("Rebuild(%+v) panicked: %v", c, rep.Err)
	}
	for _, w := range want {
		if !strings.Contains(msg, w) {
			t.Errorf("error does not mention %q:\n%s", w, msg)
		}
	}
	return rep
}

// servedFiles returns a copy of the in-memory site.
func servedFiles(s *Server) map[string][]byte {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make(map[string][]byte, len(s.files))
	for p, b := range s.files {
		out[p] = b
	}
	return out
}

// noPageLinksTo fails if any served file still links to url.
func noPageLinksTo(t *testing.T, s *Server, url string) {
	t.Helper()
	for p, b := range servedFiles(s) {
		if strings.Contains(string(b), href(url)) {
			t.Errorf("%s still links to %s", p, url)
		}
	}
}

func TestRebuildEditBody(t *testing.T) {
	t.Parallel()
	dir := copySite(t)
	s, _ := newServer(t, dir)
	const file = "content/tin-tuc/so-ket-quy-iii.md"
	url := articles[file]
	if body := mustGet(t, s, url, 200); !strings.Contains(body, "sokettrai") {
		t.Fatalf("%s does not show its body", url)
	}

	// The second paragraph: not part of the summary shown in lists.
	replaceIn(t, dir, file, "sokettrai", "sokettraimoi")
	rep := mustRebuild(t, s, Change{Content: []string{file}})
	if rep.Stats.Read != 1 || rep.Stats.Parsed != 1 || rep.Stats.Converted != 1 {
		t.Errorf("one body edited: stats %+v, want 1 read, 1 parsed, 1 converted", rep.Stats)
	}
	if !slices.Contains(rep.Changed, outPath(url)) {
		t.Errorf("changed %v does not include %s", rep.Changed, outPath(url))
	}
	for f, u := range articles {
		if f != file && slices.Contains(rep.Changed, outPath(u)) {
			t.Errorf("unrelated article %s changed", outPath(u))
		}
	}
	t.Logf("body edit: %+v, %d rendered, changed %v", rep.Stats, rep.Rendered, rep.Changed)
	if body := mustGet(t, s, url, 200); !strings.Contains(body, "sokettraimoi") {
		t.Errorf("%s does not show the new body", url)
	}

	// The same file again, unchanged (an editor saving without edits): read, not parsed.
	rep = mustRebuild(t, s, Change{Content: []string{file}})
	if rep.Stats.Parsed != 0 || rep.Stats.Converted != 0 || len(rep.Changed) != 0 {
		t.Errorf("unchanged save: stats %+v, changed %v; want nothing parsed, converted or changed", rep.Stats, rep.Changed)
	}
	// An empty batch does nothing.
	rep = mustRebuild(t, s, Change{})
	if rep.Stats.Read != 0 || rep.Stats.Parsed != 0 || rep.Stats.Converted != 0 || len(rep.Changed) != 0 {
		t.Errorf("empty change: stats %+v, changed %v", rep.Stats, rep.Changed)
	}
	// A full rescan reads everything and redoes nothing.
	rep = mustRebuild(t, s, Change{Rescan: true})
	if rep.Stats.Read != len(articles) || rep.Stats.Parsed != 0 || rep.Stats.Converted != 0 || len(rep.Changed) != 0 {
		t.Errorf("rescan with no edits: stats %+v, changed %v", rep.Stats, rep.Changed)
	}
}

func TestRebuildEditTitle(t *testing.T) {
	t.Parallel()
	dir := copySite(t)
	s, _ := newServer(t, dir)
	const file = "content/tin-tuc/hoc-tap-nghi-quyet.md"
	replaceIn(t, dir, file, "title: Học tập, quán triệt Nghị quyết Trung ương 6", "title: Quán triệt Nghị quyết Trung ương 6 khóa XIII")
	rep := mustRebuild(t, s, Change{Content: []string{file}})
	if rep.Stats.Parsed != 1 {
		t.Errorf("stats %+v, want 1 parsed", rep.Stats)
	}
	if rep.Stats.Converted != 0 {
		t.Errorf("a title edit converted %d bodies; the body did not change", rep.Stats.Converted)
	}
	lists := []string{
		"/", "/tin-tuc/", "/the/hoc-tap-nghi-quyet/", "/dai-bieu/vu-huu-thi/",
		articles[file],
		articles["content/tin-tuc/hoi-nghi-chuyen-doi-so.md"], // newer neighbour
		articles["content/tin-tuc/ket-nap-dang-vien.md"],      // older neighbour
	}
	for _, u := range lists {
		if !slices.Contains(rep.Changed, outPath(u)) {
			t.Errorf("changed %v does not include %s", rep.Changed, outPath(u))
		}
		if body := mustGet(t, s, u, 200); !strings.Contains(body, "Quán triệt Nghị quyết Trung ương 6 khóa XIII") {
			t.Errorf("%s does not show the new title", u)
		}
	}
	if !slices.Contains(rep.Changed, "index.xml") {
		t.Errorf("the feed did not change: %v", rep.Changed)
	}
}

func TestRebuildAddArticle(t *testing.T) {
	t.Parallel()
	dir := copySite(t)
	s, _ := newServer(t, dir)
	sse, _ := listen(t, s)
	const file = "content/hoat-dong/hoi-thao-so-hoa.md"
	writeFile(t, dir, file, `---
title: Hội thảo số hóa hồ sơ đảng viên
date: 2022-10-20
tags: [Xây dựng Đảng, Số hóa hồ sơ]
participants:
  - "Nguyễn Thị Lan — Phó Bí thư Đảng ủy Khối"
  - "Đỗ Văn Mới — Trưởng phòng Công nghệ thông tin"
tasks:
  - {text: "Số hóa toàn bộ hồ sơ đảng viên", lead: "Ban Tổ chức Đảng ủy Khối", due: 2023-06, status: "mới"}
---

Hội thảo bàn cách số hóa hồ sơ đảng viên.
`)
	rep := mustRebuild(t, s, Change{Content: []string{file}})
	if rep.Stats.Parsed != 1 || rep.Stats.Converted != 1 {
		t.Errorf("one article added: stats %+v, want 1 parsed, 1 converted", rep.Stats)
	}
	const url = "/hoat-dong/hoi-thao-so-hoa/"
	if body := mustGet(t, s, url, 200); !strings.Contains(body, "Hội thảo bàn cách số hóa") {
		t.Errorf("%s does not show the new article", url)
	}
	for _, u := range []string{"/", "/hoat-dong/", "/the/xay-dung-dang/", "/the/so-hoa-ho-so/",
		"/dai-bieu/nguyen-thi-lan/", "/dai-bieu/do-van-moi/", "/nhiem-vu/"} {
		if body := mustGet(t, s, u, 200); !strings.Contains(body, href(url)) {
			t.Errorf("%s does not link to the new article", u)
		}
	}
	if body := mustGet(t, s, "/nhiem-vu/", 200); !strings.Contains(body, "Số hóa toàn bộ hồ sơ đảng viên") {
		t.Error("/nhiem-vu/ does not list the new task")
	}
	ev := sse.next(t, 10*time.Second)
	if ev.Name != "reload" || !strings.Contains(ev.Data, `"`+url+`"`) {
		t.Errorf("event %s %s; want reload naming %s", ev.Name, ev.Data, url)
	}
}

// A renamed file changes the slug: the old URL goes, the new one comes, and
// no list keeps the old link.
func TestRebuildRenameArticle(t *testing.T) {
	t.Parallel()
	dir := copySite(t)
	s, _ := newServer(t, dir)
	const oldFile, newFile = "content/tin-tuc/ket-nap-dang-vien.md", "content/tin-tuc/le-ket-nap-dang-vien-moi.md"
	oldURL, newURL := articles[oldFile], "/tin-tuc/le-ket-nap-dang-vien-moi/"
	if err := os.Rename(filepath.Join(dir, oldFile), filepath.Join(dir, newFile)); err != nil {
		t.Fatal(err)
	}
	rep := mustRebuild(t, s, Change{Content: []string{oldFile, newFile}})
	if rep.Stats.Parsed > 1 || rep.Stats.Converted > 1 {
		t.Errorf("a rename redid %+v; want at most the one file", rep.Stats)
	}
	mustGet(t, s, oldURL, 404)
	mustGet(t, s, newURL, 200)
	if !slices.Contains(rep.Changed, outPath(oldURL)) || !slices.Contains(rep.Changed, outPath(newURL)) {
		t.Errorf("changed %v; want both %s and %s", rep.Changed, outPath(oldURL), outPath(newURL))
	}
	for _, u := range []string{"/", "/tin-tuc/", "/the/phat-trien-dang-vien/", "/nhiem-vu/"} {
		if body := mustGet(t, s, u, 200); !strings.Contains(body, href(newURL)) {
			t.Errorf("%s does not link to %s", u, newURL)
		}
	}
	noPageLinksTo(t, s, oldURL)
}

// A deleted article leaves every list, and a tag or person only it had goes too.
func TestRebuildDeleteArticle(t *testing.T) {
	t.Parallel()
	dir := copySite(t)
	s, _ := newServer(t, dir)
	const file = "content/hoat-dong/hien-mau.md"
	url := articles[file]
	mustGet(t, s, "/the/hien-mau/", 200)
	mustGet(t, s, "/dai-bieu/pham-thu-ha/", 200)
	if err := os.Remove(filepath.Join(dir, file)); err != nil {
		t.Fatal(err)
	}
	rep := mustRebuild(t, s, Change{Content: []string{file}})
	if rep.Stats.Parsed != 0 || rep.Stats.Converted != 0 {
		t.Errorf("a delete redid %+v; want nothing parsed or converted", rep.Stats)
	}
	for _, u := range []string{url, "/the/hien-mau/", "/dai-bieu/pham-thu-ha/"} {
		mustGet(t, s, u, 404)
		if !slices.Contains(rep.Changed, outPath(u)) {
			t.Errorf("changed %v does not include the removed %s", rep.Changed, outPath(u))
		}
	}
	noPageLinksTo(t, s, url)
	noPageLinksTo(t, s, "/the/hien-mau/")
	noPageLinksTo(t, s, "/dai-bieu/pham-thu-ha/")
	for _, u := range []string{"/the/", "/dai-bieu/", "/hoat-dong/", "/"} {
		body := mustGet(t, s, u, 200)
		for _, gone := range []string{"Hiến máu", "Phạm Thu Hà", "Ngày hội hiến máu"} {
			if strings.Contains(body, gone) {
				t.Errorf("%s still shows %q", u, gone)
			}
		}
	}
}

// Broken YAML: the error with file:line goes to every tab, the last good
// site stays up, and fixing the file reloads the tabs.
func TestRebuildBrokenYAMLThenFixed(t *testing.T) {
	t.Parallel()
	dir := copySite(t)
	s, log := newServer(t, dir)
	sse, first := listen(t, s)
	if first.Name != "hello" {
		t.Fatalf("first event %s %s; want hello", first.Name, first.Data)
	}
	const file = "content/tin-tuc/so-ket-quy-iii.md"
	url := articles[file]
	good := readFile(t, dir, file)
	replaceIn(t, dir, file, "tags: [Chuyển đổi số, Xây dựng Đảng]", "tags: [Chuyển đổi số, Xây dựng Đảng")
	rep := mustFail(t, s, Change{Content: []string{file}}, file+":4:", "YAML")

	// The last good page, with the reload script, still served.
	body := mustGet(t, s, url, 200)
	if !strings.Contains(body, "sokettrai") || !strings.Contains(body, "/__bantin/reload.js") {
		t.Errorf("%s: not the last good page with the reload script", url)
	}
	mustGet(t, s, "/", 200)

	ev := sse.next(t, 10*time.Second)
	var data struct {
		Errors []string `json:"errors"`
		Paths  []string `json:"paths"`
	}
	if ev.Name != "builderror" {
		t.Fatalf("event %s %s; want builderror", ev.Name, ev.Data)
	}
	if err := json.Unmarshal([]byte(ev.Data), &data); err != nil {
		t.Fatal(err)
	}
	if len(data.Errors) == 0 || !strings.HasPrefix(data.Errors[0], file+":4:") {
		t.Errorf("builderror errors %q; want %s:4: first", data.Errors, file)
	}
	if !strings.Contains(log.String(), file+":4:") {
		t.Errorf("the terminal log does not show the error:\n%s", log.String())
	}
	if s.Last().Err != rep.Err {
		t.Error("Last() is not the failed rebuild")
	}

	// A tab opened while the site is broken is told at once.
	late, lateFirst := listen(t, s)
	if lateFirst.Name != "builderror" || !strings.Contains(lateFirst.Data, file+":4:") {
		t.Errorf("a new tab's first event %s %s; want builderror with %s:4:", lateFirst.Name, lateFirst.Data, file)
	}

	// Fixed, with a new word: the tabs reload and the page shows it.
	writeFile(t, dir, file, strings.Replace(good, "sokettrai", "dasuaxong", 1))
	mustRebuild(t, s, Change{Content: []string{file}})
	for _, c := range []*sseClient{sse, late} {
		ev := c.next(t, 10*time.Second)
		if ev.Name != "reload" {
			t.Fatalf("after the fix: event %s %s; want reload", ev.Name, ev.Data)
		}
		data.Paths = nil
		if err := json.Unmarshal([]byte(ev.Data), &data); err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(data.Paths, url) {
			t.Errorf("reload paths %v do not include %s", data.Paths, url)
		}
	}
	if body := mustGet(t, s, url, 200); !strings.Contains(body, "dasuaxong") {
		t.Errorf("%s does not show the fixed file", url)
	}

	// Broken and fixed back to the very same bytes: nothing changed, but the
	// tabs still showing the error must reload.
	replaceIn(t, dir, file, "title: Sơ kết", "title: \"Sơ kết")
	mustFail(t, s, Change{Content: []string{file}}, file+":")
	if ev := sse.next(t, 10*time.Second); ev.Name != "builderror" {
		t.Fatalf("event %s; want builderror", ev.Name)
	}
	replaceIn(t, dir, file, "title: \"Sơ kết", "title: Sơ kết")
	rep = mustRebuild(t, s, Change{Content: []string{file}})
	if len(rep.Changed) != 0 {
		t.Errorf("fixed back to the same bytes, but changed %v", rep.Changed)
	}
	if ev := sse.next(t, 10*time.Second); ev.Name != "reload" {
		t.Fatalf("event %s; want reload after the fix", ev.Name)
	}
}

// Bad input of every kind is an error, never a panic, and the site stays up.
func TestRebuildBadInputKeepsServing(t *testing.T) {
	t.Parallel()
	dir := copySite(t)
	s, _ := newServer(t, dir)
	// Each case listens with its own tab, so that late events of one case
	// are not taken for the next one's.
	check := func(t *testing.T, sse *sseClient) {
		t.Helper()
		for _, u := range []string{"/", "/tin-tuc/so-ket-quy-iii/", "/hoat-dong/", "/nhiem-vu/"} {
			mustGet(t, s, u, 200)
		}
		if ev := sse.next(t, 10*time.Second); ev.Name != "builderror" {
			t.Errorf("event %s %s; want builderror", ev.Name, ev.Data)
		}
	}
	fixed := func(t *testing.T, sse *sseClient, c Change) {
		t.Helper()
		mustRebuild(t, s, c)
		if ev := sse.next(t, 10*time.Second); ev.Name != "reload" {
			t.Errorf("event %s %s; want reload", ev.Name, ev.Data)
		}
	}

	t.Run("binary file saved as .md", func(t *testing.T) {
		sse, _ := listen(t, s)
		const file = "content/tin-tuc/anh.md"
		jpeg := []byte{0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 'J', 'F', 'I', 'F', 0x00, 0x01, 0x01, '\n', 0x00, 0x48, 0xff, 0xdb}
		if err := os.WriteFile(filepath.Join(dir, file), jpeg, 0o644); err != nil {
			t.Fatal(err)
		}
		mustFail(t, s, Change{Content: []string{file}}, file, "UTF-8")
		check(t, sse)
		os.Remove(filepath.Join(dir, file))
		fixed(t, sse, Change{Content: []string{file}})
	})

	t.Run("random bytes", func(t *testing.T) {
		const file = "content/tin-tuc/rac.md"
		r := rand.New(rand.NewPCG(1, 2))
		for i := range 20 {
			b := make([]byte, 1+r.IntN(2000))
			for j := range b {
				b[j] = byte(r.UintN(256))
			}
			if i%2 == 0 { // half of them look like front matter
				b = append([]byte("---\ntitle: "), append(b, "\n---\n"...)...)
			}
			if err := os.WriteFile(filepath.Join(dir, file), b, 0o644); err != nil {
				t.Fatal(err)
			}
			if rep := s.Rebuild(Change{Content: []string{file}}); rep.Err != nil && strings.Contains(rep.Err.Error(), "internal error") {
				t.Fatalf("garbage %d panicked: %v", i, rep.Err)
			}
			mustGet(t, s, "/", 200)
		}
		os.Remove(filepath.Join(dir, file))
		mustRebuild(t, s, Change{Content: []string{file}})
	})

	t.Run("content folder deleted", func(t *testing.T) {
		sse, _ := listen(t, s)
		// The menu links to /hoat-dong/: without the section that is an
		// error in site.yaml.
		saved := t.TempDir()
		if err := os.Rename(filepath.Join(dir, "content/hoat-dong"), filepath.Join(saved, "hoat-dong")); err != nil {
			t.Fatal(err)
		}
		mustFail(t, s, Change{Rescan: true}, "site.yaml", "/hoat-dong/")
		check(t, sse)
		if body := mustGet(t, s, "/hoat-dong/hien-mau/", 200); !strings.Contains(body, "hienmau") {
			t.Error("the last good page of the deleted section is not served")
		}
		if err := os.Rename(filepath.Join(saved, "hoat-dong"), filepath.Join(dir, "content/hoat-dong")); err != nil {
			t.Fatal(err)
		}
		fixed(t, sse, Change{Rescan: true})
	})

	t.Run("whole content folder deleted", func(t *testing.T) {
		sse, _ := listen(t, s)
		saved := t.TempDir()
		if err := os.Rename(filepath.Join(dir, "content"), filepath.Join(saved, "content")); err != nil {
			t.Fatal(err)
		}
		mustFail(t, s, Change{Rescan: true})
		check(t, sse)
		if err := os.Rename(filepath.Join(saved, "content"), filepath.Join(dir, "content")); err != nil {
			t.Fatal(err)
		}
		fixed(t, sse, Change{Rescan: true})
	})

	t.Run("template syntax error", func(t *testing.T) {
		sse, _ := listen(t, s)
		const file = "layouts/article.html"
		writeFile(t, dir, file, "{{template \"base\" .}}\n{{define \"main\"}}<h1>{{.Page.Article.Title}</h1>{{end}}\n")
		mustFail(t, s, Change{Layouts: true}, file+":2")
		check(t, sse)
		os.Remove(filepath.Join(dir, file))
		fixed(t, sse, Change{Layouts: true})
	})

	t.Run("template execution error", func(t *testing.T) {
		sse, _ := listen(t, s)
		const file = "layouts/article.html"
		writeFile(t, dir, file, "{{template \"base\" .}}\n{{define \"main\"}}<h1>{{.Page.KhongCo}}</h1>{{end}}\n")
		mustFail(t, s, Change{Layouts: true}, file, "KhongCo")
		check(t, sse)
		os.Remove(filepath.Join(dir, file))
		fixed(t, sse, Change{Layouts: true})
	})

	t.Run("site.yaml broken", func(t *testing.T) {
		sse, _ := listen(t, s)
		good := readFile(t, dir, "site.yaml")
		writeFile(t, dir, "site.yaml", good+"paginat: 5\n")
		mustFail(t, s, Change{Config: true}, "site.yaml")
		check(t, sse)
		writeFile(t, dir, "site.yaml", "title: [không đóng\n")
		mustFail(t, s, Change{Config: true}, "site.yaml")
		check(t, sse)
		os.Remove(filepath.Join(dir, "site.yaml"))
		if rep := s.Rebuild(Change{Config: true}); rep.Err != nil {
			if strings.Contains(rep.Err.Error(), "internal error") {
				t.Fatalf("no site.yaml panicked: %v", rep.Err)
			}
			check(t, sse)
		}
		writeFile(t, dir, "site.yaml", good)
		mustRebuild(t, s, Change{Config: true})
	})
}

// A bundle folder moved away in one piece: the batch names only the folder
// (polling, or an event the watcher could not place), and its page must go.
func TestRebuildFolderMovedAway(t *testing.T) {
	t.Parallel()
	dir := copySite(t)
	s, _ := newServer(t, dir)
	writeFile(t, dir, "content/tin-tuc/dai-hoi/index.md", "---\ntitle: Đại hội chi bộ\ndate: 2022-04-04\n---\n\nĐại hội.\n")
	writeFile(t, dir, "content/tin-tuc/dai-hoi/bien-ban.txt", "biên bản")
	mustRebuild(t, s, Change{Content: []string{"content/tin-tuc/dai-hoi"}})
	mustGet(t, s, "/tin-tuc/dai-hoi/", 200)
	mustGet(t, s, "/tin-tuc/dai-hoi/bien-ban.txt", 200)
	if err := os.Rename(filepath.Join(dir, "content/tin-tuc/dai-hoi"), filepath.Join(t.TempDir(), "dai-hoi")); err != nil {
		t.Fatal(err)
	}
	mustRebuild(t, s, Change{Content: []string{"content/tin-tuc/dai-hoi"}})
	mustGet(t, s, "/tin-tuc/dai-hoi/", 404)
	mustGet(t, s, "/tin-tuc/dai-hoi/bien-ban.txt", 404)
	noPageLinksTo(t, s, "/tin-tuc/dai-hoi/")
}

func TestRebuildConfigChange(t *testing.T) {
	t.Parallel()
	dir := copySite(t)
	s, _ := newServer(t, dir)
	replaceIn(t, dir, "site.yaml", "title: Đảng ủy Khối Thử nghiệm", "title: Đảng ủy Khối Đổi tên")
	rep := mustRebuild(t, s, Change{Config: true})
	// The title is on every page, but parses and conversions do not depend on it.
	if rep.Stats.Parsed != 0 || rep.Stats.Converted != 0 {
		t.Errorf("a new site title parsed %d files and converted %d bodies; want none", rep.Stats.Parsed, rep.Stats.Converted)
	}
	for _, u := range []string{"/", "/tin-tuc/so-ket-quy-iii/", "/nhiem-vu/"} {
		if body := mustGet(t, s, u, 200); !strings.Contains(body, "Đảng ủy Khối Đổi tên") {
			t.Errorf("%s does not show the new site title", u)
		}
	}
	// The timezone changes what every date means: every file is parsed again.
	replaceIn(t, dir, "site.yaml", "title: Đảng ủy Khối Đổi tên", "title: Đảng ủy Khối Đổi tên\ntimezone: Asia/Tokyo")
	rep = mustRebuild(t, s, Change{Config: true})
	if rep.Stats.Parsed != len(articles) {
		t.Errorf("a new timezone parsed %d files; want all %d", rep.Stats.Parsed, len(articles))
	}
	// The Markdown settings change every body: converted again, none parsed.
	replaceIn(t, dir, "site.yaml", "timezone: Asia/Tokyo", "timezone: Asia/Tokyo\nmarkdown: {unsafe: true}")
	rep = mustRebuild(t, s, Change{Config: true})
	if rep.Stats.Parsed != 0 || rep.Stats.Converted < len(articles) {
		t.Errorf("new Markdown settings parsed %d files and converted %d bodies; want 0 and every body (%d)", rep.Stats.Parsed, rep.Stats.Converted, len(articles))
	}
}

// A stylesheet change tells the tabs to swap CSS, not to reload.
func TestRebuildCSSOnly(t *testing.T) {
	t.Parallel()
	dir := copySite(t)
	s, _ := newServer(t, dir)
	sse, _ := listen(t, s)
	before := mustGet(t, s, "/tin-tuc/so-ket-quy-iii/", 200)
	writeFile(t, dir, "static/css/bantin.css", "body { background-color: rgb(0, 128, 0); }\n")
	rep := mustRebuild(t, s, Change{Static: true, CSSOnly: true})
	if !rep.CSSOnly || rep.Stats.Parsed != 0 || rep.Stats.Converted != 0 {
		t.Errorf("css change: %+v", rep)
	}
	ev := sse.next(t, 10*time.Second)
	if ev.Name != "css" {
		t.Errorf("event %s %s; want css", ev.Name, ev.Data)
	}
	sse.none(t, 300*time.Millisecond)
	// Minified as build publishes it (rgb(0, 128, 0) is green).
	if css := mustGet(t, s, "/css/bantin.css", 200); !strings.Contains(css, "background-color:green") {
		t.Errorf("/css/bantin.css is not the new file: %q", css)
	}
	// The page links the stylesheet with a new cache-busting hash.
	after := mustGet(t, s, "/tin-tuc/so-ket-quy-iii/", 200)
	link := func(b string) string {
		i := strings.Index(b, `href="/css/bantin.css`)
		if i < 0 {
			t.Fatal("no link to /css/bantin.css")
		}
		return b[i : i+strings.Index(b[i+6:], `"`)+7]
	}
	if link(before) == link(after) {
		t.Errorf("stylesheet link unchanged: %s", link(after))
	}

	// A script change reloads.
	writeFile(t, dir, "static/js/site.js", "console.log('xin chào')\n")
	mustRebuild(t, s, Change{Static: true})
	if ev := sse.next(t, 10*time.Second); ev.Name != "reload" {
		t.Errorf("event %s %s; want reload after a js change", ev.Name, ev.Data)
	}
	if js := mustGet(t, s, "/js/site.js", 200); !strings.Contains(js, "xin chào") {
		t.Errorf("/js/site.js: %q", js)
	}
}

// The preview serves the built site only: never a source file, never a path
// outside it, however the path is spelled.
func TestServePathSafety(t *testing.T) {
	t.Parallel()
	dir := copySite(t)
	writeFile(t, dir, "content/tin-tuc/dai-hoi/index.md", "---\ntitle: Đại hội chi bộ\ndate: 2022-04-04\n---\n\nĐại hội.\n")
	writeFile(t, dir, "content/tin-tuc/dai-hoi/bien-ban.txt", "biên bản đại hội")
	writeFile(t, dir, ".env", "SECRET=khong-duoc-lo\n")
	s, _ := newServer(t, dir)
	sources := walkFiles(t, dir)
	paths := []string{
		"/../site.yaml", "/site.yaml", "/%2e%2e/site.yaml", "/%2E%2E/site.yaml", "/..%2fsite.yaml",
		"/tin-tuc/../../site.yaml", "/tin-tuc/%2e%2e/%2e%2e/site.yaml", "/./site.yaml", "//site.yaml",
		"/content/tin-tuc/so-ket-quy-iii.md", "/content/", "/content", "/content/tin-tuc/",
		"/content/tin-tuc/dai-hoi/bien-ban.txt", "/tin-tuc/dai-hoi/index.md", "/tin-tuc/so-ket-quy-iii.md",
		"/layouts/", "/static/css/bantin.css", "/static/", "/.env", "/%2e%2e/.env", "/../../../../etc/passwd",
		"/..\\site.yaml", "/tin-tuc/..%5c..%5csite.yaml", "/site.yaml%00.html", "/%00",
	}
	for _, p := range paths {
		code, body := rawGet(t, s, p)
		if code != 404 {
			t.Errorf("GET %s: status %d, want 404", p, code)
		}
		for name, b := range sources {
			if len(b) > 8 && strings.Contains(body, string(b)) {
				t.Errorf("GET %s: response holds the bytes of %s", p, name)
			}
		}
		if strings.Contains(body, "SECRET=") || strings.Contains(body, "baseURL:") || strings.Contains(body, "root:x:0") {
			t.Errorf("GET %s: response leaks a source file", p)
		}
	}
	// What the site does publish is there.
	mustGet(t, s, "/tin-tuc/dai-hoi/bien-ban.txt", 200)
	mustGet(t, s, "/css/bantin.css", 200)
	mustGet(t, s, "/tin-tuc/dai-hoi/", 200)
	// A folder without its slash is redirected (never off-site), not listed.
	for p, want := range map[string]string{
		"/tin-tuc": "/tin-tuc/", "//tin-tuc": "/tin-tuc/", "///tin-tuc": "/tin-tuc/",
		"/the/../tin-tuc": "/tin-tuc/", "/tin-tuc?trang=2": "/tin-tuc/?trang=2",
	} {
		req := httptest.NewRequest(http.MethodGet, "http://127.0.0.1:1313"+p, nil)
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		if loc := rec.Header().Get("Location"); rec.Code != 301 || loc != want {
			t.Errorf("GET %s: %d to %q; want 301 to %q", p, rec.Code, loc, want)
		}
	}
	// Only GET and HEAD.
	if code, _ := rawMethod(t, s, "POST", "/"); code != 405 {
		t.Errorf("POST /: status %d, want 405", code)
	}
}

// The reload script is in every HTML page the preview serves, in no other
// response, and never in what `bantin build` writes.
func TestReloadScriptOnlyInPreview(t *testing.T) {
	t.Parallel()
	dir := copySite(t)
	s, _ := newServer(t, dir)
	const tag = `<script src="/__bantin/reload.js" defer></script>`
	for p, b := range servedFiles(s) {
		code, body := get(t, s, urlOf(p))
		if code != 200 {
			t.Errorf("GET %s: %d", urlOf(p), code)
			continue
		}
		isHTML := strings.HasSuffix(p, ".html")
		if isHTML && (!strings.Contains(body, tag) || strings.Index(body, tag) > strings.LastIndex(body, "</body>")) {
			t.Errorf("%s: no reload script before </body>", p)
		}
		if !isHTML && strings.Contains(body, "__bantin") {
			t.Errorf("%s (not HTML) has the reload script", p)
		}
		if strings.Contains(string(b), "__bantin") {
			t.Errorf("%s: the rendered page itself holds the reload script", p)
		}
	}
	if code, body := get(t, s, "/khong-co-trang-nay/"); code != 404 || !strings.Contains(body, tag) {
		t.Errorf("404 page: status %d, reload script %v", code, strings.Contains(body, tag))
	}
	if js := mustGet(t, s, "/__bantin/reload.js", 200); !strings.Contains(js, "EventSource") {
		t.Error("/__bantin/reload.js is not the reload script")
	}

	out := filepath.Join(t.TempDir(), "public")
	if _, err := build.Build(context.Background(), build.Options{Source: dir, Dest: out}); err != nil {
		t.Fatal(err)
	}
	n := 0
	for p, b := range walkFiles(t, out) {
		n++
		if strings.Contains(string(b), "__bantin") || strings.Contains(string(b), "EventSource") {
			t.Errorf("bantin build wrote the reload script into %s", p)
		}
	}
	if n < 30 {
		t.Errorf("build wrote only %d files", n)
	}
	if _, err := os.Stat(filepath.Join(dir, "public")); err == nil {
		t.Error("the preview or the build test wrote into the site folder")
	}
}

// Pages are served whole while rebuilds replace the site (run with -race).
func TestServeWhileRebuilding(t *testing.T) {
	t.Parallel()
	dir := copySite(t)
	s, _ := newServer(t, dir)
	sse, _ := listen(t, s)
	const file = "content/tin-tuc/so-ket-quy-iii.md"
	good := readFile(t, dir, file)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				for _, u := range []string{"/", "/tin-tuc/so-ket-quy-iii/", "/the/", "/css/bantin.css"} {
					if code, body := get(t, s, u); code != 200 || len(body) < 20 {
						t.Errorf("GET %s during a rebuild: %d (%d bytes)", u, code, len(body))
					}
				}
			}
		})
	}
	wg.Go(func() {
		for range sse.events { // a tab that keeps up
		}
	})
	for i := range 10 {
		writeFile(t, dir, file, strings.Replace(good, "sokettrai", "lan"+string(rune('a'+i)), 1))
		if rep := s.Rebuild(Change{Content: []string{file}}); rep.Err != nil {
			t.Error(rep.Err)
		}
	}
	close(stop)
	s.Close() // ends the event stream
	wg.Wait()
}
