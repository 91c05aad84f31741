package pdf

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"sync"

	"github.com/go-pdf/fpdf"
)

// fastRepertoire is what the fonts of the fast writer (fastdoc.go) hold:
// ASCII, Latin-1 (the Vietnamese capitals and small letters with grave,
// acute, circumflex and tilde, and the accented letters of foreign names),
// the other Vietnamese letters (ă đ ĩ ũ ơ ư and the tone-marked vowels of
// Latin Extended Additional), dashes, quotes, ellipsis, bullet, ₫ and №.
// It is smaller than the cut fonts' repertoire on purpose: every document
// carries the fast fonts' widths and ToUnicode map whole (its font
// program keeps only the glyphs it draws, fontFile), so each glyph costs
// every receipt bytes. A text with anything else renders through fpdf.
var fastRepertoire = [][2]rune{
	{0x20, 0x7e}, {0xa0, 0xff}, {0x102, 0x103}, {0x110, 0x111}, {0x128, 0x129},
	{0x168, 0x169}, {0x1a0, 0x1a1}, {0x1af, 0x1b0}, {0x1ea0, 0x1ef9},
	{0x2013, 0x2014}, {0x2018, 0x2019}, {0x201c, 0x201d}, {0x2022, 0x2022},
	{0x2026, 0x2026}, {0x20ab, 0x20ab}, {0x2116, 0x2116},
}

// fastMaxRune bounds the fast fonts' tables, indexed by code point.
const fastMaxRune = 0x2117

// fastFont is one style of the fast writer's font, prepared once per
// process: the glyph of each character, its width as fpdf measures it
// (so that both writers lay a text out alike), and the PDF objects that
// embed it.
type fastFont struct {
	gid [fastMaxRune]uint16 // 0: no glyph
	// cw is the advance in thousandths of an em, rounded, with fpdf's
	// conventions: 0 for no glyph, 65535 for a glyph of zero width.
	cw [fastMaxRune]uint16
	// missing is the width fpdf gives a character the font lacks (that of
	// glyph 0); such a text renders through fpdf anyway.
	missing  int
	baseName string
	flags    int
	bbox     [4]int
	ascent   int
	descent  int
	capH     int
	italic   float64
	tables   sfnt       // the tables a PDF needs but loca and glyf
	glyf     []byte     // the glyph outlines of the prepared font
	loca     []uint32   // glyph g is glyf[loca[g]:loca[g+1]]
	comps    [][]uint16 // the glyphs a composite glyph is made of
	nGlyphs  int
	widths   []int  // per glyph, thousandths of an em
	unicode  []rune // per glyph, the character it draws (0: none)
}

// fastFonts are the regular, bold and oblique styles and the PDF objects
// that embed all three, numbered from fastFontObj (the same in every
// document, so they are written once per process) — but the font
// programs, which hold only the glyphs a document draws (fontFile).
var fastFonts struct {
	once  sync.Once
	style [3]*fastFont
	objs  [15][]byte // serialized; nil for the font programs (j = 3)
	err   error
}

// Object numbers of the fixed objects of a fast document: catalog, page
// tree, info, resources, then five per font style (Type0 font, CIDFont,
// descriptor, font file, ToUnicode map); pages follow.
const (
	objCatalog  = 1
	objPages    = 2
	objInfo     = 3
	objRes      = 4
	fastFontObj = 5
	objFirstPg  = fastFontObj + 3*5
)

// prepareFastFonts cuts the DejaVu fonts to fastRepertoire, reads their
// metrics and serializes the PDF objects that embed them (~0.1 s, once).
func prepareFastFonts() ([3]*fastFont, [15][]byte, error) {
	fastFonts.once.Do(func() {
		var rs []rune
		for _, rg := range fastRepertoire {
			for r := rg[0]; r <= rg[1]; r++ {
				rs = append(rs, r)
			}
		}
		names := [3]string{"DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique"}
		tags := [3]string{"MCVNAA", "MCVNAB", "MCVNAC"}
		for i, ttf := range fullFonts {
			ft, err := parseFastFont(fpdf.UTF8CutFont(ttf, string(rs)), rs)
			if err != nil {
				fastFonts.err = fmt.Errorf("fast font %s: %w", names[i], err)
				return
			}
			ft.baseName = tags[i] + "+" + names[i]
			if i == 2 {
				ft.flags |= 64
			}
			fastFonts.style[i] = ft
		}
		for i, ft := range fastFonts.style {
			for j := range 5 {
				if j != 3 {
					var b bytes.Buffer
					ft.writeObj(&b, fastFontObj+5*i, j)
					fastFonts.objs[5*i+j] = b.Bytes()
				}
			}
		}
	})
	return fastFonts.style, fastFonts.objs, fastFonts.err
}

// sfnt is a TrueType file's tables by tag.
type sfnt map[string][]byte

func readSfnt(b []byte) (sfnt, error) {
	if len(b) < 12 {
		return nil, fmt.Errorf("short font")
	}
	n := int(binary.BigEndian.Uint16(b[4:]))
	t := sfnt{}
	for i := range n {
		rec := 12 + 16*i
		if rec+16 > len(b) {
			return nil, fmt.Errorf("short table directory")
		}
		off := int(binary.BigEndian.Uint32(b[rec+8:]))
		l := int(binary.BigEndian.Uint32(b[rec+12:]))
		if off < 0 || l < 0 || off+l > len(b) {
			return nil, fmt.Errorf("table %q out of the file", b[rec:rec+4])
		}
		t[string(b[rec:rec+4])] = b[off : off+l]
	}
	for _, need := range []string{"head", "hhea", "hmtx", "cmap", "glyf", "loca", "maxp", "post"} {
		if t[need] == nil {
			return nil, fmt.Errorf("no %q table", need)
		}
	}
	return t, nil
}

// writeInto writes the tables named (those present) as a TrueType file,
// with their checksums, in buf's memory (grown once when it is short) and
// returns it; the head table's checksum adjustment is left 0 (no PDF reader
// checks it).
func (t sfnt) writeInto(buf []byte, tags []string) []byte {
	var keep []string
	for _, tag := range tags {
		if t[tag] != nil {
			keep = append(keep, tag)
		}
	}
	sort.Strings(keep)
	n := len(keep)
	es := 0
	for 1<<(es+1) <= n {
		es++
	}
	size := 12 + 16*n
	for _, tag := range keep {
		size += (len(t[tag]) + 3) &^ 3
	}
	out := slices.Grow(buf[:0], size)[:12+16*n]
	binary.BigEndian.PutUint32(out, 0x00010000)
	binary.BigEndian.PutUint16(out[4:], uint16(n))
	binary.BigEndian.PutUint16(out[6:], uint16(16<<es))
	binary.BigEndian.PutUint16(out[8:], uint16(es))
	binary.BigEndian.PutUint16(out[10:], uint16(16*n-16<<es))
	for i, tag := range keep {
		off := len(out)
		out = append(out, t[tag]...)
		data := out[off:]
		if tag == "head" {
			binary.BigEndian.PutUint32(data[8:], 0)
		}
		rec := 12 + 16*i
		copy(out[rec:rec+4], tag)
		binary.BigEndian.PutUint32(out[rec+4:], checksum(data))
		binary.BigEndian.PutUint32(out[rec+8:], uint32(off))
		binary.BigEndian.PutUint32(out[rec+12:], uint32(len(data)))
		for len(out)%4 != 0 {
			out = append(out, 0)
		}
	}
	return out
}

func checksum(b []byte) uint32 {
	var s uint32
	for i := 0; i < len(b); i += 4 {
		var w [4]byte
		copy(w[:], b[i:])
		s += binary.BigEndian.Uint32(w[:])
	}
	return s
}

// parseFastFont reads what the writer needs of a cut font: the glyph and
// width of each character of rs, the metrics of the descriptor.
func parseFastFont(ttf []byte, rs []rune) (*fastFont, error) {
	t, err := readSfnt(ttf)
	if err != nil {
		return nil, err
	}
	u16 := func(b []byte, o int) int { return int(binary.BigEndian.Uint16(b[o:])) }
	i16 := func(b []byte, o int) int { return int(int16(binary.BigEndian.Uint16(b[o:]))) }
	head, hhea, hmtx, maxp := t["head"], t["hhea"], t["hmtx"], t["maxp"]
	if len(head) < 54 || len(hhea) < 36 || len(maxp) < 6 {
		return nil, fmt.Errorf("short head, hhea or maxp")
	}
	upem := u16(head, 18)
	if upem == 0 {
		return nil, fmt.Errorf("units per em 0")
	}
	scale := func(v int) int { return int(math.Round(float64(v) * 1000 / float64(upem))) }
	ft := &fastFont{flags: 32}
	ft.bbox = [4]int{scale(i16(head, 36)), scale(i16(head, 38)), scale(i16(head, 40)), scale(i16(head, 42))}
	ft.ascent, ft.descent = scale(i16(hhea, 4)), scale(i16(hhea, 6))
	ft.capH = ft.ascent
	if os2 := t["OS/2"]; len(os2) >= 90 && u16(os2, 0) >= 2 {
		ft.capH = scale(i16(os2, 88))
	}
	ft.italic = float64(int32(binary.BigEndian.Uint32(t["post"][4:]))) / 65536
	nh := u16(hhea, 34)
	ft.nGlyphs = u16(maxp, 4)
	if nh == 0 || len(hmtx) < 4*nh {
		return nil, fmt.Errorf("short hmtx")
	}
	adv := func(g int) int { return u16(hmtx, 4*min(g, nh-1)) }
	ft.widths = make([]int, ft.nGlyphs)
	for g := range ft.widths {
		ft.widths[g] = scale(adv(g))
	}
	ft.missing = ft.widths[0]
	ft.unicode = make([]rune, ft.nGlyphs)
	cmap, err := cmap4(t["cmap"])
	if err != nil {
		return nil, err
	}
	for _, r := range rs {
		g := cmap(r)
		if g == 0 || g >= ft.nGlyphs {
			continue // the font has no such letter: fpdf renders it
		}
		ft.gid[r] = uint16(g)
		w := ft.widths[g]
		if w == 0 {
			w = 65535
		}
		ft.cw[r] = uint16(w)
		if ft.unicode[g] == 0 {
			ft.unicode[g] = r
		}
	}
	if err := ft.readGlyphs(t); err != nil {
		return nil, err
	}
	// What a PDF reader needs of a TrueType program in a CIDFont (ISO
	// 32000-1 §9.9), but loca and glyf, made for each document: no cmap
	// (glyphs are chosen by CIDToGIDMap), names or PostScript names.
	ft.tables = sfnt{}
	for _, tag := range []string{"head", "hhea", "hmtx", "maxp", "cvt ", "fpgm", "prep"} {
		if t[tag] != nil {
			ft.tables[tag] = t[tag]
		}
	}
	headCopy := append([]byte(nil), t["head"]...)
	binary.BigEndian.PutUint16(headCopy[50:], 1) // long loca offsets
	ft.tables["head"] = headCopy
	return ft, nil
}

// readGlyphs reads the glyph table, its index, and the glyphs each
// composite glyph is made of.
func (ft *fastFont) readGlyphs(t sfnt) error {
	long := binary.BigEndian.Uint16(t["head"][50:]) == 1
	loca, glyf := t["loca"], t["glyf"]
	n := ft.nGlyphs
	ft.loca = make([]uint32, n+1)
	for g := range n + 1 {
		switch {
		case long && 4*g+4 <= len(loca):
			ft.loca[g] = binary.BigEndian.Uint32(loca[4*g:])
		case !long && 2*g+2 <= len(loca):
			ft.loca[g] = 2 * uint32(binary.BigEndian.Uint16(loca[2*g:]))
		default:
			return fmt.Errorf("short loca")
		}
		if ft.loca[g] > uint32(len(glyf)) || g > 0 && ft.loca[g] < ft.loca[g-1] {
			return fmt.Errorf("loca out of order")
		}
	}
	ft.glyf = glyf
	ft.comps = make([][]uint16, n)
	for g := range n {
		b := glyf[ft.loca[g]:ft.loca[g+1]]
		if len(b) < 10 || int16(binary.BigEndian.Uint16(b)) >= 0 {
			continue
		}
		// A composite glyph (OpenType glyf table): components of flags,
		// glyph index, offsets (two bytes or four) and a scale (none,
		// one, two or four numbers of two bytes).
		for o := 10; o+4 <= len(b); {
			flags := binary.BigEndian.Uint16(b[o:])
			c := binary.BigEndian.Uint16(b[o+2:])
			if int(c) >= n {
				return fmt.Errorf("glyph %d is made of glyph %d, out of the font", g, c)
			}
			ft.comps[g] = append(ft.comps[g], c)
			o += 4 + 2
			if flags&1 != 0 {
				o += 2
			}
			switch {
			case flags&8 != 0:
				o += 2
			case flags&0x40 != 0:
				o += 4
			case flags&0x80 != 0:
				o += 8
			}
			if flags&0x20 == 0 {
				break
			}
		}
	}
	return nil
}

// fontFile is the TrueType program with only the glyphs used (and those
// they are made of, and glyph 0) drawn; the others are left empty, under
// their numbers, so that glyph numbers and widths stay those of the whole
// prepared font. used is indexed by glyph and is extended in place. The
// program is built in sc's buffers and is valid until sc's next use.
func (ft *fastFont) fontFile(used []bool, sc *outScratch) []byte {
	var mark func(g uint16)
	mark = func(g uint16) {
		for _, c := range ft.comps[g] {
			if !used[c] {
				used[c] = true
				mark(c)
			}
		}
	}
	used[0] = true
	for g, u := range used {
		if u {
			mark(uint16(g))
		}
	}
	loca := slices.Grow(sc.loca[:0], 4*(ft.nGlyphs+1))[:4*(ft.nGlyphs+1)]
	glyf := sc.glyf[:0]
	for g := range ft.nGlyphs {
		binary.BigEndian.PutUint32(loca[4*g:], uint32(len(glyf)))
		if used[g] {
			glyf = append(glyf, ft.glyf[ft.loca[g]:ft.loca[g+1]]...)
			for len(glyf)%4 != 0 {
				glyf = append(glyf, 0)
			}
		}
	}
	binary.BigEndian.PutUint32(loca[4*ft.nGlyphs:], uint32(len(glyf)))
	sc.loca, sc.glyf = loca, glyf
	t := sfnt{"loca": loca, "glyf": glyf}
	for k, v := range ft.tables {
		t[k] = v
	}
	sc.file = t.writeInto(sc.file, []string{"head", "hhea", "hmtx", "loca", "glyf", "maxp", "cvt ", "fpgm", "prep"})
	return sc.file
}

// cmap4 returns the lookup of a cmap table's Unicode BMP subtable
// (platform 3 encoding 1, or platform 0, format 4).
func cmap4(c []byte) (func(rune) int, error) {
	if len(c) < 4 {
		return nil, fmt.Errorf("short cmap")
	}
	u16 := func(o int) int {
		if o+2 > len(c) {
			return 0
		}
		return int(binary.BigEndian.Uint16(c[o:]))
	}
	n := u16(2)
	for i := range n {
		rec := 4 + 8*i
		plat, enc := u16(rec), u16(rec+2)
		off := int(binary.BigEndian.Uint32(c[rec+4:]))
		if !(plat == 3 && enc == 1 || plat == 0) || u16(off) != 4 {
			continue
		}
		segs := u16(off+6) / 2
		ends, starts := off+14, off+16+2*segs
		deltas, ranges := starts+2*segs, starts+4*segs
		return func(r rune) int {
			for s := range segs {
				end := u16(ends + 2*s)
				if int(r) > end {
					continue
				}
				start := u16(starts + 2*s)
				if int(r) < start {
					return 0
				}
				delta, ro := u16(deltas+2*s), u16(ranges+2*s)
				if ro == 0 {
					return (int(r) + delta) & 0xffff
				}
				g := u16(ranges + 2*s + ro + 2*(int(r)-start))
				if g == 0 {
					return 0
				}
				return (g + delta) & 0xffff
			}
			return 0
		}, nil
	}
	return nil, fmt.Errorf("no Unicode format 4 cmap")
}

// writeObj writes object j of the font's five as object number base+j,
// but the font program (j = 3, written per document by the writer).
func (ft *fastFont) writeObj(b *bytes.Buffer, base, j int) {
	n := base + j
	fmt.Fprintf(b, "%d 0 obj\n", n)
	switch j {
	case 0:
		fmt.Fprintf(b, "<< /Type /Font /Subtype /Type0 /BaseFont /%s /Encoding /Identity-H /DescendantFonts [%d 0 R] /ToUnicode %d 0 R >>",
			ft.baseName, base+1, base+4)
	case 1:
		fmt.Fprintf(b, "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /%s /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor %d 0 R /CIDToGIDMap /Identity /DW %d /W [0 [",
			ft.baseName, base+2, ft.missing)
		for g, w := range ft.widths {
			if g > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(strconv.Itoa(w))
		}
		b.WriteString("]] >>")
	case 2:
		fmt.Fprintf(b, "<< /Type /FontDescriptor /FontName /%s /Flags %d /FontBBox [%d %d %d %d] /ItalicAngle %s /Ascent %d /Descent %d /CapHeight %d /StemV 80 /FontFile2 %d 0 R >>",
			ft.baseName, ft.flags, ft.bbox[0], ft.bbox[1], ft.bbox[2], ft.bbox[3], strconv.FormatFloat(ft.italic, 'f', -1, 64), ft.ascent, ft.descent, ft.capH, base+3)
	case 4:
		z := deflate(ft.toUnicode())
		fmt.Fprintf(b, "<< /Length %d /Filter /FlateDecode >>\nstream\n", len(z))
		b.Write(z)
		b.WriteString("\nendstream")
	}
	b.WriteString("\nendobj\n")
}

// toUnicode is the CMap that maps each glyph back to its character, so
// that text can be extracted and searched (ISO 32000-1 §9.10.3).
func (ft *fastFont) toUnicode() []byte {
	var b bytes.Buffer
	b.WriteString("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n" +
		"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n" +
		"/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n" +
		"1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n")
	var pairs []int
	for g, r := range ft.unicode {
		if r != 0 {
			pairs = append(pairs, g)
		}
	}
	for len(pairs) > 0 {
		n := min(len(pairs), 100) // at most 100 entries per block
		fmt.Fprintf(&b, "%d beginbfchar\n", n)
		for _, g := range pairs[:n] {
			fmt.Fprintf(&b, "<%04X> <%04X>\n", g, ft.unicode[g])
		}
		b.WriteString("endbfchar\n")
		pairs = pairs[n:]
	}
	b.WriteString("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n")
	return b.Bytes()
}

// deflate compresses b with zlib at the best ratio (for what is
// compressed once per process).
func deflate(b []byte) []byte {
	var out bytes.Buffer
	w, _ := zlib.NewWriterLevel(&out, zlib.BestCompression)
	w.Write(b)
	w.Close()
	return out.Bytes()
}
