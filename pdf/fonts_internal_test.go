package pdf

import (
	"strings"
	"testing"
)

// Every Vietnamese letter, in both cases, with every tone mark, and the
// forms' own symbols are in the cut fonts: a Vietnamese document never
// needs the whole fonts.
func TestRepertoireCoversVietnamese(t *testing.T) {
	letters := "aàảãáạăằẳẵắặâầẩẫấậbcdđeèẻẽéẹêềểễếệghiìỉĩíịklmnoòỏõóọôồổỗốộơờởỡớợpqrstuùủũúụưừửữứựvxyỳỷỹýỵ"
	for _, s := range []string{letters, strings.ToUpper(letters), NationalName, NationalMotto,
		"0123456789 .,;:!?()[]/-–—…“”‘’«»§%&@#*+=<>≤≥≠×÷→₫€№•°", "dòng một\ndòng hai\tcột"} {
		if !covered(s) {
			for _, r := range s {
				if !covered(string(r)) {
					t.Errorf("%q (U+%04X) is not in the cut fonts", r, r)
				}
			}
		}
	}
	for _, s := range []string{"Иван", "Ελένη", "王", "✓", "\u0001"} {
		if covered(s) {
			t.Errorf("%q reported as covered by the cut fonts", s)
		}
	}
}
