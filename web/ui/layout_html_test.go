package ui

import (
	"html/template"
	"strings"
	"testing"

	"github.com/motcua/motcua"
)

// layoutHeaderTemplate is the part of the layout layoutHeader replaced,
// kept here as the reference its output must equal byte for byte.
const layoutHeaderTemplate = `<nav aria-label="Điều hướng chính">
<a class="brand" href="/">Một cửa</a>
{{if .User}}
{{if .User.HasRole "reception_officer"}}<a href="/tiep-nhan"{{if eq .Section "counter"}} aria-current="page"{{end}}>Tiếp nhận</a>{{end}}
<a href="/hop-thu"{{if eq .Section "inbox"}} aria-current="page"{{end}}>Hộp thư hồ sơ</a>
{{if .User.HasRole "agency_leader"}}<a href="/ky-so-ket-qua"{{if eq .Section "sign"}} aria-current="page"{{end}}>Ký kết quả</a>{{end}}
<a href="/so-theo-doi"{{if eq .Section "book"}} aria-current="page"{{end}}>Sổ theo dõi</a>
<a href="/tim-ban-quet"{{if eq .Section "scansearch"}} aria-current="page"{{end}}>Tìm trong bản quét</a>
<a href="/bao-cao"{{if eq .Section "reports"}} aria-current="page"{{end}}>Báo cáo</a>
<a href="/quan-ly/phan-anh"{{if eq .Section "feedback_staff"}} aria-current="page"{{end}}>Phản ánh, kiến nghị</a>
{{if .User.HasRole "reception_officer"}}<a href="/quay/xep-hang"{{if eq .Section "queue"}} aria-current="page"{{end}}>Gọi số</a>{{end}}
<a href="/khoi-luong"{{if eq .Section "workload"}} aria-current="page"{{end}}>Khối lượng</a>
{{if .User.HasRole "supervisor"}}<a href="/nhat-ky-truy-cap"{{if eq .Section "accesslog"}} aria-current="page"{{end}}>Nhật ký truy cập</a>{{end}}
{{if .User.HasRole "admin"}}<a href="/quan-tri"{{if eq .Section "admin"}} aria-current="page"{{end}}>Quản trị</a>{{end}}
{{end}}
<a href="/thu-tuc"{{if eq .Section "catalogue"}} aria-current="page"{{end}}>Thủ tục</a>
<a href="/tra-cuu"{{if eq .Section "lookup"}} aria-current="page"{{end}}>Tra cứu hồ sơ</a>
<a href="/cong-dan"{{if eq .Section "citizen"}} aria-current="page"{{end}}>Hồ sơ của tôi</a>
<a href="/xac-thuc"{{if eq .Section "verify"}} aria-current="page"{{end}}>Xác thực văn bản</a>
<a href="/bang-tien-do"{{if eq .Section "board"}} aria-current="page"{{end}}>Tiến độ</a>
<a href="/thong-ke"{{if eq .Section "stats"}} aria-current="page"{{end}}>Thống kê</a>
{{if not .User}}<a href="/phan-anh"{{if eq .Section "feedback"}} aria-current="page"{{end}}>Phản ánh, kiến nghị</a>{{end}}
</nav>
<div class="who">{{if .User}}<a href="/thong-bao" class="bell"{{if eq .Section "notifications"}} aria-current="page"{{end}}>Thông báo{{if .Unread}} <span class="badge" title="{{.Unread}} thông báo chưa đọc">{{.Unread}}</span>{{end}}</a>
<a href="/tai-khoan"{{if eq .Section "account"}} aria-current="page"{{end}}>{{.User.FullName}}</a>
<form method="post" action="/dang-xuat" class="inline"><button type="submit" class="link">Đăng xuất</button></form>
{{else}}<a href="/dang-nhap">Đăng nhập cán bộ</a>{{end}}</div>`

// TestLayoutHeaderIsTheTemplatesHTML renders the menu for every section,
// signed out and as members of each role (and of none, and disabled), with
// and without unread notifications, and names with everything html/template
// escapes, through the old template and through layoutHeader.
func TestLayoutHeaderIsTheTemplatesHTML(t *testing.T) {
	ref := template.Must(template.New("h").Parse(layoutHeaderTemplate))
	sections := []string{"", "counter", "inbox", "sign", "book", "scansearch", "reports", "feedback_staff", "queue", "workload",
		"accesslog", "admin", "catalogue", "lookup", "citizen", "verify", "board", "stats", "feedback", "notifications", "account", "other"}
	users := []*motcua.User{nil, {FullName: "Nguyễn Văn A"}, {FullName: `<b>"A & B's" + C</b>` + "\x00", Disabled: true,
		Grants: []motcua.Grant{{Role: motcua.RoleAdmin}}}}
	for _, r := range motcua.StaffRoles {
		users = append(users, &motcua.User{FullName: "Trần Thị " + string(r), Grants: []motcua.Grant{{Role: r, AgencyID: 3}}})
	}
	users = append(users, &motcua.User{FullName: "Lê C", Grants: []motcua.Grant{{Role: motcua.RoleReception}, {Role: motcua.RoleLeader},
		{Role: motcua.RoleSupervisor}, {Role: motcua.RoleAdmin}}})
	n := 0
	for _, u := range users {
		for _, s := range sections {
			for _, unread := range []int{0, 1, 27} {
				p := &page{User: u, Section: s, Unread: unread}
				var want strings.Builder
				if err := ref.Execute(&want, p); err != nil {
					t.Fatal(err)
				}
				if got := string(layoutHeader(p)); got != want.String() {
					t.Fatalf("user %+v, section %q, unread %d:\n got %q\nwant %q", u, s, unread, got, want.String())
				}
				n++
			}
		}
	}
	if n < 500 {
		t.Fatalf("only %d cases", n)
	}
}
