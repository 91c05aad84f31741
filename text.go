package motcua

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// CleanLine tidies one line of text a person typed (a name, an address):
// any white space (a tab, a line break, a no-break or other Unicode space)
// becomes a space, runs of spaces become one, and the ends are trimmed. It reports false — the text must be refused — when
// what is left is not valid UTF-8, holds a control character (NUL and the
// like) or an invisible formatting character (the right-to-left override
// and the other bidirectional controls, zero-width characters, the byte
// order mark), any of which would print on a receipt as something other
// than what the officer saw, or is longer than max characters.
func CleanLine(s string, max int) (string, bool) {
	s = strings.Join(strings.FieldsFunc(s, unicode.IsSpace), " ")
	return s, printable(s, false) && utf8.RuneCountInString(s) <= max
}

// CleanText tidies a text of several lines (the content of a request, a
// reason): line breaks become "\n", other white space a space, and the
// ends are trimmed.
// It reports false on the same characters as CleanLine, line breaks
// excepted, or when longer than max characters.
func CleanText(s string, max int) (string, bool) {
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
	s = strings.TrimSpace(strings.Map(func(r rune) rune {
		if r != '\n' && unicode.IsSpace(r) {
			return ' '
		}
		return r
	}, s))
	return s, printable(s, true) && utf8.RuneCountInString(s) <= max
}

// printable reports whether s is valid UTF-8 without control or
// formatting characters (newlines allowed when lines is true).
func printable(s string, lines bool) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		switch {
		case r == '\n' && lines:
		case unicode.IsControl(r), unicode.Is(unicode.Cf, r), r == utf8.RuneError:
			return false
		case r >= 0xFDD0 && r <= 0xFDEF, r&0xFFFE == 0xFFFE: // noncharacters
			return false
		}
	}
	return true
}
