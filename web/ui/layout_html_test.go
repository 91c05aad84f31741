package ui

import (
	"bytes"
	"html/template"
	"strings"
	"testing"
	"time"

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

// layoutTemplate is the layout template writePage replaced, kept here as
// the reference its output must equal byte for byte.
const layoutTemplate = `{{define "layout"}}<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>{{.Title}} – Một cửa</title>
<link rel="stylesheet" href="{{.CSS}}">
<link rel="icon" href="/favicon.ico" type="image/svg+xml">
<script src="{{.JS}}" defer></script>
</head>
<body data-now="{{ms .Now}}">
<a class="skip" href="#noi-dung">Bỏ qua thanh điều hướng</a>
<header class="top">
{{header .}}
</header>
<main id="noi-dung">
{{if .Flash}}<p class="flash" role="status">{{.Flash}}</p>{{end}}
{{template "content" .}}
</main>
<footer class="foot"><p>Hệ thống thông tin giải quyết thủ tục hành chính – cơ chế một cửa, một cửa liên thông (Nghị định 118/2025/NĐ-CP).</p></footer>
</body>
</html>{{end}}`

// TestWritePageIsTheLayoutTemplatesHTML writes pages with titles, notices
// and asset addresses holding everything html/template escapes (and
// addresses it filters out), signed in and out, through the old layout
// template and through writePage, around the same content.
func TestWritePageIsTheLayoutTemplatesHTML(t *testing.T) {
	funcs := template.FuncMap{"header": layoutHeader, "ms": func(t time.Time) int64 { return t.UnixMilli() }}
	const content = `{{define "content"}}<p>{{.Title}} {{.Path}}</p>{{end}}`
	ref := template.Must(template.New("ref").Funcs(funcs).Parse(layoutTemplate + content))
	cur := template.Must(template.New("cur").Funcs(funcs).Parse(content))
	odd := []string{"", "Hộp thư hồ sơ", `<script>alert("x")</script>`, "A & B's + C", "x\x00y", "/static/style.css?v=abc123",
		"javascript:alert(1)", "https://cdn.example/app.js?a=1&b=2", "mailto:a@b", "/a b/%zz/%41?q=é+&", "data:text/css,x", "HTTP://X/y"}
	users := []*motcua.User{nil, {FullName: "Nguyễn Văn A", Grants: []motcua.Grant{{Role: motcua.RoleSpecialist, AgencyID: 3}}}}
	for i, s := range odd {
		for _, u := range users {
			p := &page{Title: s, Flash: odd[(i+1)%len(odd)], CSS: odd[(i+2)%len(odd)], JS: odd[(i+3)%len(odd)], Path: odd[(i+4)%len(odd)],
				User: u, Section: "inbox", Unread: i, Now: time.Date(2026, 12, 7, 9, 30, 0, 0, time.UTC).Add(time.Duration(i-5) * 1e15)}
			var want strings.Builder
			if err := ref.ExecuteTemplate(&want, "layout", p); err != nil {
				t.Fatal(err)
			}
			var got bytes.Buffer
			if err := writePage(&got, cur, p); err != nil {
				t.Fatal(err)
			}
			if got.String() != want.String() {
				t.Errorf("case %d, user %v:\n got %q\nwant %q", i, u != nil, got.String(), want.String())
			}
		}
	}
}
