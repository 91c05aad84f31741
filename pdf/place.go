package pdf

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// unitWords are the kinds of administrative unit an agency's name ends
// with ("Ủy ban nhân dân xã An Phú", "Sở Nội vụ tỉnh Mẫu").
var unitWords = []string{"xã ", "phường ", "đặc khu ", "thị trấn ", "huyện ", "quận ", "thị xã ", "thành phố ", "tỉnh "}

// placeOf returns the place name (địa danh) the date line of a document
// starts with: the name of the first administrative unit in an agency's
// name, the unit word left out and a trailing remark in brackets or after
// a comma dropped; "" when the name holds none. A unit word counts only
// before a capitalized word, so "Bảo hiểm xã hội tỉnh Mẫu" is in Mẫu.
func placeOf(name string) string {
	name = nfc(name)
	if i := strings.Index(name, " ("); i >= 0 {
		name = name[:i]
	}
	best, end := -1, 0
	for _, w := range unitWords {
		for from := 0; from < len(name); {
			i := strings.Index(name[from:], w)
			if i < 0 {
				break
			}
			i += from
			from = i + len(w)
			if i > 0 && name[i-1] != ' ' {
				continue
			}
			if r, _ := utf8.DecodeRuneInString(name[from:]); !unicode.IsUpper(r) {
				continue
			}
			if best < 0 || i < best {
				best, end = i, from
			}
			break
		}
	}
	if best < 0 {
		return ""
	}
	place := name[end:]
	if i := strings.IndexAny(place, ",;"); i >= 0 {
		place = place[:i]
	}
	return strings.TrimSpace(place)
}
