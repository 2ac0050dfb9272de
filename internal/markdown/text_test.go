package markdown

import (
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestSpaceLenMatchesUnicode(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if !utf8.ValidRune(r) {
			continue
		}
		b := utf8.AppendRune(nil, r)
		want := 0
		if unicode.IsSpace(r) {
			want = len(b)
		}
		if got := spaceLen(b, 0); got != want {
			t.Errorf("spaceLen(%U) = %d, want %d", r, got, want)
		}
	}
}

func TestExcerpt(t *testing.T) {
	tests := []struct{ in, want string }{
		{"<b>", "<b>"},
		{"  <div>\n  x\n</div>", "<div>"},
		{"<p\tclass=a>", "<p class=a>"},
		{"<span title=\"Đảng ủy Khối Các cơ quan và Doanh nghiệp tỉnh Bình Phước\">", "<span title=\"Đảng ủy Khối Các cơ quan và Doanh nghiệp tỉnh B…"},
	}
	for _, tt := range tests {
		if got := excerpt([]byte(tt.in)); got != tt.want {
			t.Errorf("excerpt(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
