package ui

import (
	"html/template"
	"strconv"
	"strings"

	"github.com/motcua/motcua"
)

// layoutHeader writes the layout's menu and the signed-in corner (from
// <nav> to the end of the "who" block) in Go. It is on every page; as a
// template it made some thirty comparisons of the section and five
// reflective calls of HasRole per page, a tenth of an inbox page's CPU.
// The HTML is what the template wrote, byte for byte
// (layout_html_test.go renders both); the member's name is escaped as
// html/template escapes text.
func layoutHeader(p *page) template.HTML {
	var b strings.Builder
	b.Grow(2600)
	link := func(href, section, label string) {
		b.WriteString(`<a href="`)
		b.WriteString(href)
		b.WriteByte('"')
		if p.Section == section {
			b.WriteString(` aria-current="page"`)
		}
		b.WriteByte('>')
		b.WriteString(label)
		b.WriteString("</a>")
	}
	u := p.User
	b.WriteString("<nav aria-label=\"Điều hướng chính\">\n<a class=\"brand\" href=\"/\">Một cửa</a>\n")
	if u != nil {
		b.WriteByte('\n')
		for _, m := range staffMenu {
			if m.role == "" || u.HasRole(m.role) {
				link(m.href, m.section, m.label)
			}
			b.WriteByte('\n')
		}
	}
	b.WriteByte('\n')
	for _, m := range publicMenu {
		link(m.href, m.section, m.label)
		b.WriteByte('\n')
	}
	if u == nil {
		link("/phan-anh", "feedback", "Phản ánh, kiến nghị")
	}
	b.WriteString("\n</nav>\n<div class=\"who\">")
	if u != nil {
		b.WriteString(`<a href="/thong-bao" class="bell"`)
		if p.Section == "notifications" {
			b.WriteString(` aria-current="page"`)
		}
		b.WriteString(">Thông báo")
		if p.Unread != 0 {
			n := strconv.Itoa(p.Unread)
			b.WriteString(` <span class="badge" title="`)
			b.WriteString(n)
			b.WriteString(` thông báo chưa đọc">`)
			b.WriteString(n)
			b.WriteString("</span>")
		}
		b.WriteString("</a>\n")
		b.WriteString(`<a href="/tai-khoan"`)
		if p.Section == "account" {
			b.WriteString(` aria-current="page"`)
		}
		b.WriteByte('>')
		htmlText(&b, u.FullName)
		b.WriteString("</a>\n<form method=\"post\" action=\"/dang-xuat\" class=\"inline\"><button type=\"submit\" class=\"link\">Đăng xuất</button></form>\n")
	} else {
		b.WriteString(`<a href="/dang-nhap">Đăng nhập cán bộ</a>`)
	}
	b.WriteString("</div>")
	return template.HTML(b.String())
}

// menuItem is a link of the layout's menu, shown only to members with
// role when role is set.
type menuItem struct {
	href, section, label string
	role                 motcua.Role
}

// staffMenu is the menu of a signed-in member, in its order.
var staffMenu = []menuItem{
	{"/tiep-nhan", "counter", "Tiếp nhận", motcua.RoleReception},
	{"/hop-thu", "inbox", "Hộp thư hồ sơ", ""},
	{"/ky-so-ket-qua", "sign", "Ký kết quả", motcua.RoleLeader},
	{"/so-theo-doi", "book", "Sổ theo dõi", ""},
	{"/tim-ban-quet", "scansearch", "Tìm trong bản quét", ""},
	{"/bao-cao", "reports", "Báo cáo", ""},
	{"/quan-ly/phan-anh", "feedback_staff", "Phản ánh, kiến nghị", ""},
	{"/quay/xep-hang", "queue", "Gọi số", motcua.RoleReception},
	{"/khoi-luong", "workload", "Khối lượng", ""},
	{"/nhat-ky-truy-cap", "accesslog", "Nhật ký truy cập", motcua.RoleSupervisor},
	{"/quan-tri", "admin", "Quản trị", motcua.RoleAdmin},
}

// publicMenu is the menu everyone sees, after the staff's.
var publicMenu = []menuItem{
	{"/thu-tuc", "catalogue", "Thủ tục", ""},
	{"/tra-cuu", "lookup", "Tra cứu hồ sơ", ""},
	{"/cong-dan", "citizen", "Hồ sơ của tôi", ""},
	{"/xac-thuc", "verify", "Xác thực văn bản", ""},
	{"/bang-tien-do", "board", "Tiến độ", ""},
	{"/thong-ke", "stats", "Thống kê", ""},
}
