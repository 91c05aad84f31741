// Package demo builds a demo province — its service centre, departments and
// communes, staff for every role, the real procedures of the national
// catalogue, and dossiers in every state — through the service, so that the
// demo obeys every rule the system enforces.
package demo

import (
	"github.com/motcua/motcua"
)

// Password is the password of every demo account.
const Password = "MotCua@2026"

// agencySpec describes a demo agency. Codes follow the two styles in use
// (000.00.NN.Hxx for provincial bodies, Hxx.NNN for communes) with the
// fictitious province code H99, so that they cannot be mistaken for a real
// province's.
type agencySpec struct {
	key    string
	code   string
	name   string
	level  motcua.AgencyLevel
	kind   motcua.AgencyKind
	parent string
	points []pointSpec
}

type pointSpec struct {
	code, name, address string
}

var agencies = []agencySpec{
	{key: "ubnd-tinh", code: "000.00.00.H99", name: "Ủy ban nhân dân tỉnh Mẫu (dữ liệu mẫu)", level: motcua.LevelProvince, kind: motcua.KindProvinceCommittee},
	{key: "ttpvhcc", code: "000.00.01.H99", name: "Trung tâm Phục vụ hành chính công tỉnh Mẫu", level: motcua.LevelProvince,
		kind: motcua.KindServiceCentre, parent: "ubnd-tinh",
		points: []pointSpec{{"TTPVHCC-01", "Trung tâm Phục vụ hành chính công tỉnh – trụ sở chính", "Số 1 đường Trung Tâm, phường Trung Tâm, tỉnh Mẫu"}}},
	{key: "so-tu-phap", code: "000.00.11.H99", name: "Sở Tư pháp tỉnh Mẫu", level: motcua.LevelProvince, kind: motcua.KindDepartment, parent: "ubnd-tinh"},
	{key: "so-noi-vu", code: "000.00.12.H99", name: "Sở Nội vụ tỉnh Mẫu", level: motcua.LevelProvince, kind: motcua.KindDepartment, parent: "ubnd-tinh"},
	{key: "so-xay-dung", code: "000.00.13.H99", name: "Sở Xây dựng tỉnh Mẫu", level: motcua.LevelProvince, kind: motcua.KindDepartment, parent: "ubnd-tinh"},
	{key: "so-y-te", code: "000.00.14.H99", name: "Sở Y tế tỉnh Mẫu", level: motcua.LevelProvince, kind: motcua.KindDepartment, parent: "ubnd-tinh"},
	// Vertical agencies answer to their ministries, not to the province;
	// but the province runs the one TTHC system its bodies use (NĐ 118
	// Art.27(2)), and its data centre manages every account in it. So in
	// the system they hang under the provincial People's Committee, while
	// their level and kind keep them apart in reports.
	{key: "cong-an-tinh", code: "000.00.20.H99", name: "Công an tỉnh Mẫu", level: motcua.LevelVertical, kind: motcua.KindVerticalAgency, parent: "ubnd-tinh"},
	{key: "thue", code: "000.00.21.H99", name: "Thuế tỉnh Mẫu", level: motcua.LevelVertical, kind: motcua.KindVerticalAgency, parent: "ubnd-tinh"},
	{key: "xa-an-phu", code: "H99.101", name: "Ủy ban nhân dân xã An Phú", level: motcua.LevelCommune, kind: motcua.KindCommuneCommittee, parent: "ubnd-tinh",
		points: []pointSpec{{"H99.101.01", "Trung tâm Phục vụ hành chính công xã An Phú", "Ấp Trung, xã An Phú"},
			{"H99.101.02", "Điểm tiếp nhận ấp Bắc, xã An Phú", "Ấp Bắc, xã An Phú"}}},
	{key: "phuong-trung-tam", code: "H99.102", name: "Ủy ban nhân dân phường Trung Tâm", level: motcua.LevelCommune, kind: motcua.KindCommuneCommittee, parent: "ubnd-tinh",
		points: []pointSpec{{"H99.102.01", "Trung tâm Phục vụ hành chính công phường Trung Tâm", "Số 5 đường Lê Lợi, phường Trung Tâm"}}},
	{key: "xa-hoa-binh", code: "H99.103", name: "Ủy ban nhân dân xã Hòa Bình", level: motcua.LevelCommune, kind: motcua.KindCommuneCommittee, parent: "ubnd-tinh",
		points: []pointSpec{{"H99.103.01", "Trung tâm Phục vụ hành chính công xã Hòa Bình", "Khu phố 1, xã Hòa Bình"}}},
}

// Account is a demo account as printed for the newcomer.
type Account struct {
	Username string
	FullName string
	Role     motcua.Role
	Agency   string
}

type staffSpec struct {
	username, name, title string
	role                  motcua.Role
	agency                string
}

var staff = []staffSpec{
	{"admin", "Nguyễn Văn Quản", "Quản trị hệ thống", motcua.RoleAdmin, "ubnd-tinh"},
	{"dvcqg", "Cổng Dịch vụ công quốc gia (tích hợp)", "Tài khoản tích hợp", motcua.RoleIntegration, "ubnd-tinh"},
	// The administrator manages accounts and reads no dossier; reading the
	// province's dossiers (the police's and the communes' included) is
	// this supervisor's, and every view is logged.
	{"giamsat.tinh", "Phan Thị Giang", "Chuyên viên Văn phòng UBND tỉnh (giám sát, kiểm tra)", motcua.RoleSupervisor, "ubnd-tinh"},
	{"motcua.tinh", "Trần Thị Lan", "Công chức Trung tâm PVHCC tỉnh", motcua.RoleReception, "ttpvhcc"},
	{"tp.noivu", "Lê Văn Hùng", "Trưởng phòng Người có công", motcua.RoleHead, "so-noi-vu"},
	{"cv.noivu", "Phạm Thị Mai", "Chuyên viên", motcua.RoleSpecialist, "so-noi-vu"},
	{"cv2.noivu", "Đỗ Minh Tuấn", "Chuyên viên", motcua.RoleSpecialist, "so-noi-vu"},
	{"ld.noivu", "Hoàng Văn Nam", "Phó Giám đốc Sở", motcua.RoleLeader, "so-noi-vu"},
	{"tp.tuphap", "Vũ Thị Hạnh", "Trưởng phòng Hành chính tư pháp", motcua.RoleHead, "so-tu-phap"},
	{"cv.tuphap", "Bùi Văn Long", "Chuyên viên", motcua.RoleSpecialist, "so-tu-phap"},
	{"ld.tuphap", "Đặng Thị Thu", "Phó Giám đốc Sở", motcua.RoleLeader, "so-tu-phap"},
	{"tp.xaydung", "Ngô Văn Bình", "Trưởng phòng Quản lý hoạt động xây dựng", motcua.RoleHead, "so-xay-dung"},
	{"cv.xaydung", "Trịnh Thị Hoa", "Chuyên viên", motcua.RoleSpecialist, "so-xay-dung"},
	{"ld.xaydung", "Lý Văn Sơn", "Phó Giám đốc Sở", motcua.RoleLeader, "so-xay-dung"},
	{"tp.congan", "Dương Văn Khải", "Đội trưởng Đội đăng ký, sát hạch giấy phép lái xe", motcua.RoleHead, "cong-an-tinh"},
	{"cv.congan", "Ông Thị Thảo", "Cán bộ", motcua.RoleSpecialist, "cong-an-tinh"},
	{"ld.congan", "Quách Văn Toàn", "Phó Giám đốc Công an tỉnh", motcua.RoleLeader, "cong-an-tinh"},
	{"cv.thue", "Mạc Văn Thịnh", "Công chức thuế", motcua.RoleSpecialist, "thue"},
	{"motcua.anphu", "Huỳnh Thị Ngọc", "Công chức một cửa xã An Phú", motcua.RoleReception, "xa-an-phu"},
	{"cv.anphu", "Võ Văn Tài", "Công chức Tư pháp – Hộ tịch xã An Phú", motcua.RoleSpecialist, "xa-an-phu"},
	{"ct.anphu", "Đinh Văn Phúc", "Phó Chủ tịch UBND xã An Phú", motcua.RoleLeader, "xa-an-phu"},
	{"motcua.trungtam", "Mai Thị Hương", "Công chức một cửa phường Trung Tâm", motcua.RoleReception, "phuong-trung-tam"},
	{"cv.trungtam", "Cao Văn Đức", "Công chức Văn hóa – Xã hội phường Trung Tâm", motcua.RoleSpecialist, "phuong-trung-tam"},
	{"ct.trungtam", "Tạ Thị Nga", "Phó Chủ tịch UBND phường Trung Tâm", motcua.RoleLeader, "phuong-trung-tam"},
	{"motcua.hoabinh", "Lâm Văn Tú", "Công chức một cửa xã Hòa Bình", motcua.RoleReception, "xa-hoa-binh"},
	{"cv.hoabinh", "Châu Thị Yến", "Công chức Tư pháp – Hộ tịch xã Hòa Bình", motcua.RoleSpecialist, "xa-hoa-binh"},
	{"ct.hoabinh", "Kiều Văn Lộc", "Phó Chủ tịch UBND xã Hòa Bình", motcua.RoleLeader, "xa-hoa-binh"},
}

// Accounts lists the demo accounts with the names of their agencies.
func Accounts() []Account {
	names := map[string]string{}
	for _, a := range agencies {
		names[a.key] = a.name
	}
	out := make([]Account, 0, len(staff))
	for _, st := range staff {
		out = append(out, Account{Username: st.username, FullName: st.name, Role: st.role, Agency: names[st.agency]})
	}
	return out
}
