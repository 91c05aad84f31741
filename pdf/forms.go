package pdf

import (
	"fmt"
	"strings"

	"github.com/motcua/motcua"
)

// Form names an official form.
type Form string

// The forms. The numbering of the forms is not confirmed (domain-vn.md
// §1.6), so numbers and titles are configuration (Forms).
const (
	FormReceipt    Form = "receipt"    // Giấy tiếp nhận hồ sơ và hẹn trả kết quả
	FormSupplement Form = "supplement" // Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ
	FormRefusal    Form = "refusal"    // Phiếu từ chối tiếp nhận giải quyết hồ sơ
	FormExtension  Form = "extension"  // Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết
	FormStop       Form = "stop"       // Thông báo dừng giải quyết hồ sơ
	FormControl    Form = "control"    // Phiếu kiểm soát quá trình giải quyết hồ sơ
	FormBook       Form = "book"       // Sổ theo dõi hồ sơ
	FormTransfer   Form = "transfer"   // Phiếu chuyển xử lý (NĐ 118 Art.20(2)(a), not numbered)
)

// AllForms lists the forms in their usual order.
var AllForms = []Form{FormReceipt, FormSupplement, FormRefusal, FormExtension, FormStop, FormControl, FormBook, FormTransfer}

// Title is a form's number (as printed in the top corner, e.g. "Mẫu số
// 01") and title.
type Title struct {
	Number string `json:"number"`
	Title  string `json:"title"`
}

// Forms gives each form its number and title.
type Forms map[Form]Title

// ExtensionTitleNĐ61 is the title form 04 had under NĐ 61/2018, still used
// in provincial procedures; set it as the extension's title to use it.
const ExtensionTitleNĐ61 = "Phiếu xin lỗi và hẹn lại ngày trả kết quả"

// DefaultForms returns the reported TT 03/2025/TT-VPCP numbering (not
// confirmed; see domain-vn.md §1.6) with the NĐ 118 names.
func DefaultForms() Forms {
	return Forms{
		FormReceipt:    {"Mẫu số 01", "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"},
		FormSupplement: {"Mẫu số 02", "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"},
		FormRefusal:    {"Mẫu số 03", "Phiếu từ chối tiếp nhận giải quyết hồ sơ"},
		FormExtension:  {"Mẫu số 04", "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết"},
		FormStop:       {"Mẫu số 05", "Thông báo dừng giải quyết hồ sơ"},
		FormControl:    {"Mẫu số 06", "Phiếu kiểm soát quá trình giải quyết hồ sơ"},
		FormBook:       {"Mẫu số 07", "Sổ theo dõi hồ sơ"},
		FormTransfer:   {"", "Phiếu chuyển xử lý"},
	}
}

// Merge returns f with the entries of o that set a number or a title put
// over it, so a configuration can change one form and keep the others.
func (f Forms) Merge(o Forms) Forms {
	out := Forms{}
	for k, v := range f {
		out[k] = v
	}
	for k, v := range o {
		cur := out[k]
		if v.Number != "" {
			cur.Number = v.Number
		}
		if v.Title != "" {
			cur.Title = v.Title
		}
		out[k] = cur
	}
	return out
}

// Validate checks that every form is known and has a title.
func (f Forms) Validate() error {
	for k, v := range f {
		known := false
		for _, a := range AllForms {
			known = known || a == k
		}
		if !known {
			return motcua.Errorf(motcua.EINVALID, "form_unknown", "Biểu mẫu \"%s\" không tồn tại; các biểu mẫu: %s.", k, formNames())
		}
		if strings.TrimSpace(v.Title) == "" {
			return motcua.Errorf(motcua.EINVALID, "form_title_missing", "Biểu mẫu \"%s\" chưa có tên.", k)
		}
	}
	return nil
}

func formNames() string {
	var s []string
	for _, f := range AllForms {
		s = append(s, string(f))
	}
	return strings.Join(s, ", ")
}

// Label is the Vietnamese name of a form as configured.
func (f Forms) Label(form Form) string {
	t := f[form]
	if t.Number != "" {
		return fmt.Sprintf("%s (%s)", t.Title, t.Number)
	}
	return t.Title
}
