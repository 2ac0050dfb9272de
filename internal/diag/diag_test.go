package diag

import "testing"

// TestErrorEscapesControls: a file name or value with a line break cannot
// forge a line of the report (CI systems read ::error:: commands from it).
func TestErrorEscapesControls(t *testing.T) {
	d := Diagnostic{Path: "content/a\n::error::x.md", Line: 3, Msg: "alias \"/a\r\n/* /x/ 301!\" has a line break\u202e"}
	got := d.Error()
	want := `content/a\u000a::error::x.md:3: alias "/a\u000d\u000a/* /x/ 301!" has a line break\u202e`
	if got != want {
		t.Errorf("Error() = %q\nwant      %q", got, want)
	}
	if ok := (Diagnostic{Path: "content/tin-tức/Ảnh 1.md", Msg: "bình thường"}).Error(); ok != "content/tin-tức/Ảnh 1.md: bình thường" {
		t.Errorf("Vietnamese text changed: %q", ok)
	}
}
