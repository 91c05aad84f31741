package pdf

import "testing"

// TestPlaceOf (issue 13, defect 8): the date line's place name comes from
// the agency's name.
func TestPlaceOf(t *testing.T) {
	cases := map[string]string{
		"Ủy ban nhân dân xã An Phú":                       "An Phú",
		"Ủy ban nhân dân tỉnh Mẫu (dữ liệu mẫu)":          "Mẫu",
		"Sở Nội vụ tỉnh Mẫu":                              "Mẫu",
		"Bảo hiểm xã hội tỉnh Mẫu":                        "Mẫu",
		"Ủy ban nhân dân thị xã Bình Minh":                "Bình Minh",
		"Công an phường Trung Tâm, tỉnh Mẫu":              "Trung Tâm",
		"Trung tâm Phục vụ hành chính công thành phố Huế": "Huế",
		"Văn phòng Đăng ký đất đai":                       "",
	}
	for in, want := range cases {
		if got := placeOf(in); got != want {
			t.Errorf("placeOf(%q) = %q, want %q", in, got, want)
		}
	}
}
