package pdf

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf16"

	"github.com/klauspost/compress/zlib"
)

// errGlyphs is what a fast document's output returns when one of its
// texts needs a character the fast fonts lack: the form is then rendered
// again through fpdf (render).
var errGlyphs = errors.New("pdf: a text needs a glyph outside the fast fonts")

// fastDoc is a small PDF writer for the forms, which are text, lines and
// rectangles: it lays text out exactly as fpdf does (the same widths, line
// breaking, alignment and page breaks, so a form reads the same from
// either writer) and embeds fonts prepared once per process
// (fastfont.go), where fpdf parses, subsets and compresses its fonts for
// every document. Units are millimetres from the page's top-left corner,
// as with fpdf; it implements the surface the forms draw on.
type fastDoc struct {
	fonts     [3]*fastFont
	k         float64 // points per millimetre
	w, h      float64 // page size
	wPt, hPt  float64
	lMargin   float64
	tMargin   float64
	rMargin   float64
	bMargin   float64
	cMargin   float64 // inside a cell, left and right
	x, y      float64
	lasth     float64
	autoBreak bool
	trigger   float64 // y beyond which a cell starts a new page
	pages     []*bytes.Buffer
	page      int // current, 0-based
	style     int // 0 regular, 1 bold, 2 oblique
	sizePt    float64
	size      float64 // in millimetres
	fillBlack bool
	title     string
	used      [3][]bool // the glyphs drawn, by style
	missing   bool      // a text needed a glyph the fonts lack
	err       error
}

// newFastDoc starts an A4 document with fpdf's defaults and the forms'
// margins (20 mm left, 15 mm top, right and bottom).
func newFastDoc(landscape bool, title string) (*fastDoc, error) {
	fonts, _, err := prepareFastFonts()
	if err != nil {
		return nil, err
	}
	d := &fastDoc{fonts: fonts, k: 72.0 / 25.4, wPt: 595.28, hPt: 841.89, title: title}
	for i, ft := range fonts {
		d.used[i] = make([]bool, ft.nGlyphs)
	}
	if landscape {
		d.wPt, d.hPt = d.hPt, d.wPt
	}
	d.w, d.h = d.wPt/d.k, d.hPt/d.k
	d.cMargin = 28.35 / d.k / 10
	d.lMargin, d.tMargin, d.rMargin = 20, 15, 15
	d.SetAutoPageBreak(true, 15)
	return d, nil
}

// out appends to the current page's content.
func (d *fastDoc) out() *bytes.Buffer { return d.pages[d.page] }

// point writes the page point (x, y), given in millimetres from the top
// left as fpdf's callers give it, in PDF points from the bottom left.
func (d *fastDoc) point(b *bytes.Buffer, x, y float64) {
	num(b, x*d.k)
	b.WriteByte(' ')
	num(b, (d.h-y)*d.k)
}

// num appends v with two decimals, as fpdf writes coordinates.
func num(b *bytes.Buffer, v float64) {
	var a [32]byte
	b.Write(strconv.AppendFloat(a[:0], v, 'f', 2, 64))
}

// SetFont selects the style ("", "B", "I") and size in points; the family
// is the fast fonts' whatever it is named.
func (d *fastDoc) SetFont(_ string, style string, size float64) {
	switch style {
	case "B":
		d.style = 1
	case "I":
		d.style = 2
	default:
		d.style = 0
	}
	d.sizePt, d.size = size, size/d.k
}

func (d *fastDoc) SetX(x float64) {
	if x >= 0 {
		d.x = x
	} else {
		d.x = d.w + x
	}
}

func (d *fastDoc) SetY(y float64) {
	d.x = d.lMargin
	if y >= 0 {
		d.y = y
	} else {
		d.y = d.h + y
	}
}

func (d *fastDoc) SetXY(x, y float64) { d.SetY(y); d.SetX(x) }
func (d *fastDoc) GetY() float64      { return d.y }

func (d *fastDoc) Ln(h float64) {
	d.x = d.lMargin
	if h < 0 {
		d.y += d.lasth
	} else {
		d.y += h
	}
}

func (d *fastDoc) GetPageSize() (float64, float64) { return d.w, d.h }

func (d *fastDoc) GetMargins() (left, top, right, bottom float64) {
	return d.lMargin, d.tMargin, d.rMargin, d.bMargin
}

func (d *fastDoc) SetAutoPageBreak(auto bool, margin float64) {
	d.autoBreak, d.bMargin, d.trigger = auto, margin, d.h-margin
}

func (d *fastDoc) PageCount() int { return len(d.pages) }

// SetPage makes page n (from 1) the one drawn on.
func (d *fastDoc) SetPage(n int) {
	if n >= 1 && n <= len(d.pages) {
		d.page = n - 1
	}
}

// AddPage starts a new page at the top-left margins, with fpdf's line
// width (0.2 mm) and the fill colour in use.
func (d *fastDoc) AddPage() {
	b := &bytes.Buffer{}
	b.Grow(8 << 10)
	d.pages = append(d.pages, b)
	d.page = len(d.pages) - 1
	b.WriteString("0 J\n0 j\n0.57 w\n")
	if d.fillBlack {
		b.WriteString("0.000 g\n")
	}
	d.x, d.y = d.lMargin, d.tMargin
}

func (d *fastDoc) SetFillColor(r, g, b int) {
	if r != 0 || g != 0 || b != 0 {
		d.fail("only black fill is supported")
		return
	}
	d.fillBlack = true
	d.out().WriteString("0.000 g\n")
}

func (d *fastDoc) Line(x1, y1, x2, y2 float64) {
	b := d.out()
	d.point(b, x1, y1)
	b.WriteString(" m ")
	d.point(b, x2, y2)
	b.WriteString(" l S\n")
}

// Rect draws a rectangle: "F" filled, "FD" or "DF" filled and outlined,
// else outlined.
func (d *fastDoc) Rect(x, y, w, h float64, style string) {
	op := "S"
	switch strings.ToUpper(style) {
	case "F":
		op = "f"
	case "FD", "DF":
		op = "B"
	}
	b := d.out()
	d.point(b, x, y)
	b.WriteByte(' ')
	num(b, w*d.k)
	b.WriteByte(' ')
	num(b, -h*d.k)
	b.WriteString(" re ")
	b.WriteString(op)
	b.WriteByte('\n')
}

func (d *fastDoc) fail(why string) {
	if d.err == nil {
		d.err = fmt.Errorf("pdf: %s", why)
	}
}

// cw is the width of r in thousandths of an em with fpdf's conventions (0
// when the font lacks it, 65535 for a glyph of zero width), and notes a
// character the fonts lack.
func (d *fastDoc) cw(r rune) int {
	if r >= fastMaxRune || d.fonts[d.style].gid[r] == 0 {
		if r != '\n' {
			d.missing = true
		}
		return 0
	}
	return int(d.fonts[d.style].cw[r])
}

// symbolWidth is the width of s in thousandths of an em, as fpdf's
// GetStringSymbolWidth counts it.
func (d *fastDoc) symbolWidth(s string) int {
	w := 0
	for _, r := range s {
		switch c := d.cw(r); c {
		case 0:
			w += d.fonts[d.style].missing
		case 65535:
		default:
			w += c
		}
	}
	return w
}

func (d *fastDoc) GetStringWidth(s string) float64 {
	return float64(d.symbolWidth(s)) * d.size / 1000
}

// glyphs appends the glyphs of s as a hexadecimal string (two bytes per
// glyph, Identity-H).
func (d *fastDoc) glyphs(b *bytes.Buffer, s string) {
	const hex = "0123456789ABCDEF"
	ft, used := d.fonts[d.style], d.used[d.style]
	b.WriteByte('<')
	for _, r := range s {
		var g uint16
		if r < fastMaxRune {
			g = ft.gid[r]
		}
		if g == 0 {
			d.missing = true
		}
		used[g] = true
		b.Write([]byte{hex[g>>12], hex[g>>8&15], hex[g>>4&15], hex[g&15]})
	}
	b.WriteByte('>')
}

// textStart opens a text object at (x, y) millimetres in the current font.
func (d *fastDoc) textStart(b *bytes.Buffer, x, y float64) {
	b.WriteString("BT /F")
	b.WriteByte(byte('1' + d.style))
	b.WriteByte(' ')
	num(b, d.sizePt)
	b.WriteString(" Tf ")
	d.point(b, x, y)
	b.WriteString(" Td ")
}

// CellFormat writes one line of text in a cell w wide and h high at the
// current position, as fpdf does: a new page first when the cell would
// cross the bottom margin, the text left (with the cell margin), centred,
// right-aligned or justified ("J": the spaces stretched to fill the
// width), then the position after the cell (ln 0), at the start of the
// next line (1) or under the cell (2). Borders, fills and links are not
// drawn (the forms use none).
func (d *fastDoc) CellFormat(w, h float64, txt, border string, ln int, align string, fill bool, _ int, _ string) {
	if (border != "" && border != "0") || fill {
		d.fail("cell borders and fills are not supported")
	}
	if d.y+h > d.trigger && d.autoBreak {
		x := d.x
		d.AddPage()
		d.x = x
	}
	if w == 0 {
		w = d.w - d.rMargin - d.x
	}
	if txt != "" {
		b := d.out()
		if align == "J" {
			wmax := int(math.Ceil((w - 2*d.cMargin) * 1000 / d.size))
			words := strings.Split(txt, " ")
			shift := 0.0
			if len(words) > 1 {
				shift = float64(wmax-d.symbolWidth(txt)) / float64(len(words)-1)
			}
			d.textStart(b, d.x+d.cMargin, d.y+.5*h+.3*d.size)
			b.WriteByte('[')
			for i, wd := range words {
				if i > 0 {
					var a [32]byte
					b.Write(strconv.AppendFloat(a[:0], -shift, 'f', 3, 64))
					d.glyphs(b, " ")
				}
				d.glyphs(b, wd)
			}
			b.WriteString("] TJ ET\n")
		} else {
			dx := d.cMargin
			switch {
			case strings.Contains(align, "R"):
				dx = w - d.cMargin - d.GetStringWidth(txt)
			case strings.Contains(align, "C"):
				dx = (w - d.GetStringWidth(txt)) / 2
			}
			d.textStart(b, d.x+dx, d.y+.5*h+.3*d.size)
			d.glyphs(b, txt)
			b.WriteString(" Tj ET\n")
		}
	}
	d.lasth = h
	if ln > 0 {
		d.y += h
		if ln == 1 {
			d.x = d.lMargin
		}
	} else {
		d.x += w
	}
}

// MultiCell writes text in lines of w, breaking at spaces (or inside a
// word longer than a line) and at line breaks, each line a cell of height
// h aligned as align ("" is "J"; the last line of a justified text and a
// line ended by a line break are left-aligned): fpdf's MultiCell.
func (d *fastDoc) MultiCell(w, h float64, txt, border, align string, fill bool) {
	if align == "" {
		align = "J"
	}
	if w == 0 {
		w = d.w - d.rMargin - d.x
	}
	wmax := int(math.Ceil((w - 2*d.cMargin) * 1000 / d.size))
	s := []rune(strings.ReplaceAll(txt, "\r", ""))
	nb := len(s)
	for nb > 0 && s[nb-1] == '\n' {
		nb--
	}
	s = s[:nb]
	sep, i, j, l, nl := -1, 0, 0, 0, 1
	for i < nb {
		c := s[i]
		if c == '\n' {
			a := align
			if a == "J" {
				a = "L"
			}
			d.CellFormat(w, h, string(s[j:i]), border, 2, a, fill, 0, "")
			i++
			sep, j, l = -1, i, 0
			nl++
			continue
		}
		if c == ' ' {
			sep = i
		}
		switch cw := d.cw(c); cw {
		case 0:
			l += d.fonts[d.style].missing
		case 65535:
		default:
			l += cw
		}
		if l > wmax {
			if sep == -1 {
				if i == j {
					i++
				}
				d.CellFormat(w, h, string(s[j:i]), border, 2, align, fill, 0, "")
			} else {
				d.CellFormat(w, h, string(s[j:sep]), border, 2, align, fill, 0, "")
				i = sep + 1
			}
			sep, j, l = -1, i, 0
			nl++
		} else {
			i++
		}
	}
	if align == "J" {
		align = ""
	}
	d.CellFormat(w, h, string(s[j:i]), border, 2, align, fill, 0, "")
	d.x = d.lMargin
}

// SplitText breaks txt into the lines MultiCell would write in a cell w
// wide (fpdf's SplitText, whose count of a zero-width glyph it keeps).
func (d *fastDoc) SplitText(txt string, w float64) []string {
	wmax := int(math.Ceil((w - 2*d.cMargin) * 1000 / d.size))
	s := []rune(txt)
	nb := len(s)
	for nb > 0 && s[nb-1] == '\n' {
		nb--
	}
	s = s[:nb]
	var lines []string
	sep, i, j, l := -1, 0, 0, 0
	for i < nb {
		c := s[i]
		l += d.cw(c)
		if unicode.IsSpace(c) {
			sep = i
		}
		if c == '\n' || l > wmax {
			if sep == -1 {
				if i == j {
					i++
				}
				sep = i
			} else {
				i = sep + 1
			}
			lines = append(lines, string(s[j:sep]))
			sep, j, l = -1, i, 0
		} else {
			i++
		}
	}
	if i != j {
		lines = append(lines, string(s[j:i]))
	}
	return lines
}

// Error is the first error met while drawing.
func (d *fastDoc) Error() error { return d.err }

// zpool holds zlib writers for the pages' content and the fonts' glyphs:
// a writer allocates about a megabyte, too much to make for every
// document. BestSpeed: on a receipt it costs ~0.5 ms less CPU than the
// default level for ~9 KB more (61 KB against 52 KB). klauspost/compress
// rather than the standard library's: the same zlib streams, for a
// quarter less CPU per receipt (1.41 → 1.06 ms, BenchmarkReceipt) and
// 0.8 KB less. Compressing the font programs with Huffman codes only
// saved no CPU and added 2.3 KB.
var zpool = sync.Pool{New: func() any {
	w, _ := zlib.NewWriterLevel(io.Discard, zlib.BestSpeed)
	return w
}}

// outScratch is the memory a document's Output reuses from the last one
// (outPool): the document, each compressed stream, and the font
// programs' tables. Made anew for each receipt they were some 480 KB of
// its 490 KB of allocations, the staff workload's most allocating request
// (BenchmarkReceipt).
type outScratch struct {
	doc, z           bytes.Buffer
	loca, glyf, file []byte
}

// outPool holds outScratch values between documents.
var outPool = sync.Pool{New: func() any { return new(outScratch) }}

// Output writes the document: the fixed objects (catalog, page tree,
// info, resources, the fonts written once per process), then each page
// and its content, the cross-reference table and the trailer (ISO 32000-1
// §7.5). errGlyphs when a text needed a glyph the fonts lack; nothing is
// written then.
func (d *fastDoc) Output(w io.Writer) error {
	if d.err != nil {
		return d.err
	}
	if d.missing {
		return errGlyphs
	}
	_, objs, err := prepareFastFonts()
	if err != nil {
		return err
	}
	n := len(d.pages)
	nobj := objFirstPg + 2*n // objects 1 … nobj-1
	xref := make([]int, nobj)
	sc := outPool.Get().(*outScratch)
	defer func() {
		if sc.doc.Cap() <= 1<<20 { // a long document's memory is not kept
			outPool.Put(sc)
		}
	}()
	b := &sc.doc
	b.Reset()
	b.Grow(64 << 10)
	b.WriteString("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	zw := zpool.Get().(*zlib.Writer)
	defer zpool.Put(zw)
	z := &sc.z
	for i, o := range objs {
		xref[fastFontObj+i] = b.Len()
		if o != nil {
			b.Write(o)
			continue
		}
		// The font program, with the glyphs this document draws.
		file := d.fonts[i/5].fontFile(d.used[i/5], sc)
		z.Reset()
		zw.Reset(z)
		zw.Write(file)
		zw.Close()
		fmt.Fprintf(b, "%d 0 obj\n<< /Length %d /Length1 %d /Filter /FlateDecode >>\nstream\n", fastFontObj+i, z.Len(), len(file))
		b.Write(z.Bytes())
		b.WriteString("\nendstream\nendobj\n")
	}
	for i, p := range d.pages {
		obj := objFirstPg + 2*i
		xref[obj] = b.Len()
		fmt.Fprintf(b, "%d 0 obj\n<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %.2f %.2f] /Resources %d 0 R /Contents %d 0 R >>\nendobj\n",
			obj, objPages, d.wPt, d.hPt, objRes, obj+1)
		z.Reset()
		zw.Reset(z)
		zw.Write(p.Bytes())
		zw.Close()
		xref[obj+1] = b.Len()
		fmt.Fprintf(b, "%d 0 obj\n<< /Length %d /Filter /FlateDecode >>\nstream\n", obj+1, z.Len())
		b.Write(z.Bytes())
		b.WriteString("\nendstream\nendobj\n")
	}
	xref[objCatalog] = b.Len()
	fmt.Fprintf(b, "%d 0 obj\n<< /Type /Catalog /Pages %d 0 R >>\nendobj\n", objCatalog, objPages)
	xref[objPages] = b.Len()
	fmt.Fprintf(b, "%d 0 obj\n<< /Type /Pages /Count %d /Kids [", objPages, n)
	for i := range n {
		fmt.Fprintf(b, " %d 0 R", objFirstPg+2*i)
	}
	b.WriteString(" ] >>\nendobj\n")
	xref[objInfo] = b.Len()
	fmt.Fprintf(b, "%d 0 obj\n<< /Title <FEFF", objInfo)
	for _, u := range utf16.Encode([]rune(d.title)) {
		fmt.Fprintf(b, "%04X", u)
	}
	b.WriteString("> /Creator (motcua) /Producer (motcua) >>\nendobj\n")
	xref[objRes] = b.Len()
	fmt.Fprintf(b, "%d 0 obj\n<< /ProcSet [/PDF /Text] /Font << /F1 %d 0 R /F2 %d 0 R /F3 %d 0 R >> >>\nendobj\n",
		objRes, fastFontObj, fastFontObj+5, fastFontObj+10)
	start := b.Len()
	fmt.Fprintf(b, "xref\n0 %d\n0000000000 65535 f \n", nobj)
	for _, o := range xref[1:] {
		fmt.Fprintf(b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(b, "trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n", nobj, objCatalog, objInfo, start)
	_, err = w.Write(b.Bytes())
	return err
}
