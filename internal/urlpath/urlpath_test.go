package urlpath

import (
	"net/url"
	"strings"
	"testing"
)

// What an attacker or a careless editor writes in aliases: each must be refused.
var badAliases = []struct{ alias, want string }{
	{"/cu/\n/* /x/ 301!", "line break"},
	{"/cu/\r/* /x/ 301!", "line break"},
	{"/cu/\u2028x", "line break"},
	{"/a\tb/", "tab"},
	{"/a b/", "space"},
	{"/a\u00a0b/", "space"},
	{"/a\x00b", "control character"},
	{"/a\x7fb", "control character"},
	{"/a\u202eb/", "invisible"},
	{"/a\u200bb/", "invisible"},
	{"/../etc/passwd", ".. segment"},
	{"/a/../../b/", ".. segment"},
	{"/a/..", ".. segment"},
	{"/a/./b", ". segment"},
	{"/%2e%2e/x", ".. segment"},
	{"/%2E%2E%2Fx", ".. segment"},
	{"/a%2F..%2Fb", ".. segment"},
	{"/.git/config", "dot"},
	{"/.htaccess", "dot"},
	{"/.bantin", "dot"},
	{"//evil.example/", "//"},
	{"/%2Fevil.example/", "//"},
	{"/a//b/", "empty segment"},
	{"javascript:alert(1)", "scheme"},
	{"JavaScript:alert(1)", "scheme"},
	{"http://evil.example/", "scheme"},
	{"data:text/html,x", "scheme"},
	{"tin-cu/a/", "starting with /"},
	{"", "empty"},
	{"/*", "wildcard"},
	{"/tin-tuc/*", "wildcard"},
	{"/:splat", "placeholder"},
	{"/a\\..\\b", "backslash"},
	{"/a#b", "#"},
	{"/a%23b", "#"},
	{"/a%0Ab", "line break"},
	{"/a%20b", "space"},
	{"/100%/", "hex digits"},
	{"/a%zz", "hex digits"},
	{"/a%25", "% once decoded"},
	{"/a%3Fb", "? once decoded"},
	{"/a%ff", "UTF-8"},
	{"/a\xff", "UTF-8"},
	{"/a<b>", "should not hold"},
	{"/a\"b", "should not hold"},
	{"/" + strings.Repeat("a", 256) + "/", "more than 255"},
	{"/" + strings.Repeat("a/", 1001), "more than 2000"},
	{"/Default.aspx?", "no query"},
	{"/Default.aspx?tabid=1\n/* /x/ 301!", "line break"},
	{"/Default.aspx?tabid=1 x", "space"},
	{"/Default.aspx?tabid=1#x", "#"},
	{"/Default.aspx?print", "key=value"},
	{"/Default.aspx?=1", "key=value"},
	{"/Default.aspx?a=%0A", "line break"},
	{"/Default.aspx?a=%zz", "hex digits"},
}

func TestAliasRefused(t *testing.T) {
	for _, tc := range badAliases {
		_, _, err := Alias(tc.alias)
		if err == nil {
			t.Errorf("Alias(%q) accepted", tc.alias)
			continue
		}
		if !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Alias(%q) = %v, want it to say %q", tc.alias, err, tc.want)
		}
	}
}

func TestAliasAccepted(t *testing.T) {
	for _, tc := range []struct{ alias, path, query string }{
		{"/tin-cu/a/", "/tin-cu/a/", ""},
		{"/", "/", ""},
		{"/Default.aspx?tabid=1&ArticleId=42", "/Default.aspx", "tabid=1&ArticleId=42"},
		{"/index.php?option=com_content&id=5&lang=vi%20VN", "/index.php", "option=com_content&id=5&lang=vi%20VN"},
		{"/tin-t%E1%BB%A9c/bai-1.html", "/tin-tức/bai-1.html", ""},
		{"/tin-tức/bài-1/", "/tin-tức/bài-1/", ""},
		{"/Portals/0/Tin(1),a+b=c;d@e!$&'~_.pdf", "/Portals/0/Tin(1),a+b=c;d@e!$&'~_.pdf", ""},
		{"/a...b/c...", "/a...b/c...", ""},
	} {
		p, q, err := Alias(tc.alias)
		if err != nil || p != tc.path || q != tc.query {
			t.Errorf("Alias(%q) = %q, %q, %v; want %q, %q", tc.alias, p, q, err, tc.path, tc.query)
		}
	}
}

func TestSegment(t *testing.T) {
	for _, s := range []string{"trang", "the", "dai-bieu", "tìm-kiếm", "Video", "a_b.c~d", "2024"} {
		if err := Segment(s); err != nil {
			t.Errorf("Segment(%q) = %v", s, err)
		}
	}
	for _, tc := range []struct{ s, want string }{
		{"", "empty"},
		{"..", ".."},
		{".", "."},
		{".git", "dot"},
		{"a/b", "has a /"},
		{"a\\b", "backslash"},
		{"a b", "space"},
		{"a\nb", "line break"},
		{"a\rb", "line break"},
		{"a\tb", "tab"},
		{"javascript:x", "scheme"},
		{"a:b", "scheme"},
		{"a?b", "letters, digits"},
		{"a#b", "letters, digits"},
		{"a%2e", "letters, digits"},
		{"*", "letters, digits"},
		{"a\u202eb", "invisible"},
		{strings.Repeat("a", 256), "more than 255"},
		{"a\xff", "UTF-8"},
	} {
		err := Segment(tc.s)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Segment(%q) = %v, want it to say %q", tc.s, err, tc.want)
		}
	}
}

func TestName(t *testing.T) {
	for _, s := range []string{"Ảnh hội nghị 1.jpg", "2023/báo cáo (bản cuối).pdf", "a#b?c%d.pdf", ".well-known/x", "a,b.jpg"} {
		if err := Name(s); err != nil {
			t.Errorf("Name(%q) = %v", s, err)
		}
	}
	for _, tc := range []struct{ s, want string }{
		{"", "empty"},
		{"a\nb.jpg", "line break"},
		{"a\x1bb.jpg", "control"},
		{"a\u202egpj.exe", "invisible"},
		{"../x.jpg", "leaves its folder"},
		{"a/../../x.jpg", "leaves its folder"},
		{"./x.jpg", "leaves its folder"},
		{"/etc/passwd", "absolute"},
		{"a//b", "empty segment"},
		{"..\\..\\x", "backslash"},
		{"\xe1nh.jpg", "UTF-8"},
		{strings.Repeat("á", 128) + ".jpg", "more than 255"},
	} {
		err := Name(tc.s)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Name(%q) = %v, want it to say %q", tc.s, err, tc.want)
		}
	}
}

func TestEscape(t *testing.T) {
	for _, tc := range []struct{ in, esc, redirect string }{
		{"/tin-tuc/a/", "/tin-tuc/a/", "/tin-tuc/a/"},
		{"/tin-tuc/a/Ảnh hội nghị 1.jpg", "/tin-tuc/a/%E1%BA%A2nh%20h%E1%BB%99i%20ngh%E1%BB%8B%201.jpg", "/tin-tuc/a/%E1%BA%A2nh%20h%E1%BB%99i%20ngh%E1%BB%8B%201.jpg"},
		{"/100%/a?b#c", "/100%25/a%3Fb%23c", "/100%25/a%3Fb%23c"},
		{"/a,b.jpg", "/a%2Cb.jpg", "/a%2Cb.jpg"},
		{"/x\n/* /y 301!", "/x%0A/*%20/y%20301!", "/x%0A/%2A%20/y%20301%21"},
		{"/:splat/a(1)", "/:splat/a(1)", "/%3Asplat/a%281%29"},
	} {
		if got := Escape(tc.in); got != tc.esc {
			t.Errorf("Escape(%q) = %q, want %q", tc.in, got, tc.esc)
		}
		if got := Redirect(Escape(tc.in)); got != tc.redirect {
			t.Errorf("Redirect(Escape(%q)) = %q, want %q", tc.in, got, tc.redirect)
		}
		if back, err := url.PathUnescape(Escape(tc.in)); err != nil || back != tc.in {
			t.Errorf("PathUnescape(Escape(%q)) = %q, %v", tc.in, back, err)
		}
	}
	for _, tc := range []struct{ in, want string }{
		{"/tin-tuc/", "/tin-tuc/"},
		{"/tim-kiem/?q=so+ket#kq", "/tim-kiem/?q=so+ket#kq"},
		{"/videos/a b.mp4", "/videos/a%20b.mp4"},
		{"/videos/a%20b.mp4", "/videos/a%20b.mp4"},
		{"/100%/", "/100%25/"},
		{"/tin-tức/", "/tin-t%E1%BB%A9c/"},
		{"/a\"><script>", "/a%22%3E%3Cscript%3E"},
	} {
		if got := Normalize(tc.in); got != tc.want {
			t.Errorf("Normalize(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
