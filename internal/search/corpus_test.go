package search

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// The generated corpus: committee news shaped like ../shared/bench's generator (titles of
// meetings, sơ kết and tổng kết, participants with roles, tasks, 40–120 sentences of body).
var (
	genSections = [][2]string{{"Tin tức", "/tin-tuc/"}, {"Hoạt động", "/hoat-dong/"}, {"Văn bản", "/van-ban/"}}
	genOrgs     = []string{"Đảng bộ Sở Tài chính", "Đảng bộ Sở Giáo dục và Đào tạo", "Chi bộ Văn phòng UBND tỉnh", "Đảng bộ Bảo hiểm xã hội tỉnh", "Đảng bộ Cục Thuế tỉnh", "Đảng bộ Kho bạc Nhà nước tỉnh", "Đảng bộ Sở Y tế", "Đảng bộ Sở Nông nghiệp và Phát triển nông thôn", "Đảng bộ Sở Kế hoạch và Đầu tư", "Chi bộ Sở Tư pháp", "Đảng bộ Sở Giao thông vận tải", "Đảng bộ Sở Công Thương"}
	genTopics   = []string{"công tác xây dựng Đảng", "công tác kiểm tra, giám sát và thi hành kỷ luật đảng", "công tác tuyên giáo", "công tác dân vận", "công tác tổ chức, cán bộ", "công tác phát triển đảng viên", "công tác phòng, chống tham nhũng, tiêu cực", "công tác chuyển đổi số", "công tác cải cách hành chính", "công tác thi đua, khen thưởng"}
	genEvents   = []string{"Hội nghị Ban Chấp hành Đảng bộ Khối", "Hội nghị tổng kết công tác năm", "Hội nghị học tập, quán triệt", "Lễ trao tặng Huy hiệu Đảng", "Hội nghị báo cáo viên", "Lễ kết nạp đảng viên mới", "Hội nghị giao ban công tác quý", "Hội thi tìm hiểu lịch sử Đảng", "Đại hội điểm chi bộ", "Hội nghị sơ kết công tác 6 tháng đầu năm"}
	genTags     = []string{"Nghị quyết Trung ương 4", "chuyển đổi số", "cải cách hành chính", "phòng chống tham nhũng", "đại hội chi bộ", "học tập nghị quyết", "phát triển đảng viên", "an ninh trật tự", "Đoàn Thanh niên", "Công đoàn", "Hội Cựu chiến binh", "kiểm tra giám sát", "sơ kết 6 tháng", "tổng kết năm", "quy chế dân chủ", "công tác dân vận", "thi đua khen thưởng", "Huy hiệu Đảng", "kết nạp đảng viên", "đăng ký thi đua"}
	genFamily   = []string{"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương"}
	genMiddle   = []string{"Văn", "Thị", "Hữu", "Đức", "Minh", "Thanh", "Quốc", "Ngọc", "Xuân", "Công"}
	genGiven    = []string{"Thi", "Hùng", "Dũng", "Hà", "Lan", "Sơn", "Tuấn", "Hải", "Long", "Nam", "Bình", "Hòa", "Phương", "Thắng"}
	genRoles    = []string{"Phó Bí thư Đảng ủy Khối", "Ủy viên Ban Thường vụ Đảng ủy Khối", "Chủ nhiệm Ủy ban Kiểm tra Đảng ủy Khối", "Trưởng Ban Tuyên giáo Đảng ủy Khối", "Bí thư Chi bộ cơ sở", "Giám đốc Sở"}
	genTasks    = []string{"Nắm bắt tình hình tư tưởng của cán bộ, đảng viên", "Tăng cường phối hợp giữa các cấp ủy trong {topic}", "Đẩy mạnh việc học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh", "Nâng cao chất lượng sinh hoạt chi bộ", "Làm tốt công tác phát triển đảng viên mới trong năm {y1}", "Đẩy mạnh chuyển đổi số trong hoạt động của cơ quan đảng"}
	genSentence = []string{
		"Năm {y}, trong bối cảnh còn nhiều khó khăn, thách thức, {org} đã bám sát sự lãnh đạo, chỉ đạo của Ban Thường vụ Đảng ủy Khối và hoàn thành {pct}% chỉ tiêu đề ra.",
		"Các cấp ủy, tổ chức đảng đã chủ động xây dựng chương trình, kế hoạch cụ thể, gắn với nhiệm vụ chính trị của từng cơ quan, đơn vị.",
		"Công tác quán triệt, triển khai các chỉ thị, nghị quyết của Đảng được thực hiện nghiêm túc, kịp thời, với {num} lượt cán bộ, đảng viên tham gia học tập.",
		"Trong kỳ, toàn Đảng bộ đã kết nạp {small} đảng viên mới, nâng tổng số đảng viên lên {num} đồng chí, sinh hoạt tại {small} tổ chức cơ sở đảng.",
		"Ủy ban Kiểm tra các cấp đã tiến hành kiểm tra {small} tổ chức đảng và {small} đảng viên, qua đó kịp thời chấn chỉnh những hạn chế, thiếu sót.",
		"Việc sinh hoạt chi bộ định kỳ và sinh hoạt chuyên đề được duy trì nền nếp, nội dung ngày càng thiết thực.",
		"Phong trào thi đua yêu nước được phát động rộng khắp, có {small} tập thể và {num} cá nhân được khen thưởng ở các cấp.",
		"Bên cạnh kết quả đạt được, hội nghị cũng thẳng thắn chỉ ra một số hạn chế như việc cụ thể hóa nghị quyết ở một số nơi còn chậm.",
		"Các đại biểu đã tập trung thảo luận, đóng góp nhiều ý kiến tâm huyết vào dự thảo báo cáo và phương hướng nhiệm vụ năm {y1}.",
		"Ứng dụng công nghệ thông tin trong quản lý, điều hành được đẩy mạnh, {pct}% văn bản được gửi, nhận qua môi trường mạng.",
		"Đội ngũ báo cáo viên thường xuyên được bồi dưỡng, cập nhật thông tin, kịp thời định hướng tư tưởng cho cán bộ, đảng viên.",
		"Các tổ chức Công đoàn, Đoàn Thanh niên, Hội Cựu chiến binh đã tích cực tham gia xây dựng Đảng, xây dựng cơ quan vững mạnh.",
		"Tỷ lệ tổ chức cơ sở đảng được đánh giá hoàn thành tốt nhiệm vụ trở lên đạt {pct}%, không có tổ chức đảng yếu kém.",
		"Qua đó, nhận thức và trách nhiệm của cán bộ, đảng viên về {topic} được nâng lên rõ rệt.",
		"Thực hiện Quy định {qd}-QĐ/TW, các chi bộ đã rà soát, đăng ký {small} công trình, phần việc thiết thực.",
		"Đồng chí {person} đề nghị các đơn vị tiếp tục đẩy mạnh {topic}, phát triển kinh tế gắn với bảo đảm an sinh xã hội.",
	}
)

// genDocs returns n documents; document i depends only on (seed, i).
func genDocs(n int, seed uint64) []Doc {
	docs := make([]Doc, n)
	for i := range docs {
		docs[i] = genDoc(i, seed)
	}
	return docs
}

func genDoc(i int, seed uint64) Doc {
	r := rand.New(rand.NewPCG(seed, uint64(i)))
	pick := func(s []string) string { return s[r.IntN(len(s))] }
	date := time.Date(2015, 1, 1, 7+r.IntN(11), r.IntN(60), 0, 0, time.UTC).AddDate(0, 0, r.IntN(3653))
	y := date.Year()
	org, topic := pick(genOrgs), pick(genTopics)
	person := func() string { return pick(genFamily) + " " + pick(genMiddle) + " " + pick(genGiven) }
	fill := func(s string) string {
		return strings.NewReplacer("{y}", fmt.Sprint(y), "{y1}", fmt.Sprint(y+1), "{org}", org, "{topic}", topic,
			"{pct}", fmt.Sprintf("%d,%d", 85+r.IntN(15), r.IntN(10)), "{num}", fmt.Sprintf("%d.%03d", 1+r.IntN(9), r.IntN(1000)),
			"{small}", fmt.Sprint(2+r.IntN(90)), "{qd}", fmt.Sprint(1+r.IntN(300)), "{person}", person()).Replace(s)
	}
	var title string
	switch r.IntN(4) {
	case 0:
		title = fmt.Sprintf("%s lần thứ %d", pick(genEvents), 2+r.IntN(38))
	case 1:
		title = "Ban Thường vụ Đảng ủy Khối làm việc với " + org
	case 2:
		title = fmt.Sprintf("%s sơ kết %s 6 tháng đầu năm %d", org, topic, y)
	default:
		title = fmt.Sprintf("Triển khai nhiệm vụ %s năm %d", topic, y)
	}
	sec := genSections[0]
	if w := r.IntN(10); w >= 9 {
		sec = genSections[2]
	} else if w >= 7 {
		sec = genSections[1]
	}
	d := Doc{
		URL:     fmt.Sprintf("%s%s-%d/", sec[1], slugish(title), i),
		Title:   title,
		Section: sec[0], SectionURL: sec[1],
		Date: date,
	}
	for _, k := range r.Perm(len(genTags))[:2+r.IntN(3)] {
		d.Tags = append(d.Tags, genTags[k])
	}
	for range 2 + r.IntN(5) {
		d.People = append(d.People, person()+", "+pick(genRoles))
	}
	for range 2 + r.IntN(3) {
		d.Tasks = append(d.Tasks, fill(pick(genTasks)))
	}
	if sec[1] == "/van-ban/" {
		d.Numbers = []string{fmt.Sprintf("%02d-KH/ĐUK", 1+r.IntN(400))}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Ngày %s, %s tổ chức %s.\n\n", date.Format("02/01/2006"), org, strings.ToLower(pick(genEvents)))
	for n := 25 + r.IntN(40); n > 0; n-- {
		b.WriteString(fill(pick(genSentence)))
		if n%5 == 0 {
			b.WriteString("\n\n")
		} else {
			b.WriteByte(' ')
		}
	}
	d.Body = b.String()
	return d
}

// slugish is a short stand-in for viet.Slug, enough for unique test URLs.
func slugish(s string) string {
	f := strings.Fields(strings.ToLower(s))
	if len(f) > 4 {
		f = f[:4]
	}
	return strings.Join(f, "-")
}
