package sim

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/motcua/motcua/popdb"
)

// Generated data: the simulator's citizens live in the demo province (tỉnh
// Mẫu, code 99, whose agencies are H99…) with a few elsewhere. Commune codes
// 99101–99103 match the demo's communes; they are illustrative, not the
// national list.

type place struct {
	province, commune, communeName, provinceName string
	details                                      []string
}

var places = []place{
	{"99", "99101", "xã An Phú", "tỉnh Mẫu", []string{"Ấp Trung", "Ấp Bắc", "Ấp Nam", "Ấp Đông", "Ấp Tây"}},
	{"99", "99102", "phường Trung Tâm", "tỉnh Mẫu", []string{"đường Lê Lợi", "đường Trần Hưng Đạo", "đường Nguyễn Huệ", "đường Hai Bà Trưng"}},
	{"99", "99103", "xã Hòa Bình", "tỉnh Mẫu", []string{"Khu phố 1", "Khu phố 2", "Khu phố 3", "Khu phố 4", "Khu phố 5"}},
	{"01", "00004", "phường Ba Đình", "Thành phố Hà Nội", []string{"phố Phan Đình Phùng", "phố Quán Thánh"}},
	{"79", "26734", "phường Sài Gòn", "Thành phố Hồ Chí Minh", []string{"đường Lê Thánh Tôn", "đường Đồng Khởi"}},
}

// birthPlaces are ID-number prefixes (old province codes) with the place
// of birth registration they stand for.
var birthPlaces = []struct{ prefix, name string }{
	{"089", "tỉnh An Giang"}, {"087", "tỉnh Đồng Tháp"}, {"086", "tỉnh Vĩnh Long"}, {"092", "thành phố Cần Thơ"},
	{"001", "thành phố Hà Nội"}, {"079", "Thành phố Hồ Chí Minh"}, {"094", "tỉnh Sóc Trăng"}, {"096", "tỉnh Cà Mau"},
}

var (
	familyNames  = []string{"Nguyễn", "Nguyễn", "Nguyễn", "Trần", "Trần", "Lê", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"}
	maleMiddle   = []string{"Văn", "Văn", "Hữu", "Đức", "Minh", "Quốc", "Thành", "Công", "Hoàng"}
	femaleMiddle = []string{"Thị", "Thị", "Thị", "Ngọc", "Thu", "Thanh", "Mỹ", "Kim", "Bích"}
	maleGiven    = []string{"An", "Bình", "Cường", "Dũng", "Hải", "Hùng", "Khang", "Long", "Nam", "Phúc", "Quang", "Sơn", "Tài", "Thắng", "Trung", "Tuấn", "Việt", "Vinh", "Khoa", "Lộc"}
	femaleGiven  = []string{"Anh", "Chi", "Dung", "Hà", "Hạnh", "Hoa", "Hương", "Lan", "Linh", "Mai", "Ngân", "Nhung", "Oanh", "Phương", "Thảo", "Trang", "Tuyết", "Vy", "Yến", "Thư"}
	ethnicities  = []string{"Kinh", "Kinh", "Kinh", "Kinh", "Kinh", "Kinh", "Kinh", "Kinh", "Khmer", "Hoa", "Tày", "Mường"}
	religions    = []string{"Không", "Không", "Không", "Không", "Không", "Phật giáo", "Công giáo", "Cao Đài", "Phật giáo Hòa Hảo"}
	bloodTypes   = []string{"", "", "O", "A", "B", "AB"}
)

// generator makes a deterministic population from a seed.
type generator struct {
	rng   *rand.Rand
	today time.Time
	seq   int
	st    *data
}

// data is the simulator's register: citizens by ID number and households
// by book number, with the ID numbers in creation order.
type data struct {
	people     map[string]*popdb.CongDan
	households map[string]*popdb.HoGiaDinh
	order      []string
}

func generate(seed int64, households int, today time.Time) *data {
	g := &generator{rng: rand.New(rand.NewPCG(uint64(seed), uint64(seed)^0x9e3779b97f4a7c15)), today: today,
		st: &data{people: map[string]*popdb.CongDan{}, households: map[string]*popdb.HoGiaDinh{}}}
	for i := 0; i < households; i++ {
		g.household(i)
	}
	return g.st
}

func (g *generator) pick(list []string) string { return list[g.rng.IntN(len(list))] }

// person makes one citizen born in the given year with the given gender
// (true: male) and family name.
func (g *generator) person(year int, male bool, family string) *popdb.CongDan {
	g.seq++
	bp := birthPlaces[g.rng.IntN(len(birthPlaces))]
	digit := 0
	if year >= 2000 {
		digit = 2
	}
	if !male {
		digit++
	}
	// The last six digits: a sequence scrambled by a fixed odd multiplier,
	// unique for up to a million people.
	serial := (g.seq * 7919) % 1000000
	id := fmt.Sprintf("%s%d%02d%06d", bp.prefix, digit, year%100, serial)
	birth := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, g.rng.IntN(365))
	c := &popdb.CongDan{SoDinhDanh: id, LoaiTaiKhoan: "1", NgayThangNamSinh: birth.Format("2006-01-02"),
		DanToc: g.pick(ethnicities), TonGiao: g.pick(religions), QuocTich: "Việt Nam", NhomMau: g.pick(bloodTypes),
		TrangThai: "1", TinhTrangHonNhan: "1",
		NoiDangKyKhaiSinh: &popdb.DiaChi{DiaChiDayDu: "Ủy ban nhân dân " + bp.name}, QueQuan: &popdb.DiaChi{DiaChiDayDu: bp.name}}
	if male {
		c.GioiTinh = "1"
		c.HoVaTen = popdb.HoVaTen{Ho: family, ChuDem: g.pick(maleMiddle), Ten: g.pick(maleGiven)}
	} else {
		c.GioiTinh = "2"
		c.HoVaTen = popdb.HoVaTen{Ho: family, ChuDem: g.pick(femaleMiddle), Ten: g.pick(femaleGiven)}
	}
	age := g.today.Year() - year
	if age >= 14 {
		switch r := g.rng.IntN(10); {
		case r < 7:
			c.MucDoDinhDanh = 2
		case r < 9:
			c.MucDoDinhDanh = 1
		}
	}
	if age >= 18 && g.rng.IntN(2) == 0 {
		c.MaSoThue = fmt.Sprintf("8%09d", g.rng.IntN(1000000000))
	}
	if year < 1995 && g.rng.IntN(10) < 6 {
		c.SoCMND = fmt.Sprintf("%09d", 300000000+g.rng.IntN(60000000))
	}
	if age >= 18 && g.rng.IntN(4) == 0 {
		c.ThuDienTu = fmt.Sprintf("congdan%d@example.vn", g.seq)
	}
	return c
}

func ref(c *popdb.CongDan, relation string) *popdb.NguoiThan {
	return &popdb.NguoiThan{SoDinhDanh: c.SoDinhDanh, SoCMND: c.SoCMND, HoVaTen: popdb.FullName(c.HoVaTen), QuocTich: c.QuocTich, QuanHe: relation}
}

// household makes one household: a head, often a spouse, children, at
// times an elderly parent; some members have died.
func (g *generator) household(i int) {
	pl := places[0]
	if r := g.rng.IntN(20); r < 18 {
		pl = places[r%3]
	} else {
		pl = places[3+r%2]
	}
	detail := g.pick(pl.details)
	if pl.commune == "99102" || pl.province != "99" {
		detail = fmt.Sprintf("Số %d %s", 1+g.rng.IntN(300), detail)
	}
	addr := &popdb.DiaChi{MaTinhThanh: pl.province, MaPhuongXa: pl.commune, ChiTiet: detail,
		DiaChiDayDu: detail + ", " + pl.communeName + ", " + pl.provinceName}
	book := fmt.Sprintf("%s%07d", pl.province, i+1)
	now := g.today.Year()
	headMale := g.rng.IntN(10) < 6
	headYear := now - 24 - g.rng.IntN(55)
	family := g.pick(familyNames)
	head := g.person(headYear, headMale, family)
	members := []*popdb.CongDan{head}
	relations := []string{"Chủ hộ"}
	var spouse *popdb.CongDan
	if g.rng.IntN(4) != 0 {
		spouse = g.person(headYear-3+g.rng.IntN(7), !headMale, g.pick(familyNames))
		head.TinhTrangHonNhan, spouse.TinhTrangHonNhan = "2", "2"
		rel := "Vợ"
		if !headMale {
			rel = "Chồng"
		}
		head.VoChong, spouse.VoChong = ref(spouse, ""), ref(head, "")
		members, relations = append(members, spouse), append(relations, rel)
	} else if now-headYear > 60 {
		head.TinhTrangHonNhan = "4"
	} else if g.rng.IntN(5) == 0 {
		head.TinhTrangHonNhan = "3"
	}
	father, mother := head, spouse
	if !headMale {
		father, mother = spouse, head
	}
	kids := g.rng.IntN(4)
	for k := 0; k < kids && now-headYear-20-k*2 > 0; k++ {
		year := headYear + 20 + k*2 + g.rng.IntN(4)
		if year > now {
			break
		}
		fam := family
		if father != nil {
			fam = father.HoVaTen.Ho
		}
		c := g.person(year, g.rng.IntN(2) == 0, fam)
		if father != nil {
			c.Cha = ref(father, "")
		}
		if mother != nil {
			c.Me = ref(mother, "")
		}
		if now-year < 18 {
			c.NguoiDaiDien = ref(head, "")
		}
		members, relations = append(members, c), append(relations, "Con")
	}
	if g.rng.IntN(7) == 0 {
		p := g.person(headYear-22-g.rng.IntN(8), g.rng.IntN(2) == 0, g.pick(familyNames))
		p.TinhTrangHonNhan = "4"
		if g.rng.IntN(3) == 0 {
			p.TrangThai = "2" // died; the record stays, marked
		}
		rel := "Mẹ"
		if p.GioiTinh == "1" {
			rel = "Cha"
		}
		members, relations = append(members, p), append(relations, rel)
	}
	h := &popdb.HoGiaDinh{SoSoHoKhau: book, DiaChi: addr}
	for j, m := range members {
		m.ThuongTru, m.NoiOHienTai, m.SoSoHoKhau = addr, addr, book
		if g.rng.IntN(15) == 0 && j > 0 {
			// Lives elsewhere for now (studies, works): a current residence
			// other than the permanent one.
			o := places[g.rng.IntN(len(places))]
			d := g.pick(o.details)
			m.NoiOHienTai = &popdb.DiaChi{MaTinhThanh: o.province, MaPhuongXa: o.commune, ChiTiet: d, DiaChiDayDu: d + ", " + o.communeName + ", " + o.provinceName}
		}
		m.ChuHo = ref(head, relations[j])
		h.ThanhVien = append(h.ThanhVien, *ref(m, relations[j]))
		g.st.people[m.SoDinhDanh] = m
		g.st.order = append(g.st.order, m.SoDinhDanh)
	}
	g.st.households[book] = h
}
