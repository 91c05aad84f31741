package service

// typoScore is scoreTypo when w, the one query word that starts no word
// of the name (the others do), has four letters or more and is one letter
// off a word of the name or its start: a letter wrong, missing, extra, or
// two neighbours swapped ("khia sinh" finds "khai sinh"); 0 otherwise.
// One typo a query: Vietnamese syllables are short and close, and two
// would match nearly any name. Only a query that matched nothing better
// gets here, and only with one word missed, so the common searches pay
// nothing for it.
func (e *searchEntry) typoScore(w string) int {
	if len(w) < 4 {
		return 0
	}
	for _, nw := range e.words {
		if oneEdit(w, nw) || (len(nw) > len(w) && oneEdit(w, nw[:len(w)])) {
			return scoreTypo
		}
	}
	return 0
}

// oneEdit reports whether a and b (folded, ASCII) differ by at most one
// substitution, insertion, deletion or swap of two neighbouring letters.
func oneEdit(a, b string) bool {
	if a == b {
		return true
	}
	la, lb := len(a), len(b)
	if la-lb > 1 || lb-la > 1 {
		return false
	}
	i := 0
	for i < la && i < lb && a[i] == b[i] {
		i++
	}
	switch {
	case la == lb:
		if a[i+1:] == b[i+1:] {
			return true // one letter wrong
		}
		return i+1 < la && a[i] == b[i+1] && a[i+1] == b[i] && a[i+2:] == b[i+2:] // neighbours swapped
	case la > lb:
		return a[i+1:] == b[i:] // one letter extra
	default:
		return a[i:] == b[i+1:] // one letter missing
	}
}
