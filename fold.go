package motcua

import (
	"strings"
	"unicode"
)

// foldTable maps every precomposed Vietnamese letter to its base letter.
// Each line lists a base letter followed by its forms with tone and vowel
// marks (lower case; upper case is lowered first).
var foldTable = func() map[rune]rune {
	m := map[rune]rune{}
	for _, line := range []string{
		"a àáảãạăằắẳẵặâầấẩẫậ",
		"e èéẻẽẹêềếểễệ",
		"i ìíỉĩị",
		"o òóỏõọôồốổỗộơờớởỡợ",
		"u ùúủũụưừứửữự",
		"y ỳýỷỹỵ",
		"d đ",
	} {
		base, forms, _ := strings.Cut(line, " ")
		for _, r := range forms {
			m[r] = rune(base[0])
		}
	}
	return m
}()

// Fold returns s in the form used for searching: lower case, without
// Vietnamese tone and vowel marks (đ becomes d), with runs of spaces and
// punctuation other than '.' and '-' collapsed to one space. It accepts both
// precomposed (NFC) and decomposed (NFD) input, so "ĐĂNG KÝ", "đăng kí" and
// "dang ky" fold alike except for the i/y spelling variant, which Fold also
// maps ("ký"/"kí" → "ky").
func Fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := true
	for _, r := range s {
		r = unicode.ToLower(r)
		if unicode.Is(unicode.Mn, r) {
			continue // a combining mark of decomposed input
		}
		if f, ok := foldTable[r]; ok {
			r = f
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '.' || r == '-' {
			b.WriteRune(r)
			space = false
		} else if !space {
			b.WriteByte(' ')
			space = true
		}
	}
	out := strings.TrimRight(b.String(), " ")
	return foldSpelling(out)
}

// foldSpelling maps the i/y spelling variants that Vietnamese admits after
// some consonants ("kí"/"ký", "lí"/"lý", "mĩ"/"mỹ") to one form, so that
// either spelling finds the other.
func foldSpelling(s string) string {
	if !strings.Contains(s, "y") {
		return s
	}
	words := strings.Split(s, " ")
	for i, w := range words {
		if len(w) == 2 && w[1] == 'y' && strings.IndexByte("klmtsh", w[0]) >= 0 {
			words[i] = w[:1] + "i"
		}
	}
	return strings.Join(words, " ")
}
