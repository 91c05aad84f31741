package motcua_test

import (
	"testing"

	"github.com/motcua/motcua"
)

func TestFold(t *testing.T) {
	cases := []struct{ in, want string }{
		{"Đăng ký khai sinh", "dang ki khai sinh"},
		{"ĐĂNG KÝ", "dang ki"},
		{"đăng kí", "dang ki"},
		{"dang ky khai sinh", "dang ki khai sinh"},
		{"Cấp đổi Giấy phép lái xe", "cap doi giay phep lai xe"},
		// Decomposed input (NFD): base letters followed by combining marks.
		{"Đa\u0306ng ky\u0301", "dang ki"},
		{"  Thủ tục   1.001193 ", "thu tuc 1.001193"},
		{"Hộ kinh doanh; chứng thực!", "ho kinh doanh chung thuc"},
		{"Quy hoạch", "quy hoach"}, // "quy" is not an i/y variant
		{"Mỹ Tho", "mi tho"},
	}
	for _, c := range cases {
		if got := motcua.Fold(c.in); got != c.want {
			t.Errorf("Fold(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
