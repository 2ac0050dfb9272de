package viet

import (
	"slices"
	"testing"
	"time"
)

var benchTitle = "Đảng ủy Khối tổ chức Hội nghị sơ kết 1 năm thực hiện Quy chế phối hợp"

func BenchmarkSlug(b *testing.B) {
	for _, bm := range []struct{ name, in string }{
		{"already", "so-ket-1-nam-quy-che-phoi-hop"},
		{"ascii", "So ket 1 nam quy che phoi hop"},
		{"viet", benchTitle},
		{"nfd", "Đa\u0309ng u\u0309y Khô\u0301i tô\u0309 chư\u0301c Hô\u0323i nghi\u0323 sơ kê\u0301t"},
	} {
		b.Run(bm.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(bm.in)))
			for b.Loop() {
				Slug(bm.in)
			}
		})
	}
}

func BenchmarkFold(b *testing.B) {
	for _, bm := range []struct{ name, in string }{
		{"folded", "so ket 1 nam quy che phoi hop"},
		{"viet", benchTitle},
	} {
		b.Run(bm.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(bm.in)))
			for b.Loop() {
				Fold(bm.in)
			}
		})
	}
}

func BenchmarkCompare(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		Compare("Nguyễn Văn Đức", "Nguyễn Văn Dũng")
	}
}

func BenchmarkCompareParallel(b *testing.B) {
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			Compare("Nguyễn Văn Đức", "Nguyễn Văn Dũng")
		}
	})
}

func BenchmarkKey(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		Key("Nguyễn Văn Đức")
	}
}

// BenchmarkSortStrings sorts 10,000 names, the size of a large site's participant list.
func BenchmarkSortStrings(b *testing.B) {
	names := make([]string, 0, 10_000)
	for i := 0; len(names) < cap(names); i++ {
		names = append(names, surnames[i%len(surnames)]+" "+givenNames[(i/7)%len(givenNames)]+" "+givenNames[i%len(givenNames)])
	}
	b.ReportAllocs()
	for b.Loop() {
		SortStrings(slices.Clone(names))
	}
}

func BenchmarkParseDate(b *testing.B) {
	loc := hcm(b)
	b.ReportAllocs()
	for b.Loop() {
		ParseDate("2022-11-24 08:30", loc)
	}
}

func BenchmarkFormatDate(b *testing.B) {
	t := time.Date(2022, 11, 24, 8, 30, 0, 0, hcm(b))
	b.ReportAllocs()
	for b.Loop() {
		FormatDate(t, "{weekday}, {dd}/{mm}/{yyyy}")
	}
}
