package viet

import (
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the tests must not depend on the machine's zoneinfo
)

func hcm(t testing.TB) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestParseDate(t *testing.T) {
	loc := hcm(t)
	at := func(y int, mo time.Month, d, h, mi, s, ns int) time.Time {
		return time.Date(y, mo, d, h, mi, s, ns, loc)
	}
	tests := []struct {
		in   string
		want time.Time
	}{
		{"2022-11-24", at(2022, 11, 24, 0, 0, 0, 0)},
		{"  2022-11-24\n", at(2022, 11, 24, 0, 0, 0, 0)},
		{"2022-11-24 08:30", at(2022, 11, 24, 8, 30, 0, 0)},
		{"2022-11-24  8:30", at(2022, 11, 24, 8, 30, 0, 0)},
		{"2022-11-24 08:30:15", at(2022, 11, 24, 8, 30, 15, 0)},
		{"2022-11-24T08:30", at(2022, 11, 24, 8, 30, 0, 0)},
		{"2022-11-24T08:30:00", at(2022, 11, 24, 8, 30, 0, 0)},
		{"2022-11-24t08:30:00.25", at(2022, 11, 24, 8, 30, 0, 250_000_000)},
		{"2022-11-24T08:30:00+07:00", at(2022, 11, 24, 8, 30, 0, 0)},
		{"2022-11-24T01:30:00Z", at(2022, 11, 24, 8, 30, 0, 0)},
		{"2022-11-24T01:30:00.123456789Z", at(2022, 11, 24, 8, 30, 0, 123456789)},
		{"2022-11-24T08:30:00+0700", at(2022, 11, 24, 8, 30, 0, 0)},
		{"2022-11-24T08:30:00+07", at(2022, 11, 24, 8, 30, 0, 0)},
		{"2022-11-24 08:30:00 +07:00", at(2022, 11, 24, 8, 30, 0, 0)},
		{"2022-11-23T20:30:00-05:00", at(2022, 11, 24, 8, 30, 0, 0)},
		{"2022-1-5", at(2022, 1, 5, 0, 0, 0, 0)},
		{"2022/11/24", at(2022, 11, 24, 0, 0, 0, 0)},
		{"24/11/2022", at(2022, 11, 24, 0, 0, 0, 0)},
		{"24/11/2022 08:30", at(2022, 11, 24, 8, 30, 0, 0)},
		{"24/11/2022 08:30:15", at(2022, 11, 24, 8, 30, 15, 0)},
		{"24-11-2022", at(2022, 11, 24, 0, 0, 0, 0)},
		{"24.11.2022", at(2022, 11, 24, 0, 0, 0, 0)},
		{"1/2/2023", at(2023, 2, 1, 0, 0, 0, 0)},
		{"29/02/2024", at(2024, 2, 29, 0, 0, 0, 0)},
		{"31/12/2022 23:59", at(2022, 12, 31, 23, 59, 0, 0)},
	}
	for _, tt := range tests {
		got, err := ParseDate(tt.in, loc)
		if err != nil {
			t.Errorf("ParseDate(%q): %v", tt.in, err)
			continue
		}
		if !got.Equal(tt.want) || got.Location() != loc {
			t.Errorf("ParseDate(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

// TestParseDateZone pins SPEC §2: a date without a zone is in the site's zone, never UTC.
func TestParseDateZone(t *testing.T) {
	loc := hcm(t)
	got, err := ParseDate("2022-11-24", loc)
	if err != nil {
		t.Fatal(err)
	}
	if _, off := got.Zone(); off != 7*3600 {
		t.Errorf("ParseDate(2022-11-24) offset %d, want +7h", off)
	}
	if want := time.Date(2022, 11, 23, 17, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("ParseDate(2022-11-24) = %v, want %v", got, want)
	}
	// 23:30 UTC is already the next morning in Việt Nam, and that is the date to show.
	late, err := ParseDate("2022-11-23T23:30:00Z", time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	if got := FormatDate(late.In(loc), "{weekday}, {dd}/{mm}/{yyyy} {HH}:{MM}"); got != "Thứ Năm, 24/11/2022 06:30" {
		t.Errorf("23:30 UTC shown in Hồ Chí Minh as %q", got)
	}
	if got := FormatDate(late, "{dd}/{mm}/{yyyy}"); got != "23/11/2022" {
		t.Errorf("FormatDate converted the zone itself: %q", got)
	}
	// A zoned text keeps its instant and comes back in loc.
	z, err := ParseDate("2022-11-23T23:30:00Z", loc)
	if err != nil {
		t.Fatal(err)
	}
	if !z.Equal(late) || z.Location() != loc || z.Day() != 24 {
		t.Errorf("zoned text: %v", z)
	}
	// nil means UTC, as in package time, rather than a panic.
	if u, err := ParseDate("2022-11-24", nil); err != nil || u.Location() != time.UTC {
		t.Errorf("nil location: %v, %v", u, err)
	}
}

func TestParseDateErrors(t *testing.T) {
	loc := hcm(t)
	tests := []struct{ in, want string }{
		{"hôm qua", `"hôm qua" is not a date; write 2022-11-24, 2022-11-24 08:30, 24/11/2022 or 2022-11-24T08:30:00+07:00`},
		{"", "the date is empty; write 2022-11-24"},
		{"31/02/2023", `"31/02/2023" is not a date: month 2 of 2023 has 28 days`},
		{"29/02/2023", "month 2 of 2023 has 28 days"},
		{"2022-13-01", "there is no month 13"},
		{"2022-00-10", "there is no month 0"},
		{"2022-11-00", "there is no day 0"},
		{"31/11/2022", "month 11 of 2022 has 30 days"},
		{"11/24/2022", "there is no month 24 (the day comes first: 24/11/2022)"},
		{"2022-11-24 25:00", "there is no hour 25"},
		{"2022-11-24 08:60", "there is no minute 60"},
		{"2022-11-24 08:30:60", "there is no second 60"},
		{"2022-11-24T08:30:00+25:00", "the time zone should look like +07:00 or Z"},
		{"2022-11-24T08:30:00 GMT", "the time zone should look like"},
		{"24/11/22", "is not a date; write"},
		{"2022-11-24T", "is not a date; write"},
		{"2022-11-24 08", "is not a date; write"},
		{"2022-11-24 08:5", "is not a date; write"},
		{"24/11/2022T08:30", "is not a date; write"},
		{"24/11/2022 08:30Z", "is not a date; write"},
		{"24/11-2022", "is not a date; write"},
		{"2022-11", "is not a date; write"},
		{"20221124", "is not a date; write"},
		{"12022-11-24", "is not a date; write"},
		{"2022-11-24 08:30 thứ năm", "is not a date; write"},
		{"2022-11-24 08:30 sáng", "is not a date; write"},
		{"2022-11-24 08:30 PM", "is not a date; write"},
		{"2022-11-24 08:30 ICT", "the time zone should look like"},
		{"9999-12-31T23:59:00-05:00", "the year must be 0001 to 9999"},
		{"ngày 24 tháng 11 năm 2022 và rất nhiều chữ nữa cho đủ dài", "…\" is not a date; write"},
	}
	for _, tt := range tests {
		_, err := ParseDate(tt.in, loc)
		if err == nil {
			t.Errorf("ParseDate(%q): no error", tt.in)
			continue
		}
		if !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseDate(%q) error %q, want it to contain %q", tt.in, err, tt.want)
		}
	}
}

func TestParseMonthOrDate(t *testing.T) {
	loc := hcm(t)
	tests := []struct {
		in        string
		want      time.Time
		monthOnly bool
	}{
		{"2022-12", time.Date(2022, 12, 1, 0, 0, 0, 0, loc), true},
		{"2022-1", time.Date(2022, 1, 1, 0, 0, 0, 0, loc), true},
		{" 12/2022 ", time.Date(2022, 12, 1, 0, 0, 0, 0, loc), true},
		{"3/2023", time.Date(2023, 3, 1, 0, 0, 0, 0, loc), true},
		{"12-2022", time.Date(2022, 12, 1, 0, 0, 0, 0, loc), true},
		{"2022-12-15", time.Date(2022, 12, 15, 0, 0, 0, 0, loc), false},
		{"15/12/2022", time.Date(2022, 12, 15, 0, 0, 0, 0, loc), false},
		{"15/12/2022 17:00", time.Date(2022, 12, 15, 17, 0, 0, 0, loc), false},
	}
	for _, tt := range tests {
		got, monthOnly, err := ParseMonthOrDate(tt.in, loc)
		if err != nil || !got.Equal(tt.want) || monthOnly != tt.monthOnly || got.Location() != loc {
			t.Errorf("ParseMonthOrDate(%q) = %v, %v, %v; want %v, %v", tt.in, got, monthOnly, err, tt.want, tt.monthOnly)
		}
	}
	for _, tt := range []struct{ in, want string }{
		{"2022-13", `"2022-13" is not a month: there is no month 13`},
		{"0/2022", "there is no month 0"},
		{"0000-12", "the year must be 0001 to 9999"},
		{"cuối năm", `"cuối năm" is not a date or a month; write 2022-12, 12/2022, 2022-11-24 or 24/11/2022`},
		{"", "the due date is empty"},
		{"31/02/2023", "month 2 of 2023 has 28 days"},
		{"12/22", "is not a date or a month"},
	} {
		_, _, err := ParseMonthOrDate(tt.in, loc)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseMonthOrDate(%q) error %v, want %q", tt.in, err, tt.want)
		}
	}
}

func TestWeekday(t *testing.T) {
	want := []string{"Chủ Nhật", "Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy"}
	for d := time.Sunday; d <= time.Saturday; d++ {
		if got := Weekday(d); got != want[d] {
			t.Errorf("Weekday(%v) = %q, want %q", d, got, want[d])
		}
	}
	if got := Weekday(7); got != "" {
		t.Errorf("Weekday(7) = %q", got)
	}
}

func TestFormatDate(t *testing.T) {
	loc := hcm(t)
	d := time.Date(2022, 11, 24, 8, 5, 0, 0, loc)
	early := time.Date(2023, 2, 5, 17, 30, 0, 0, loc)
	tests := []struct {
		t      time.Time
		layout string
		want   string
	}{
		{d, "{weekday}, {dd}/{mm}/{yyyy}", "Thứ Năm, 24/11/2022"},
		{early, "{weekday}, {dd}/{mm}/{yyyy}", "Chủ Nhật, 05/02/2023"},
		{early, "{d}/{m}/{yyyy}", "5/2/2023"},
		{d, "{HH}:{MM} ngày {d} {month} năm {yyyy}", "08:05 ngày 24 tháng 11 năm 2022"},
		{early, "{HH}giờ{MM}", "17giờ30"},
		{d, "{unknown} {dd", "{unknown} {dd"},
		{d, "{{dd}}", "{24}"},
		{d, "", ""},
		{d, "no placeholders", "no placeholders"},
		{time.Date(987, 1, 1, 0, 0, 0, 0, time.UTC), "{yyyy}", "0987"},
	}
	for _, tt := range tests {
		if got := FormatDate(tt.t, tt.layout); got != tt.want {
			t.Errorf("FormatDate(%v, %q) = %q, want %q", tt.t, tt.layout, got, tt.want)
		}
	}
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{
		"2022-11-24", "2022-11-24 08:30", "2022-11-24 08:30:15", "2022-11-24T08:30",
		"2022-11-24T08:30:00+07:00", "2022-11-24T01:30:00.5Z", "24/11/2022", "24/11/2022 08:30",
		"24-11-2022", "1/2/2023", "31/02/2023", "2022-13-01", "hôm qua", "2022-12", "12/2022",
		"1975-06-13 00:30", "1945-09-02 09:00", "0001-01-01", "9999-12-31T23:59:59.999999999-23:59",
	} {
		f.Add(s)
	}
	loc := hcm(f)
	f.Fuzz(func(t *testing.T, s string) {
		ParseMonthOrDate(s, loc)
		got, err := ParseDate(s, loc)
		if err != nil {
			if err.Error() == "" {
				t.Fatalf("ParseDate(%q): empty error", s)
			}
			return
		}
		if got.Location() != loc {
			t.Fatalf("ParseDate(%q) = %v: not in loc", s, got)
		}
		// Written back the way an editor would and read again: the same minute on the wall.
		text := got.Format("2006-01-02 15:04")
		again, err := ParseDate(text, loc)
		if err != nil {
			t.Fatalf("ParseDate(%q) = %v; reading back %q: %v", s, got, text, err)
		}
		want := time.Date(got.Year(), got.Month(), got.Day(), got.Hour(), got.Minute(), 0, 0, loc)
		if !again.Equal(want) || again.Format("2006-01-02 15:04") != text {
			t.Fatalf("ParseDate(%q) = %v; %q read back as %v", s, got, text, again)
		}
		// And as RFC 3339 in UTC: the same instant, to the nanosecond.
		text = got.UTC().Format(time.RFC3339Nano)
		if again, err := ParseDate(text, loc); err != nil || !again.Equal(got) {
			t.Fatalf("ParseDate(%q) = %v; %q read back as %v, %v", s, got, text, again, err)
		}
	})
}

// FuzzFormatDate covers date_format from site.yaml: any layout is accepted and text outside
// placeholders comes through unchanged.
func FuzzFormatDate(f *testing.F) {
	for _, s := range []string{"{weekday}, {dd}/{mm}/{yyyy}", "{HH}:{MM} {month}", "{{d}", "{", "}{", "{x}{d"} {
		f.Add(s, int64(1669253400))
	}
	loc := hcm(f)
	f.Fuzz(func(t *testing.T, layout string, sec int64) {
		tm := time.Unix(sec%(1<<40), 0).In(loc)
		got := FormatDate(tm, layout)
		if !strings.Contains(layout, "{") && got != layout {
			t.Fatalf("FormatDate(%q) = %q", layout, got)
		}
	})
}
