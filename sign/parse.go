package sign

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
)

// This file is a small reader of the PDF syntax (ISO 32000-1 §7.2–7.3):
// enough to find the objects an incremental update must rewrite (the
// catalog, the first page, the form) and the signature dictionaries a
// verifier reads. Every value keeps the span of the source bytes it was
// read from, so that a dictionary can be written back with one entry
// changed and every other byte as it was.

// kind is the type of a parsed PDF value.
type kind int

const (
	kNull kind = iota
	kBool
	kNumber
	kName
	kString
	kArray
	kDict
	kRef
)

// value is one parsed PDF value. raw is the source text of the value.
type value struct {
	kind  kind
	raw   []byte
	num   float64 // kNumber
	str   []byte  // kName (without the slash), kString (decoded bytes)
	hex   bool    // kString written as <hex>
	arr   []value // kArray
	keys  []string
	dict  map[string]value // kDict
	ref   [2]int           // kRef: object number, generation
	start int              // offset of raw in the source
}

// get returns the dictionary entry k, or a null value.
func (v value) get(k string) value {
	if v.kind != kDict {
		return value{}
	}
	return v.dict[k]
}

// isName reports whether v is the name n.
func (v value) isName(n string) bool { return v.kind == kName && string(v.str) == n }

// errSyntax is returned for any malformed input; callers turn it into a
// domain error.
var errSyntax = errors.New("pdf syntax")

// lexer reads PDF values from b starting at pos.
type lexer struct {
	b   []byte
	pos int
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == 0
}

func isDelim(c byte) bool {
	return c == '(' || c == ')' || c == '<' || c == '>' || c == '[' || c == ']' || c == '{' || c == '}' || c == '/' || c == '%'
}

// skip passes white space and comments.
func (l *lexer) skip() {
	for l.pos < len(l.b) {
		c := l.b[l.pos]
		if isSpace(c) {
			l.pos++
		} else if c == '%' {
			for l.pos < len(l.b) && l.b[l.pos] != '\n' && l.b[l.pos] != '\r' {
				l.pos++
			}
		} else {
			return
		}
	}
}

// word reads a run of regular characters.
func (l *lexer) word() []byte {
	s := l.pos
	for l.pos < len(l.b) && !isSpace(l.b[l.pos]) && !isDelim(l.b[l.pos]) {
		l.pos++
	}
	return l.b[s:l.pos]
}

// maxDepth bounds nesting so that a hostile file cannot exhaust the stack.
const maxDepth = 64

// value reads one value; "n g R" is read as a reference.
func (l *lexer) value(depth int) (value, error) {
	if depth > maxDepth {
		return value{}, fmt.Errorf("%w: nesting too deep", errSyntax)
	}
	l.skip()
	if l.pos >= len(l.b) {
		return value{}, fmt.Errorf("%w: unexpected end", errSyntax)
	}
	start := l.pos
	done := func(v value) (value, error) {
		v.raw, v.start = l.b[start:l.pos], start
		return v, nil
	}
	c := l.b[l.pos]
	switch {
	case c == '/':
		l.pos++
		return done(value{kind: kName, str: l.word()})
	case c == '(':
		s, err := l.literal()
		if err != nil {
			return value{}, err
		}
		return done(value{kind: kString, str: s})
	case c == '<' && l.pos+1 < len(l.b) && l.b[l.pos+1] == '<':
		l.pos += 2
		v := value{kind: kDict, dict: map[string]value{}}
		for {
			l.skip()
			if l.pos+1 < len(l.b) && l.b[l.pos] == '>' && l.b[l.pos+1] == '>' {
				l.pos += 2
				return done(v)
			}
			k, err := l.value(depth + 1)
			if err != nil {
				return value{}, err
			}
			if k.kind != kName {
				return value{}, fmt.Errorf("%w: dictionary key at %d", errSyntax, k.start)
			}
			e, err := l.value(depth + 1)
			if err != nil {
				return value{}, err
			}
			key := string(k.str)
			if _, dup := v.dict[key]; !dup {
				v.keys = append(v.keys, key)
			}
			v.dict[key] = e
		}
	case c == '<':
		end := bytes.IndexByte(l.b[l.pos:], '>')
		if end < 0 {
			return value{}, fmt.Errorf("%w: unterminated hex string", errSyntax)
		}
		h := l.b[l.pos+1 : l.pos+end]
		l.pos += end + 1
		s, err := unhex(h)
		if err != nil {
			return value{}, err
		}
		return done(value{kind: kString, str: s, hex: true})
	case c == '[':
		l.pos++
		v := value{kind: kArray}
		for {
			l.skip()
			if l.pos < len(l.b) && l.b[l.pos] == ']' {
				l.pos++
				return done(v)
			}
			e, err := l.value(depth + 1)
			if err != nil {
				return value{}, err
			}
			v.arr = append(v.arr, e)
		}
	case isDelim(c):
		return value{}, fmt.Errorf("%w: unexpected %q at %d", errSyntax, c, l.pos)
	}
	w := l.word()
	switch string(w) {
	case "true", "false":
		return done(value{kind: kBool})
	case "null":
		return done(value{kind: kNull})
	}
	n, err := strconv.ParseFloat(string(w), 64)
	if err != nil || len(w) == 0 {
		return value{}, fmt.Errorf("%w: unexpected %q at %d", errSyntax, w, start)
	}
	// An integer followed by an integer and R is a reference.
	save := l.pos
	if gen, ok := l.intAfter(); ok {
		l.skip()
		if l.pos < len(l.b) && l.b[l.pos] == 'R' && (l.pos+1 == len(l.b) || isSpace(l.b[l.pos+1]) || isDelim(l.b[l.pos+1])) {
			if num, err := strconv.Atoi(string(w)); err == nil && num >= 0 {
				l.pos++
				return done(value{kind: kRef, ref: [2]int{num, gen}})
			}
		}
	}
	l.pos = save
	return done(value{kind: kNumber, num: n})
}

// intAfter reads a non-negative integer after white space.
func (l *lexer) intAfter() (int, bool) {
	l.skip()
	w := l.word()
	n, err := strconv.Atoi(string(w))
	return n, err == nil && n >= 0 && len(w) > 0
}

// literal reads a (string) with its escapes and balanced parentheses.
func (l *lexer) literal() ([]byte, error) {
	l.pos++ // (
	var out []byte
	depth := 1
	for l.pos < len(l.b) {
		c := l.b[l.pos]
		l.pos++
		switch c {
		case '\\':
			if l.pos >= len(l.b) {
				return nil, fmt.Errorf("%w: unterminated string", errSyntax)
			}
			e := l.b[l.pos]
			l.pos++
			switch e {
			case 'n':
				out = append(out, '\n')
			case 'r':
				out = append(out, '\r')
			case 't':
				out = append(out, '\t')
			case 'b':
				out = append(out, '\b')
			case 'f':
				out = append(out, '\f')
			case '\r':
				if l.pos < len(l.b) && l.b[l.pos] == '\n' {
					l.pos++
				}
			case '\n':
			default:
				if e >= '0' && e <= '7' {
					n := int(e - '0')
					for i := 0; i < 2 && l.pos < len(l.b) && l.b[l.pos] >= '0' && l.b[l.pos] <= '7'; i++ {
						n = n*8 + int(l.b[l.pos]-'0')
						l.pos++
					}
					out = append(out, byte(n))
				} else {
					out = append(out, e)
				}
			}
		case '(':
			depth++
			out = append(out, c)
		case ')':
			depth--
			if depth == 0 {
				return out, nil
			}
			out = append(out, c)
		default:
			out = append(out, c)
		}
	}
	return nil, fmt.Errorf("%w: unterminated string", errSyntax)
}

// unhex decodes a hex string body, ignoring white space; an odd final digit
// is followed by 0 (§7.3.4.3).
func unhex(h []byte) ([]byte, error) {
	out := make([]byte, 0, len(h)/2)
	var hi byte
	half := false
	for _, c := range h {
		var d byte
		switch {
		case c >= '0' && c <= '9':
			d = c - '0'
		case c >= 'a' && c <= 'f':
			d = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			d = c - 'A' + 10
		case isSpace(c):
			continue
		default:
			return nil, fmt.Errorf("%w: bad hex digit %q", errSyntax, c)
		}
		if half {
			out = append(out, hi<<4|d)
		} else {
			hi = d
		}
		half = !half
	}
	if half {
		out = append(out, hi<<4)
	}
	return out, nil
}

// objectAt reads "n g obj <value>" at offset off and checks the numbers.
func objectAt(b []byte, off int, num int) (value, error) {
	if off < 0 || off >= len(b) {
		return value{}, fmt.Errorf("%w: object %d offset %d outside the file", errSyntax, num, off)
	}
	l := &lexer{b: b, pos: off}
	n, ok := l.intAfter()
	if !ok || n != num {
		return value{}, fmt.Errorf("%w: object %d not at offset %d", errSyntax, num, off)
	}
	if _, ok := l.intAfter(); !ok {
		return value{}, fmt.Errorf("%w: object %d generation", errSyntax, num)
	}
	l.skip()
	if !bytes.HasPrefix(l.b[l.pos:], []byte("obj")) {
		return value{}, fmt.Errorf("%w: object %d keyword", errSyntax, num)
	}
	l.pos += 3
	return l.value(0)
}
