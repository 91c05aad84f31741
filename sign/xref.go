package sign

import (
	"bytes"
	"fmt"
	"strconv"
)

// file is a PDF read through its cross-reference tables: where each object
// in use is, and the newest trailer.
type file struct {
	b         []byte
	offsets   map[int]int // object number → byte offset, newest section wins
	gens      map[int]int // object number → generation
	trailer   value       // the newest trailer dictionary
	startxref int         // offset of the newest cross-reference section
}

// maxSections bounds the /Prev chain against loops and hostile files.
const maxSections = 512

// readFile reads the cross-reference chain of b. Only classic tables are
// read (what motcua's own PDFs and most scanners write); a file with
// cross-reference streams, or one that is encrypted, is refused.
func readFile(b []byte) (*file, error) {
	if !bytes.HasPrefix(b, []byte("%PDF-")) {
		return nil, fmt.Errorf("%w: no %%PDF header", errSyntax)
	}
	tail := b[max(0, len(b)-1024):]
	i := bytes.LastIndex(tail, []byte("startxref"))
	if i < 0 {
		return nil, fmt.Errorf("%w: no startxref", errSyntax)
	}
	l := &lexer{b: tail, pos: i + len("startxref")}
	start, ok := l.intAfter()
	if !ok {
		return nil, fmt.Errorf("%w: startxref offset", errSyntax)
	}
	f := &file{b: b, offsets: map[int]int{}, gens: map[int]int{}, startxref: start}
	seen := map[int]bool{}
	for off, n := start, 0; ; n++ {
		if n >= maxSections || seen[off] {
			return nil, fmt.Errorf("%w: cross-reference chain loops", errSyntax)
		}
		seen[off] = true
		tr, err := f.section(off)
		if err != nil {
			return nil, err
		}
		if n == 0 {
			f.trailer = tr
		}
		if tr.get("Encrypt").kind != kNull {
			return nil, errEncrypted
		}
		if tr.get("XRefStm").kind != kNull {
			return nil, errXRefStream
		}
		prev := tr.get("Prev")
		if prev.kind == kNull {
			break
		}
		if prev.kind != kNumber || prev.num < 0 || prev.num >= float64(len(b)) {
			return nil, fmt.Errorf("%w: bad /Prev", errSyntax)
		}
		off = int(prev.num)
	}
	if f.trailer.get("Root").kind != kRef {
		return nil, fmt.Errorf("%w: trailer has no /Root", errSyntax)
	}
	return f, nil
}

var (
	errEncrypted  = fmt.Errorf("%w: encrypted", errSyntax)
	errXRefStream = fmt.Errorf("%w: cross-reference stream", errSyntax)
)

// section reads the classic cross-reference section at off and returns its
// trailer; entries already known from a newer section are kept.
func (f *file) section(off int) (value, error) {
	if off < 0 || off >= len(f.b) {
		return value{}, fmt.Errorf("%w: xref offset outside the file", errSyntax)
	}
	l := &lexer{b: f.b, pos: off}
	l.skip()
	if !bytes.HasPrefix(f.b[l.pos:], []byte("xref")) {
		if _, ok := l.intAfter(); ok {
			return value{}, errXRefStream
		}
		return value{}, fmt.Errorf("%w: no xref at %d", errSyntax, off)
	}
	l.pos += 4
	for {
		l.skip()
		if bytes.HasPrefix(f.b[l.pos:], []byte("trailer")) {
			l.pos += len("trailer")
			tr, err := l.value(0)
			if err != nil {
				return value{}, err
			}
			if tr.kind != kDict {
				return value{}, fmt.Errorf("%w: trailer is not a dictionary", errSyntax)
			}
			return tr, nil
		}
		first, ok1 := l.intAfter()
		count, ok2 := l.intAfter()
		if !ok1 || !ok2 || count > len(f.b)/18 {
			return value{}, fmt.Errorf("%w: xref subsection header", errSyntax)
		}
		for i := range count {
			l.skip()
			// Each entry is exactly 20 bytes: oooooooooo ggggg n EOL.
			if l.pos+18 > len(f.b) {
				return value{}, fmt.Errorf("%w: xref entry", errSyntax)
			}
			e := f.b[l.pos : l.pos+18]
			l.pos += 18
			o, err1 := strconv.Atoi(string(e[0:10]))
			g, err2 := strconv.Atoi(string(e[11:16]))
			if err1 != nil || err2 != nil || (e[17] != 'n' && e[17] != 'f') {
				return value{}, fmt.Errorf("%w: xref entry %q", errSyntax, e)
			}
			num := first + i
			if _, known := f.offsets[num]; known {
				continue
			}
			if e[17] == 'n' {
				f.offsets[num], f.gens[num] = o, g
			} else {
				f.offsets[num] = -1 // freed in this (newer) section
			}
		}
	}
}

// object returns the object with number num.
func (f *file) object(num int) (value, error) {
	off, ok := f.offsets[num]
	if !ok || off < 0 {
		return value{}, fmt.Errorf("%w: object %d not in the file", errSyntax, num)
	}
	return objectAt(f.b, off, num)
}

// resolve follows v if it is a reference.
func (f *file) resolve(v value) (value, error) {
	for range 8 {
		if v.kind != kRef {
			return v, nil
		}
		var err error
		if v, err = f.object(v.ref[0]); err != nil {
			return value{}, err
		}
	}
	return value{}, fmt.Errorf("%w: reference chain too long", errSyntax)
}

// size is the trailer's /Size: one more than the highest object number.
func (f *file) size() int {
	if s := f.trailer.get("Size"); s.kind == kNumber && s.num > 0 {
		return int(s.num)
	}
	n := 0
	for k := range f.offsets {
		n = max(n, k+1)
	}
	return n
}

// firstPage finds the first page object by walking the page tree from the
// catalog; it returns its object number and dictionary.
func (f *file) firstPage(catalog value) (int, value, error) {
	node := catalog.get("Pages")
	for range maxDepth {
		if node.kind != kRef {
			return 0, value{}, fmt.Errorf("%w: page tree node is not a reference", errSyntax)
		}
		num := node.ref[0]
		d, err := f.object(num)
		if err != nil {
			return 0, value{}, err
		}
		if d.kind != kDict {
			return 0, value{}, fmt.Errorf("%w: page tree node", errSyntax)
		}
		if d.get("Type").isName("Page") {
			return num, d, nil
		}
		kids, err := f.resolve(d.get("Kids"))
		if err != nil || kids.kind != kArray || len(kids.arr) == 0 {
			return 0, value{}, fmt.Errorf("%w: page tree has no kids", errSyntax)
		}
		node = kids.arr[0]
	}
	return 0, value{}, fmt.Errorf("%w: page tree too deep", errSyntax)
}
