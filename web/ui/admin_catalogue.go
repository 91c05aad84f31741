package ui

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/service"
)

// importKindSlugs are the kinds of an import as the address names them.
var importKindSlugs = map[string]motcua.ImportKind{
	"moi": motcua.ImportNew, "thay-doi": motcua.ImportChanged, "khong-doi": motcua.ImportUnchanged, "bai-bo": motcua.ImportWithdrawn,
}

func importKindSlug(k motcua.ImportKind) string {
	for s, kk := range importKindSlugs {
		if kk == k {
			return s
		}
	}
	return ""
}

// importsData is the list of import runs with the import running here.
type importsData struct {
	SourceOn bool
	Progress service.ImportProgress
	Runs     []*motcua.ImportRun
}

// adminImports lists the imports from the national database and offers
// to start one.
func (u *UI) adminImports(w http.ResponseWriter, r *http.Request) {
	if u.staff(w, r) == nil {
		return
	}
	ctx := r.Context()
	d := &importsData{SourceOn: u.srv.Service.CatalogueSourceOn()}
	var err error
	if d.Progress, err = u.srv.Service.CatalogueImportProgress(ctx); err != nil {
		u.fail(w, r, err)
		return
	}
	if d.Runs, err = u.srv.Service.ImportRuns(ctx); err != nil {
		u.fail(w, r, err)
		return
	}
	p := &page{Title: "Nhập danh mục thủ tục từ Cơ sở dữ liệu quốc gia", Section: "admin", Data: d}
	switch r.URL.Query().Get("xong") {
	case "bat-dau":
		p.Flash = "Đã bắt đầu nhập danh mục. Tải lại trang để xem tiến độ."
	case "dung":
		p.Flash = "Đã dừng lần nhập: không lưu gì."
	}
	u.render(w, r, http.StatusOK, "admin_imports", p)
}

// adminStartImport starts an import in the background.
func (u *UI) adminStartImport(w http.ResponseWriter, r *http.Request) {
	if u.staff(w, r) == nil {
		return
	}
	if _, err := readForm(w, r); err != nil {
		u.fail(w, r, err)
		return
	}
	if err := u.srv.Service.StartCatalogueImport(r.Context()); err != nil {
		u.fail(w, r, err)
		return
	}
	seeOther(w, r, "/quan-tri/nhap-danh-muc?xong=bat-dau")
}

// adminCancelImport stops the import running here.
func (u *UI) adminCancelImport(w http.ResponseWriter, r *http.Request) {
	if u.staff(w, r) == nil {
		return
	}
	if _, err := readForm(w, r); err != nil {
		u.fail(w, r, err)
		return
	}
	if err := u.srv.Service.CancelCatalogueImport(r.Context()); err != nil {
		u.fail(w, r, err)
		return
	}
	seeOther(w, r, "/quan-tri/nhap-danh-muc?xong=dung")
}

// importData is one run with the items of one kind.
type importData struct {
	Run   *motcua.ImportRun
	Kind  motcua.ImportKind
	Slug  string
	Kinds []kindTab
	Items []*motcua.ImportItem
	More  int // items of the kind not shown
}

type kindTab struct {
	Slug, Label string
	Count       int
	Current     bool
}

// maxItemsShown keeps the page light: a run of a whole catalogue has
// hundreds of unchanged items.
const maxItemsShown = 150

// adminImport shows one run: the items of a kind (?loai=…, changed by
// default) with their differences and actions, and the agency and field
// lists compared.
func (u *UI) adminImport(w http.ResponseWriter, r *http.Request) {
	if u.staff(w, r) == nil {
		return
	}
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	q := r.URL.Query()
	slug := q.Get("loai")
	if slug == "" {
		slug = "thay-doi"
	}
	kind, ok := importKindSlugs[slug]
	if !ok {
		u.fail(w, r, motcua.Errorf(motcua.EINVALID, "import_kind_invalid", "Loại thay đổi không hợp lệ."))
		return
	}
	run, items, err := u.srv.Service.ImportRun(r.Context(), id, kind)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	d := &importData{Run: run, Kind: kind, Slug: slug, Items: items}
	for _, k := range motcua.ImportKinds {
		d.Kinds = append(d.Kinds, kindTab{Slug: importKindSlug(k), Label: k.Label(), Count: run.Count(k), Current: k == kind})
	}
	if len(d.Items) > maxItemsShown {
		d.More, d.Items = len(d.Items)-maxItemsShown, d.Items[:maxItemsShown]
	}
	p := &page{Title: "Lần nhập danh mục số " + strconv.FormatInt(run.ID, 10), Section: "admin", Data: d}
	if n := q.Get("da-cap-nhat"); n != "" {
		p.Flash = "Đã cập nhật " + n + " thủ tục vào danh mục."
		if f := q.Get("loi"); f != "" && f != "0" {
			p.Flash += " " + f + " thủ tục chưa cập nhật được (xem ghi chú từng mục)."
		}
	}
	u.render(w, r, http.StatusOK, "admin_import", p)
}

// adminImportItem records a decision on one item: accept, not apply, or
// publish it now.
func (u *UI) adminImportItem(w http.ResponseWriter, r *http.Request) {
	if u.staff(w, r) == nil {
		return
	}
	f, err := readForm(w, r)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	runID, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	itemID, _ := strconv.ParseInt(r.PathValue("item"), 10, 64)
	ctx := r.Context()
	var it *motcua.ImportItem
	switch f.Get("thao-tac") {
	case "chap-nhan":
		it, err = u.srv.Service.ReviewImportItem(ctx, runID, itemID, true)
	case "bo-qua":
		it, err = u.srv.Service.ReviewImportItem(ctx, runID, itemID, false)
	case "cap-nhat":
		it, err = u.srv.Service.PublishImportItem(ctx, runID, itemID)
	default:
		err = motcua.Errorf(motcua.EINVALID, "action_unknown", "Thao tác không hợp lệ.")
	}
	if err != nil {
		u.fail(w, r, err)
		return
	}
	seeOther(w, r, "/quan-tri/nhap-danh-muc/"+strconv.FormatInt(runID, 10)+"?loai="+url.QueryEscape(importKindSlug(it.Kind))+"#muc-"+strconv.FormatInt(it.ID, 10))
}

// adminPublishAccepted publishes every accepted item of a run.
func (u *UI) adminPublishAccepted(w http.ResponseWriter, r *http.Request) {
	if u.staff(w, r) == nil {
		return
	}
	if _, err := readForm(w, r); err != nil {
		u.fail(w, r, err)
		return
	}
	runID, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	res, err := u.srv.Service.PublishAccepted(r.Context(), runID)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	seeOther(w, r, "/quan-tri/nhap-danh-muc/"+strconv.FormatInt(runID, 10)+"?da-cap-nhat="+strconv.Itoa(res.Published)+"&loi="+strconv.Itoa(len(res.Failed)))
}
