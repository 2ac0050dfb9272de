// Package testcorpus writes a deterministic, realistic committee site of N
// articles for benchmarks and load tests, shaped like ../shared/bench's
// generator: Vietnamese text of 600–1,500 words, participants with roles,
// tasks, tags and categories, 0–6 photos, spread over three sections and
// ten years.
//
// Article i depends only on (seed, i), so the first 1,000 articles of a
// 10,000-article corpus are the 1,000-article corpus.
package testcorpus

import (
	"fmt"
	"image"
	"image/jpeg"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"bantin/internal/viet"
)

var (
	sections = []struct {
		dir, title string
		weight     int
	}{{"tin-tuc", "Tin tức", 70}, {"hoat-dong", "Hoạt động", 20}, {"van-ban", "Văn bản", 10}}
	categories = []string{"Tin hoạt động", "Xây dựng Đảng", "Kiểm tra, giám sát", "Tuyên giáo", "Dân vận", "Tổ chức - Cán bộ", "Đoàn thể", "Học tập và làm theo Bác", "Văn bản chỉ đạo", "Kinh tế - Xã hội", "Chuyển đổi số", "Gương điển hình"}
	tags       = []string{"Nghị quyết Trung ương 4", "chuyển đổi số", "cải cách hành chính", "phòng chống tham nhũng", "đại hội chi bộ", "học tập nghị quyết", "phát triển đảng viên", "an ninh trật tự", "Đoàn Thanh niên", "Công đoàn", "Hội Cựu chiến binh", "kiểm tra giám sát", "sơ kết 6 tháng", "tổng kết năm", "quy chế dân chủ", "bảo vệ nền tảng tư tưởng", "công tác dân vận", "thi đua khen thưởng", "Huy hiệu Đảng", "kết nạp đảng viên", "đánh giá xếp loại", "công tác cán bộ", "bồi dưỡng lý luận", "báo cáo viên", "dư luận xã hội", "văn hóa công sở", "tinh gọn bộ máy", "sắp xếp tổ chức", "nhiệm kỳ 2020-2025", "nhiệm kỳ 2025-2030", "Đại hội XIII", "Đại hội XIV", "Chỉ thị 05", "Kết luận 21", "Quy định 37", "Quy định 144", "chi bộ trong sạch vững mạnh", "sinh hoạt chuyên đề", "tự phê bình và phê bình", "an sinh xã hội", "xây dựng nông thôn mới", "thu hút đầu tư", "phòng chống thiên tai", "phòng chống dịch", "đền ơn đáp nghĩa", "giảm nghèo bền vững", "Ngày hội Đại đoàn kết", "kỷ niệm thành lập Đảng", "Quốc khánh 2/9", "an toàn thông tin"}
	family     = []string{"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Đinh", "Trương", "Lương", "Mai", "Tạ", "Cao"}
	middle     = []string{"Văn", "Thị", "Hữu", "Đức", "Minh", "Thanh", "Quốc", "Ngọc", "Xuân", "Công", "Đình", "Thế", "Hồng", "Kim", "Anh", "Bá", "Quang", "Thu", "Trọng", "Việt", "Mạnh", "Thúy"}
	given      = []string{"Thi", "Hùng", "Dũng", "Hà", "Lan", "Sơn", "Tuấn", "Hải", "Long", "Nam", "Bình", "Hòa", "Phương", "Thắng", "Quang", "Huy", "Hương", "Mai", "Hạnh", "Tâm", "Trung", "Vinh", "Cường", "Khánh", "Lâm", "Thành", "Thảo", "Yến", "Nga", "Hiếu", "Đông", "Châu", "Toàn", "Phúc", "Lực", "Nghĩa", "Trí", "Thủy", "Oanh", "Kiên", "Lợi", "Tùng", "Hoan", "Định"}
	roles      = []string{"Phó Bí thư Đảng ủy Khối", "Ủy viên Ban Thường vụ Đảng ủy Khối", "Chủ nhiệm Ủy ban Kiểm tra Đảng ủy Khối", "Trưởng Ban Tuyên giáo Đảng ủy Khối", "Trưởng Ban Tổ chức Đảng ủy Khối", "Chánh Văn phòng Đảng ủy Khối", "Tỉnh ủy viên", "Đảng ủy viên Đảng ủy Khối", "Bí thư Đảng ủy cơ sở", "Bí thư Chi bộ cơ sở", "Giám đốc Sở", "Phó Giám đốc Sở", "Bí thư Đoàn Khối", "Chủ tịch Công đoàn Viên chức tỉnh", "Báo cáo viên Đảng ủy Khối"}
	orgs       = []string{"Đảng bộ Sở Tài chính", "Đảng bộ Sở Giáo dục và Đào tạo", "Chi bộ Văn phòng UBND tỉnh", "Đảng bộ Bảo hiểm xã hội tỉnh", "Đảng bộ Cục Thuế tỉnh", "Đảng bộ Kho bạc Nhà nước tỉnh", "Đảng bộ Sở Y tế", "Đảng bộ Sở Nông nghiệp và Phát triển nông thôn", "Đảng bộ Sở Kế hoạch và Đầu tư", "Chi bộ Sở Tư pháp", "Đảng bộ Sở Giao thông vận tải", "Đảng bộ Sở Tài nguyên và Môi trường", "Đảng bộ Sở Công Thương", "Đảng bộ Sở Xây dựng", "Đảng bộ Sở Thông tin và Truyền thông", "Đảng bộ Ban Quản lý các khu công nghiệp tỉnh"}
	topics     = []string{"công tác xây dựng Đảng", "công tác kiểm tra, giám sát và thi hành kỷ luật đảng", "công tác tuyên giáo", "công tác dân vận", "công tác tổ chức, cán bộ", "công tác phát triển đảng viên", "công tác bảo vệ chính trị nội bộ", "công tác phòng, chống tham nhũng, tiêu cực", "công tác chuyển đổi số", "công tác cải cách hành chính", "công tác thi đua, khen thưởng"}
	events     = []string{"Hội nghị Ban Chấp hành Đảng bộ Khối", "Hội nghị sơ kết công tác 6 tháng đầu năm", "Hội nghị tổng kết công tác năm", "Hội nghị học tập, quán triệt", "Lễ trao tặng Huy hiệu Đảng", "Hội nghị báo cáo viên", "Lễ kết nạp đảng viên mới", "Hội nghị giao ban công tác quý", "Hội thi tìm hiểu lịch sử Đảng", "Đại hội điểm chi bộ"}
	sentences  = []string{
		"Năm {y}, trong bối cảnh còn nhiều khó khăn, thách thức, {org} đã bám sát sự lãnh đạo, chỉ đạo của Ban Thường vụ Đảng ủy Khối, triển khai đồng bộ các giải pháp và hoàn thành {pct}% chỉ tiêu đề ra.",
		"Các cấp ủy, tổ chức đảng đã chủ động xây dựng chương trình, kế hoạch cụ thể, gắn với nhiệm vụ chính trị của từng cơ quan, đơn vị.",
		"Công tác quán triệt, triển khai các chỉ thị, nghị quyết của Đảng được thực hiện nghiêm túc, kịp thời, với {num} lượt cán bộ, đảng viên tham gia học tập.",
		"Trong kỳ, toàn Đảng bộ đã kết nạp {small} đảng viên mới, nâng tổng số đảng viên lên {num} đồng chí, sinh hoạt tại {small} tổ chức cơ sở đảng.",
		"Ủy ban Kiểm tra các cấp đã tiến hành kiểm tra {small} tổ chức đảng và {small} đảng viên khi có dấu hiệu vi phạm, qua đó kịp thời chấn chỉnh những hạn chế, thiếu sót.",
		"Việc sinh hoạt chi bộ định kỳ và sinh hoạt chuyên đề được duy trì nền nếp, nội dung ngày càng thiết thực, phù hợp với đặc điểm của từng chi bộ.",
		"Công tác nắm bắt tình hình tư tưởng của cán bộ, đảng viên được quan tâm, nhất là trước những vấn đề mới nảy sinh được dư luận xã hội quan tâm.",
		"Phong trào thi đua yêu nước được phát động rộng khắp, có {small} tập thể và {num} cá nhân được khen thưởng ở các cấp.",
		"Bên cạnh kết quả đạt được, hội nghị cũng thẳng thắn chỉ ra một số hạn chế như: việc cụ thể hóa nghị quyết ở một số nơi còn chậm, chất lượng sinh hoạt chi bộ chưa đồng đều.",
		"Các đại biểu đã tập trung thảo luận, đóng góp nhiều ý kiến tâm huyết, trách nhiệm vào dự thảo báo cáo và phương hướng nhiệm vụ năm {y1}.",
		"Ứng dụng công nghệ thông tin trong quản lý, điều hành được đẩy mạnh, {pct}% văn bản được gửi, nhận qua môi trường mạng, góp phần tiết kiệm thời gian và chi phí.",
		"Công tác phối hợp giữa cấp ủy với thủ trưởng cơ quan, đơn vị và các tổ chức đoàn thể ngày càng chặt chẽ, *hiệu quả*.",
		"Đội ngũ báo cáo viên thường xuyên được bồi dưỡng, cập nhật thông tin, kịp thời định hướng tư tưởng cho cán bộ, đảng viên và người lao động.",
		"Các tổ chức Công đoàn, Đoàn Thanh niên, Hội Cựu chiến binh đã tích cực tham gia xây dựng Đảng, xây dựng cơ quan, đơn vị **vững mạnh toàn diện**.",
		"Tỷ lệ tổ chức cơ sở đảng được đánh giá hoàn thành tốt nhiệm vụ trở lên đạt {pct}%, không có tổ chức đảng yếu kém.",
		"Qua đó, nhận thức và trách nhiệm của cán bộ, đảng viên về {topic} được nâng lên rõ rệt.",
	}
	taskTexts = []string{"Nắm bắt tình hình tư tưởng của cán bộ, đảng viên, kịp thời định hướng dư luận xã hội", "Tăng cường phối hợp giữa các cấp ủy, tổ chức đảng trong {topic}", "Đẩy mạnh việc học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh", "Nâng cao chất lượng sinh hoạt chi bộ, chú trọng sinh hoạt chuyên đề", "Làm tốt công tác tạo nguồn, phát triển đảng viên mới trong năm {y1}", "Triển khai hiệu quả chương trình kiểm tra, giám sát năm {y1}", "Đẩy mạnh ứng dụng công nghệ thông tin và chuyển đổi số trong hoạt động của cơ quan đảng", "Quan tâm chăm lo đời sống vật chất, tinh thần cho cán bộ, đảng viên và người lao động", "Thực hiện tốt quy chế dân chủ ở cơ sở", "Tăng cường đấu tranh phản bác các quan điểm sai trái, thù địch trên không gian mạng"}
	statuses  = []string{"mới", "đang thực hiện", "hoàn thành"}
)

// SiteYAML is the corpus's site.yaml.
const SiteYAML = `title: "Đảng bộ Khối các cơ quan và doanh nghiệp tỉnh"
baseURL: https://dangbokhoi.example.gov.vn/
language: vi
timezone: Asia/Ho_Chi_Minh
paginate: 10
minify: true
menu:
  - {name: "Trang chủ", url: /}
  - {name: "Tin tức", url: /tin-tuc/}
  - {name: "Hoạt động", url: /hoat-dong/}
  - {name: "Văn bản", url: /van-ban/}
links:
  - {name: "Báo điện tử Đảng Cộng sản Việt Nam", url: "https://dangcongsan.vn/"}
  - {name: "Cổng Thông tin điện tử Chính phủ", url: "https://chinhphu.vn/"}
`

// Article is one generated file.
type Article struct {
	Path string // content/<section>/<slug>-<i>.md
	Body []byte
}

// Cast is the corpus's pool of participants and their roles.
type Cast struct {
	names []string
	roles []string
}

func makePeople(seed uint64) Cast {
	r := rand.New(rand.NewPCG(seed, 0x70656f706c65))
	p := Cast{names: []string{"Vũ Hữu Thi"}, roles: []string{"Bí thư Đảng ủy Khối"}}
	seen := map[string]bool{"Vũ Hữu Thi": true}
	for len(p.names) < 200 {
		n := family[r.IntN(len(family))] + " " + middle[r.IntN(len(middle))] + " " + given[r.IntN(len(given))]
		if !seen[n] {
			seen[n] = true
			p.names = append(p.names, n)
			p.roles = append(p.roles, roles[r.IntN(len(roles))])
		}
	}
	return p
}

// Generate returns article i (1-based) of the corpus for seed.
func Generate(i int, seed uint64, ppl Cast) Article {
	r := rand.New(rand.NewPCG(seed, uint64(i)))
	w := r.IntN(100)
	sec := sections[0]
	for acc, s := 0, 0; s < len(sections); s++ {
		acc += sections[s].weight
		if w < acc {
			sec = sections[s]
			break
		}
	}
	date := time.Date(2015, 1, 1, 7+r.IntN(11), r.IntN(60), 0, 0, time.UTC).AddDate(0, 0, r.IntN(3653))
	y := date.Year()
	org := orgs[r.IntN(len(orgs))]
	topic := topics[r.IntN(len(topics))]
	event := events[r.IntN(len(events))]
	fill := func(s string) string {
		return strings.NewReplacer("{y}", fmt.Sprint(y), "{y1}", fmt.Sprint(y+1), "{org}", org, "{topic}", topic,
			"{pct}", fmt.Sprintf("%d,%d", 85+r.IntN(15), r.IntN(10)), "{num}", fmt.Sprintf("%d.%03d", 1+r.IntN(9), r.IntN(1000)),
			"{small}", fmt.Sprint(2+r.IntN(90))).Replace(s)
	}
	var title string
	switch r.IntN(4) {
	case 0:
		title = fmt.Sprintf("%s lần thứ %d", event, 2+r.IntN(38))
	case 1:
		title = "Ban Thường vụ Đảng ủy Khối làm việc với " + org
	case 2:
		title = fmt.Sprintf("%s sơ kết %s 6 tháng đầu năm %d", org, topic, y)
	default:
		title = fmt.Sprintf("Triển khai nhiệm vụ %s năm %d", topic, y)
	}

	var b strings.Builder
	b.WriteString("---\n")
	fmt.Fprintf(&b, "title: %q\n", title)
	fmt.Fprintf(&b, "date: %s+07:00\n", date.Format("2006-01-02T15:04:05"))
	lead := fmt.Sprintf("Ngày %s, %s tổ chức %s.", date.Format("02/01/2006"), org, lowerFirst(event))
	fmt.Fprintf(&b, "summary: %q\n", lead)
	fmt.Fprintf(&b, "category: %q\n", categories[r.IntN(len(categories))])
	b.WriteString("tags:\n")
	for _, j := range r.Perm(len(tags))[:2+r.IntN(3)] {
		fmt.Fprintf(&b, "  - %q\n", tags[j])
	}
	b.WriteString("participants:\n")
	k := 2 + r.IntN(7)
	chosen := map[int]bool{}
	var chair string
	for len(chosen) < k {
		j := r.IntN(len(ppl.names))
		if r.IntN(10) < 6 {
			j = min(int(r.ExpFloat64()*8), len(ppl.names)-1) // leaders appear more often
		}
		if chosen[j] {
			continue
		}
		chosen[j] = true
		if chair == "" {
			chair = ppl.names[j]
			fmt.Fprintf(&b, "  - {name: %q, role: %q, chair: true}\n", ppl.names[j], ppl.roles[j])
		} else {
			fmt.Fprintf(&b, "  - name: %q\n    role: %q\n", ppl.names[j], ppl.roles[j])
		}
	}
	b.WriteString("tasks:\n")
	nTasks := 3 + r.IntN(5)
	for _, j := range r.Perm(len(taskTexts))[:nTasks] {
		t := fill(taskTexts[j])
		if r.IntN(2) == 0 {
			fmt.Fprintf(&b, "  - %q\n", t)
			continue
		}
		fmt.Fprintf(&b, "  - text: %q\n    lead: %q\n    due: %d-%02d\n    status: %s\n", t, orgs[r.IntN(len(orgs))], y+1, 1+r.IntN(12), statuses[r.IntN(3)])
	}
	// Photos come from their own stream, so that adding them left every
	// other field as it was.
	if ph := photos(i, seed, y); len(ph) > 0 {
		b.WriteString("images:\n")
		for _, p := range ph {
			fmt.Fprintf(&b, "  - %q\n", p)
		}
	}
	b.WriteString("---\n\n")

	target := 600 + r.IntN(900)
	words := 0
	para := func() {
		n := 3 + r.IntN(4)
		for s := 0; s < n; s++ {
			if s > 0 {
				b.WriteByte(' ')
			}
			sent := fill(sentences[r.IntN(len(sentences))])
			words += strings.Count(sent, " ") + 1
			b.WriteString(sent)
		}
		b.WriteString("\n\n")
	}
	fmt.Fprintf(&b, "**%s**\n\n", lead)
	fmt.Fprintf(&b, "Đồng chí %s chủ trì hội nghị.\n\n", chair)
	para()
	b.WriteString("## Kết quả nổi bật\n\n")
	for words < target-120 {
		para()
	}
	b.WriteString("## Nhiệm vụ trọng tâm thời gian tới\n\n")
	for j := 1; j <= 3; j++ {
		fmt.Fprintf(&b, "%d. %s.\n", j, fill(taskTexts[r.IntN(len(taskTexts))]))
	}
	fmt.Fprintf(&b, "\nChi tiết xem tại [Kế hoạch số %d-KH/ĐUK](https://dangbokhoi.example.gov.vn/van-ban/ke-hoach-%d/).\n", 10+r.IntN(400), i)

	slug := viet.SlugMax(title, 70)
	return Article{Path: fmt.Sprintf("content/%s/%s-%d.md", sec.dir, slug, i), Body: []byte(b.String())}
}

// Images is how many photos the corpus has: Images/10 for each of its ten
// years (../shared/bench has 200 of 1200×800; fewer and smaller here, so
// that processing them once per corpus stays short).
const Images = 60

// ImageSize is every photo's size: published as is with 320w and 640w variants.
var ImageSize = image.Pt(800, 533)

// photos picks article i's 0–6 photos among those of its year, as
// static-absolute paths, in order.
func photos(i int, seed uint64, year int) []string {
	r := rand.New(rand.NewPCG(seed^0x70686f746f73, uint64(i)))
	var pool []int
	for j := 1; j <= Images; j++ {
		if (j-1)%10 == (year-2015)%10 {
			pool = append(pool, j)
		}
	}
	k := min(r.IntN(7), len(pool))
	picked := r.Perm(len(pool))[:k]
	sort.Ints(picked)
	out := make([]string, k)
	for n, p := range picked {
		out[n] = imagePath(pool[p])
	}
	return out
}

// imagePath is photo j's path under static/, from the site: /images/2017/anh-0003.jpg.
func imagePath(j int) string {
	return fmt.Sprintf("/images/%d/anh-%04d.jpg", 2015+(j-1)%10, j)
}

// writeImage writes photo j: a JPEG of smooth colour with grain, so it
// compresses like a photo, not like a flat image.
func writeImage(dir string, j int, seed uint64) error {
	r := rand.New(rand.NewPCG(seed^0x696d616765, uint64(j)))
	img := image.NewRGBA(image.Rectangle{Max: ImageSize})
	base := [3]int{r.IntN(200), r.IntN(200), r.IntN(200)}
	w, h := ImageSize.X, ImageSize.Y
	for y := range h {
		for x := range w {
			o := y*img.Stride + x*4
			g := r.IntN(24)
			img.Pix[o] = uint8(min(255, base[0]+x*48/w+g))
			img.Pix[o+1] = uint8(min(255, base[1]+y*48/h+g))
			img.Pix[o+2] = uint8(min(255, base[2]+(x+y)*24/(w+h)+g))
			img.Pix[o+3] = 255
		}
	}
	p := filepath.Join(dir, "static", filepath.FromSlash(imagePath(j)))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	f, err := os.Create(p)
	if err != nil {
		return err
	}
	if err := jpeg.Encode(f, img, &jpeg.Options{Quality: 85}); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// Write writes site.yaml, the photos and n articles under dir.
func Write(dir string, n int, seed uint64) error {
	if err := os.WriteFile(filepath.Join(dir, "site.yaml"), []byte(SiteYAML), 0o644); err != nil {
		return err
	}
	for j := 1; j <= Images; j++ {
		if err := writeImage(dir, j, seed); err != nil {
			return err
		}
	}
	ppl := makePeople(seed)
	made := map[string]bool{}
	for i := 1; i <= n; i++ {
		a := Generate(i, seed, ppl)
		p := filepath.Join(dir, filepath.FromSlash(a.Path))
		d := filepath.Dir(p)
		if !made[d] {
			if err := os.MkdirAll(d, 0o755); err != nil {
				return err
			}
			made[d] = true
		}
		if err := os.WriteFile(p, a.Body, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// NewCast returns the corpus's participants for seed (for Generate).
func NewCast(seed uint64) Cast { return makePeople(seed) }

// lowerFirst lowercases the first letter ("Hội nghị" → "hội nghị").
func lowerFirst(s string) string {
	for i := range s {
		if i > 0 {
			return strings.ToLower(s[:i]) + s[i:]
		}
	}
	return strings.ToLower(s)
}
