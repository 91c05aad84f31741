package ui

import (
	"bytes"
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

// writePage writes page p: the layout around the "content" template of t.
// The layout is written in Go, as its menu is (layoutHeader): as a
// template around every page it cost a dozen reflective evaluations and
// escapers per page, a third of what an inbox page's writing still took
// after its content moved to Go (issue 15). The HTML is what the layout
// template wrote, byte for byte (layout_html_test.go renders both); the
// title and the notice are escaped as html/template escapes text, the
// assets' addresses as it escapes a URL in an attribute.
//
// A page that defines a "layout" of its own (the counter's wall display,
// the kiosk) is written by it instead.
func writePage(buf *bytes.Buffer, t *template.Template, p *page) error {
	if t.Lookup("layout") != nil {
		return t.ExecuteTemplate(buf, "layout", p)
	}
	var b strings.Builder
	b.Grow(3072)
	b.WriteString("<!doctype html>\n<html lang=\"vi\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\n<title>")
	htmlText(&b, p.Title)
	b.WriteString(" – Một cửa</title>\n<link rel=\"stylesheet\" href=\"")
	urlAttr(&b, p.CSS)
	b.WriteString("\">\n<link rel=\"icon\" href=\"/favicon.ico\" type=\"image/svg+xml\">\n<script src=\"")
	urlAttr(&b, p.JS)
	b.WriteString("\" defer></script>\n</head>\n<body data-now=\"")
	b.WriteString(strconv.FormatInt(p.Now.UnixMilli(), 10))
	b.WriteString("\">\n<a class=\"skip\" href=\"#noi-dung\">Bỏ qua thanh điều hướng</a>\n<header class=\"top\">\n")
	b.WriteString(string(layoutHeader(p)))
	b.WriteString("\n</header>\n<main id=\"noi-dung\">\n")
	if p.Flash != "" {
		b.WriteString(`<p class="flash" role="status">`)
		htmlText(&b, p.Flash)
		b.WriteString("</p>")
	}
	b.WriteByte('\n')
	buf.WriteString(b.String())
	if err := t.ExecuteTemplate(buf, "content", p); err != nil {
		return err
	}
	buf.WriteString("\n</main>\n<footer class=\"foot\"><p>Hệ thống thông tin giải quyết thủ tục hành chính – cơ chế một cửa, một cửa liên thông (Nghị định 118/2025/NĐ-CP).</p></footer>\n</body>\n</html>")
	return nil
}

// urlAttr writes s as html/template writes a whole URL in a quoted
// attribute: as urlPath does, or "#ZgotmplZ" when its scheme is not
// http, https or mailto (html/template's filter).
func urlAttr(b *strings.Builder, s string) {
	if i := strings.IndexByte(s, ':'); i >= 0 && !strings.Contains(s[:i], "/") {
		switch strings.ToLower(s[:i]) {
		case "http", "https", "mailto":
		default:
			b.WriteString("#ZgotmplZ")
			return
		}
	}
	urlPath(b, s)
}
