package viet

import (
	"fmt"
	"testing"
	"time"
)

func TestQuick(t *testing.T) {
	for _, s := range []string{"Đảng ủy Khối", "Sơ kết 1 năm", "Nghị quyết 57-NQ/TW", "  --Hello World--  ", "ÐẢNG ỦY", "Thành phố Hồ Chí Minh", "Ngữ văn", "Łódź Straße", "中国 và Việt Nam", "e\u0301te\u0301"} {
		fmt.Printf("%q -> %q | %q\n", s, Slug(s), Fold(s))
	}
	ws := []string{"Giang", "Đặng", "Dương", "Ánh", "Anh", "An", "Chi bộ 10", "Chi bộ 2", "Chi bộ 02", "0.5", "1.5", "Ðỗ", "Đỗ", "Đinh", "Ư", "U", "u", "ư"}
	SortStrings(ws)
	fmt.Println(ws)
	loc, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	for _, s := range []string{"2022-11-24", "24/11/2022 08:30", "2022-11-24T08:30:00Z", "31/02/2023", "hôm qua", "11/24/2022", "2022-11-24T08:30:00+0700", "2022-11-24 08:30:00.5 +07"} {
		tm, err := ParseDate(s, loc)
		fmt.Println(s, "=>", tm, err, FormatDate(tm, "{weekday}, {dd}/{mm}/{yyyy} {HH}:{MM} {month} {x}"))
	}
}
