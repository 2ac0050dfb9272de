package viet

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// dateForms is what an editor is told to write when a date cannot be read.
const dateForms = "write 2022-11-24, 2022-11-24 08:30, 24/11/2022 or 2022-11-24T08:30:00+07:00"

// ParseDate reads an editor's date. Accepted, after trimming surrounding space:
//
//	2022-11-24                      24/11/2022, 24-11-2022, 24.11.2022, 1/2/2023
//	2022-11-24 08:30                24/11/2022 08:30
//	2022-11-24 08:30:15             24/11/2022 08:30:15
//	2022-11-24T08:30[:00[.123]]
//	2022-11-24T08:30:00+07:00       RFC 3339: Z, ±hh:mm, ±hhmm or ±hh, fractional seconds
//
// Day-first numbers are Vietnamese (day, month, year); single-digit days, months and hours are fine.
// Text without a zone is in loc (the site's zone; nil means UTC, as in package time). The result is
// always in loc, keeping the instant of a text that names its zone. Impossible dates (31/02/2023,
// month 13, 25:00) are errors, worded for the editor who wrote them.
func ParseDate(s string, loc *time.Location) (time.Time, error) {
	t, _, err := parseDate(strings.TrimSpace(s), loc)
	return t, err
}

// parseDate is ParseDate on trimmed text; shapeless reports that text is not even shaped like a date
// (as opposed to an impossible one), so ParseMonthOrDate can suggest its own forms instead.
func parseDate(text string, loc *time.Location) (t time.Time, shapeless bool, err error) {
	if loc == nil {
		loc = time.UTC
	}
	p := dateParser{s: text}
	d, ok := p.date()
	if ok && !p.done() {
		ok = p.clock(&d)
		if ok && !p.done() {
			if !d.yearFirst {
				ok = false // a zone only comes with an ISO date
			} else if rest := p.s; !p.zone(&d) || !p.done() {
				if !looksLikeZone(rest) {
					return time.Time{}, true, notADate(text)
				}
				return time.Time{}, false, fmt.Errorf("%s is not a date: the time zone should look like +07:00 or Z", quote(text))
			}
		}
	}
	if !ok {
		return time.Time{}, true, notADate(text)
	}
	if err := d.check(); err != nil {
		return time.Time{}, false, fmt.Errorf("%s is not a date: %w", quote(text), err)
	}
	t = d.time(loc)
	if y := t.Year(); y < 1 || y > 9999 {
		// Out of reach of every date form (and of RFC 3339 in feeds and sitemaps).
		return time.Time{}, false, fmt.Errorf("%s is not a date: the year must be 0001 to 9999 in the site's time zone", quote(text))
	}
	return t, false, nil
}

// looksLikeZone reports whether the text after a time is an attempt at a zone ("+7", "GMT", "Z07")
// rather than words an editor added, so the error can say what is wrong with it.
func looksLikeZone(rest string) bool {
	rest = strings.TrimPrefix(rest, " ")
	if rest == "" {
		return false
	}
	if strings.IndexByte("+-Zz", rest[0]) >= 0 {
		return true
	}
	if strings.EqualFold(rest, "am") || strings.EqualFold(rest, "pm") {
		return false // a 12-hour clock, not a zone: the generic message lists the 24-hour form
	}
	for i := 0; i < len(rest); i++ {
		if c := rest[i]; (c < 'A' || c > 'Z') && (c < 'a' || c > 'z') {
			return false
		}
	}
	return len(rest) <= 5 // GMT, UTC, ICT, CEST
}

// ParseMonthOrDate reads a task's due date: a date as ParseDate reads it, or a month ("2022-12",
// "12/2022", "12-2022"), which gives the first day of that month at 00:00 in loc and monthOnly.
func ParseMonthOrDate(s string, loc *time.Location) (t time.Time, monthOnly bool, err error) {
	if loc == nil {
		loc = time.UTC
	}
	text := strings.TrimSpace(s)
	p := dateParser{s: text}
	if y, m, ok := p.month(); ok && p.done() {
		if m < 1 || m > 12 {
			return time.Time{}, false, fmt.Errorf("%s is not a month: there is no month %d", quote(text), m)
		}
		if y < 1 {
			return time.Time{}, false, fmt.Errorf("%s is not a month: the year must be 0001 to 9999", quote(text))
		}
		return time.Date(y, time.Month(m), 1, 0, 0, 0, 0, loc), true, nil
	}
	t, shapeless, err := parseDate(text, loc)
	if shapeless {
		if text == "" {
			return time.Time{}, false, errors.New("the due date is empty; write 2022-12, 12/2022, 2022-11-24 or 24/11/2022")
		}
		return time.Time{}, false, fmt.Errorf("%s is not a date or a month; write 2022-12, 12/2022, 2022-11-24 or 24/11/2022", quote(text))
	}
	return t, false, err
}

// notADate is the error for text that has no date shape at all.
func notADate(text string) error {
	if text == "" {
		return errors.New("the date is empty; " + dateForms)
	}
	return fmt.Errorf("%s is not a date; %s", quote(text), dateForms)
}

// quote quotes an editor's text for an error message, shortening a runaway value.
func quote(s string) string {
	const max = 40 // runes
	n := 0
	for i := range s {
		if n == max {
			return strconv.Quote(s[:i] + "…")
		}
		n++
	}
	return strconv.Quote(s)
}

// dateFields is a parsed date before it is checked and placed in a zone.
type dateFields struct {
	year, month, day     int
	hour, min, sec, nsec int
	yearFirst            bool // ISO order; only these may carry a zone
	zoned                bool
	offset               int // seconds east of UTC, when zoned
}

// check reports, for the editor, why the fields are not a real moment.
func (d *dateFields) check() error {
	switch {
	case d.month < 1 || d.month > 12:
		if !d.yearFirst && d.day >= 1 && d.day <= 12 && d.month <= 31 {
			return fmt.Errorf("there is no month %d (the day comes first: %d/%d/%04d)", d.month, d.month, d.day, d.year)
		}
		return fmt.Errorf("there is no month %d", d.month)
	case d.day < 1:
		return fmt.Errorf("there is no day %d", d.day)
	case d.day > daysIn(d.year, d.month):
		return fmt.Errorf("month %d of %04d has %d days", d.month, d.year, daysIn(d.year, d.month))
	case d.hour > 23:
		return fmt.Errorf("there is no hour %d", d.hour)
	case d.min > 59:
		return fmt.Errorf("there is no minute %d", d.min)
	case d.sec > 59:
		return fmt.Errorf("there is no second %d", d.sec)
	}
	return nil
}

// time places the fields in loc, or at their own offset and then in loc.
func (d *dateFields) time(loc *time.Location) time.Time {
	zone := loc
	if d.zoned {
		zone = time.FixedZone("", d.offset)
	}
	t := time.Date(d.year, time.Month(d.month), d.day, d.hour, d.min, d.sec, d.nsec, zone)
	return t.In(loc)
}

// daysIn returns the number of days in month m of year y.
func daysIn(y, m int) int {
	return time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// dateParser consumes s from the front.
type dateParser struct {
	s string
}

func (p *dateParser) done() bool { return p.s == "" }

// digits consumes between lo and hi ASCII digits and returns their value.
func (p *dateParser) digits(lo, hi int) (int, bool) {
	n, v := 0, 0
	for n < len(p.s) && n < hi && '0' <= p.s[n] && p.s[n] <= '9' {
		v = v*10 + int(p.s[n]-'0')
		n++
	}
	if n < lo || (n < len(p.s) && '0' <= p.s[n] && p.s[n] <= '9') {
		return 0, false // too few, or more digits than the field may have
	}
	p.s = p.s[n:]
	return v, true
}

// fixed consumes exactly n ASCII digits, whatever follows them.
func (p *dateParser) fixed(n int) (int, bool) {
	if len(p.s) < n {
		return 0, false
	}
	v := 0
	for i := 0; i < n; i++ {
		c := p.s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int(c-'0')
	}
	p.s = p.s[n:]
	return v, true
}

// byte consumes c if it comes next.
func (p *dateParser) byte(c byte) bool {
	if p.s != "" && p.s[0] == c {
		p.s = p.s[1:]
		return true
	}
	return false
}

// oneOf consumes and returns the next byte if it is in set.
func (p *dateParser) oneOf(set string) (byte, bool) {
	if p.s != "" && strings.IndexByte(set, p.s[0]) >= 0 {
		c := p.s[0]
		p.s = p.s[1:]
		return c, true
	}
	return 0, false
}

// date consumes 2022-11-24 (also 2022/11/24) or 24/11/2022 (also 24-11-2022, 24.11.2022).
func (p *dateParser) date() (dateFields, bool) {
	var d dateFields
	save := *p
	if y, ok := p.digits(4, 4); ok {
		sep, ok := p.oneOf("-/")
		if !ok {
			return d, false
		}
		var ok1, ok2 bool
		d.month, ok1 = p.digits(1, 2)
		ok2 = p.byte(sep)
		d.day, ok = p.digits(1, 2)
		if !ok1 || !ok2 || !ok {
			return d, false
		}
		d.year, d.yearFirst = y, true
		return d, true
	}
	*p = save
	day, ok := p.digits(1, 2)
	if !ok {
		return d, false
	}
	sep, ok := p.oneOf("/-.")
	if !ok {
		return d, false
	}
	var ok1, ok2 bool
	d.month, ok1 = p.digits(1, 2)
	ok2 = p.byte(sep)
	d.year, ok = p.digits(4, 4)
	if !ok1 || !ok2 || !ok {
		return d, false
	}
	d.day = day
	return d, true
}

// month consumes 2022-12 (also 2022/12) or 12/2022 (also 12-2022, 12.2022).
func (p *dateParser) month() (year, month int, ok bool) {
	save := *p
	if y, ok := p.digits(4, 4); ok {
		if _, ok := p.oneOf("-/"); ok {
			if m, ok := p.digits(1, 2); ok {
				return y, m, true
			}
		}
		*p = save
		return 0, 0, false
	}
	*p = save
	if m, ok := p.digits(1, 2); ok {
		if _, ok := p.oneOf("/-."); ok {
			if y, ok := p.digits(4, 4); ok {
				return y, m, true
			}
		}
	}
	*p = save
	return 0, 0, false
}

// clock consumes the time after a date: "T08:30", " 8:30", " 08:30:15", "T08:30:00.5".
func (p *dateParser) clock(d *dateFields) bool {
	switch {
	case d.yearFirst && (p.byte('T') || p.byte('t')):
	case p.s != "" && p.s[0] == ' ':
		p.s = strings.TrimLeft(p.s, " ")
	default:
		return false
	}
	var ok bool
	if d.hour, ok = p.digits(1, 2); !ok || !p.byte(':') {
		return false
	}
	if d.min, ok = p.digits(2, 2); !ok {
		return false
	}
	if p.byte(':') {
		if d.sec, ok = p.digits(2, 2); !ok {
			return false
		}
		if p.byte('.') || p.byte(',') {
			n := 0
			for n < len(p.s) && '0' <= p.s[n] && p.s[n] <= '9' {
				if n < 9 {
					d.nsec = d.nsec*10 + int(p.s[n]-'0')
				}
				n++
			}
			if n == 0 {
				return false
			}
			for i := n; i < 9; i++ {
				d.nsec *= 10
			}
			p.s = p.s[n:]
		}
	}
	return true
}

// zone consumes " Z", "+07:00", "+0700" or "+07", with at most one space before it.
func (p *dateParser) zone(d *dateFields) bool {
	p.byte(' ')
	if p.byte('Z') || p.byte('z') {
		d.zoned = true
		return true
	}
	sign, ok := p.oneOf("+-")
	if !ok {
		return false
	}
	h, ok := p.fixed(2)
	if !ok || h > 23 {
		return false
	}
	m := 0
	if p.byte(':') {
		if m, ok = p.fixed(2); !ok {
			return false
		}
	} else if p.s != "" {
		if m, ok = p.fixed(2); !ok {
			return false
		}
	}
	if m > 59 {
		return false
	}
	d.offset = (h*60 + m) * 60
	if sign == '-' {
		d.offset = -d.offset
	}
	d.zoned = true
	return true
}

// Weekday returns the Vietnamese name of d: Thứ Hai (Monday) … Thứ Bảy (Saturday), Chủ Nhật
// (Sunday); "" for a value that is not a weekday.
func Weekday(d time.Weekday) string {
	switch d {
	case time.Monday:
		return "Thứ Hai"
	case time.Tuesday:
		return "Thứ Ba"
	case time.Wednesday:
		return "Thứ Tư"
	case time.Thursday:
		return "Thứ Năm"
	case time.Friday:
		return "Thứ Sáu"
	case time.Saturday:
		return "Thứ Bảy"
	case time.Sunday:
		return "Chủ Nhật"
	}
	return ""
}

// FormatDate writes t as it stands (the caller puts it in the site zone first) following layout,
// whose placeholders are {weekday} (Thứ Năm), {d} (day, 24 or 5), {dd} (05), {m}, {mm} (month),
// {yyyy}, {HH} (hour 00–23), {MM} (minute) and {month} ("tháng 11"). Anything else is literal.
// The site's default layout "{weekday}, {dd}/{mm}/{yyyy}" gives "Thứ Năm, 24/11/2022".
func FormatDate(t time.Time, layout string) string {
	var b strings.Builder
	b.Grow(len(layout) + 8)
	for layout != "" {
		i := strings.IndexByte(layout, '{')
		if i < 0 {
			b.WriteString(layout)
			break
		}
		b.WriteString(layout[:i])
		layout = layout[i:]
		j := strings.IndexByte(layout, '}')
		if j < 0 {
			b.WriteString(layout)
			break
		}
		if !formatField(&b, t, layout[1:j]) {
			// Not a placeholder: write the '{' and look for one again just after it.
			b.WriteByte('{')
			layout = layout[1:]
			continue
		}
		layout = layout[j+1:]
	}
	return b.String()
}

// formatField writes placeholder name for t, reporting whether name is one.
func formatField(b *strings.Builder, t time.Time, name string) bool {
	var buf [20]byte
	switch name {
	case "weekday":
		b.WriteString(Weekday(t.Weekday()))
	case "d":
		b.Write(strconv.AppendInt(buf[:0], int64(t.Day()), 10))
	case "dd":
		b.Write(pad2(buf[:0], t.Day()))
	case "m":
		b.Write(strconv.AppendInt(buf[:0], int64(t.Month()), 10))
	case "mm":
		b.Write(pad2(buf[:0], int(t.Month())))
	case "yyyy":
		y := t.Year()
		if y < 0 {
			b.WriteByte('-')
			y = -y
		}
		for _, p := range []int{1000, 100, 10} {
			if y < p {
				b.WriteByte('0')
			}
		}
		b.Write(strconv.AppendInt(buf[:0], int64(y), 10))
	case "HH":
		b.Write(pad2(buf[:0], t.Hour()))
	case "MM":
		b.Write(pad2(buf[:0], t.Minute()))
	case "month":
		b.WriteString("tháng ")
		b.Write(strconv.AppendInt(buf[:0], int64(t.Month()), 10))
	default:
		return false
	}
	return true
}

// pad2 appends v with at least two digits.
func pad2(dst []byte, v int) []byte {
	if v < 10 {
		dst = append(dst, '0')
	}
	return strconv.AppendInt(dst, int64(v), 10)
}
