package service

import "testing"

// TestComponentKey: the national catalogue's names, with the count of
// copies it appends, match the province's names without it.
func TestComponentKey(t *testing.T) {
	for _, c := range [][2]string{
		{"Tờ khai đăng ký giám hộ theo mẫu (nếu người có yêu cầu lựa chọn nộp hồ sơ theo hình thức trực tiếp); (bản chính: 1)",
			"Tờ khai đăng ký giám hộ theo mẫu (nếu người có yêu cầu lựa chọn nộp hồ sơ theo hình thức trực tiếp)"},
		{"Văn bản cử người giám hộ. (bản chính: 1, bản sao: 2)", "VĂN BẢN CỬ NGƯỜI GIÁM HỘ"},
	} {
		if a, b := componentKey(c[0]), componentKey(c[1]); a != b {
			t.Errorf("%q ≠ %q", a, b)
		}
	}
	if componentKey("Tờ khai (bản chính: 1)") == componentKey("Tờ khai khác") {
		t.Error("different names match")
	}
}
