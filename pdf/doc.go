// Package pdf renders the official forms of the one-stop mechanism as PDF
// documents: the receipt and appointment, the supplement request, the
// refusal, the apology and extension request, the stop notice, the control
// sheet, the tracking book and the transfer slip. It is an output adapter:
// it reads the domain values of the root package and writes PDF with
// go-pdf/fpdf, DejaVu Sans embedded (full Vietnamese coverage) and QR codes
// of its own (qrcode.go; boombuler/barcode for long contents). The dossier
// forms (the receipt first) are written by a small writer of this package
// (fastdoc.go), which lays text out as fpdf does but embeds fonts prepared
// once per process; a form with a character outside those fonts is
// written by fpdf. All text is normalized to Unicode NFC first: the PDF
// writers do no mark positioning, so decomposed text would misplace the
// tone marks.
package pdf

import (
	"fmt"
	"image/color"
	"io"
	"strings"
	"time"

	"github.com/boombuler/barcode"
	"github.com/boombuler/barcode/qr"
	"github.com/go-pdf/fpdf"
	"golang.org/x/text/unicode/norm"

	"github.com/motcua/motcua"
)

// The national header every form carries.
const (
	NationalName  = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
	NationalMotto = "Độc lập - Tự do - Hạnh phúc"
)

// doc is a form being written on A4 paper, in millimetres.
type doc struct {
	f           surface
	family      string // fontCut, or fontFull once a text needed it
	style       string // of the font set last, to set it again on a switch
	fontSize    float64
	left, right float64 // margins
	width       float64 // writable width
	landscape   bool
	lineH       float64
	size        float64 // body text, points
}

// newDoc starts a form on the fast writer when fast (the dossier forms;
// render retries through fpdf when a text needs a glyph its fonts lack),
// else on fpdf.
func newDoc(landscape bool, title string, fast bool) *doc {
	var f surface
	if fast {
		if fd, err := newFastDoc(landscape, nfc(title)); err == nil {
			f = fd
		}
	}
	if f == nil {
		f = newFpdf(landscape, title)
	}
	d := &doc{f: f, family: fontCut, left: 20, right: 15, landscape: landscape, lineH: 6, size: 11}
	pw, _ := f.GetPageSize()
	d.width = pw - d.left - d.right
	f.AddPage()
	return d
}

// newFpdf starts a document on fpdf with the form's fonts and margins.
func newFpdf(landscape bool, title string) *fpdf.Fpdf {
	orient := "P"
	if landscape {
		orient = "L"
	}
	f := fpdf.New(orient, "mm", "A4", "")
	// The fonts cut to the Vietnamese repertoire once per process: the
	// whole DejaVu fonts cost ~30 ms of CPU per document to parse and
	// subset; t switches to them when a text needs a glyph outside it.
	addFonts(f, fontCut, cutFonts())
	f.SetTitle(nfc(title), true)
	f.SetCreator("motcua", true)
	f.SetMargins(20, 15, 15)
	f.SetAutoPageBreak(true, 15)
	return f
}

// nfc normalizes text to the precomposed form the fonts render correctly.
func nfc(s string) string { return norm.NFC.String(s) }

// font sets the style ("", "B" bold, "I" oblique) and size of the text
// written next.
func (d *doc) font(style string, size float64) {
	d.style, d.fontSize = style, size
	d.f.SetFont(d.family, style, size)
}

// t is s normalized to NFC, as every text is before it is measured or
// written. A text with a character outside the cut fonts' repertoire
// switches the document to the whole fonts, from this text on: the glyphs
// both share have the same widths, so what was laid out stays right.
func (d *doc) t(s string) string {
	s = nfc(s)
	// The fast writer has only its own fonts: it notes a missing glyph
	// and render starts again on fpdf.
	if f, ok := d.f.(*fpdf.Fpdf); ok && d.family == fontCut && !covered(s) {
		addFonts(f, fontFull, fullFonts)
		d.family = fontFull
		if d.style != "" || d.fontSize != 0 {
			d.f.SetFont(d.family, d.style, d.fontSize)
		}
	}
	return s
}

// header writes the agency header (left: the superior body, then the
// agency in bold) beside the national header (right), the form number
// above, and the date line, which starts with the place name when known
// ("An Phú, ngày …").
func (d *doc) header(number, superior, agency, place string, date time.Time) {
	f := d.f
	top := f.GetY()
	if number != "" {
		d.font("I", 9)
		f.SetXY(d.left, top-5)
		f.CellFormat(d.width, 4, d.t(number), "", 1, "R", false, 0, "")
		top = f.GetY() + 1
	}
	colL := d.width * 0.42
	colR := d.width - colL
	xR := d.left + colL
	f.SetXY(d.left, top)
	if superior != "" {
		d.font("", 10)
		f.MultiCell(colL, 5, d.t(strings.ToUpper(superior)), "", "C", false)
		f.SetX(d.left)
	}
	d.font("B", 10)
	f.MultiCell(colL, 5, d.t(strings.ToUpper(agency)), "", "C", false)
	yL := f.GetY()
	f.Line(d.left+colL/2-12, yL+0.5, d.left+colL/2+12, yL+0.5)
	f.SetXY(xR, top)
	d.font("B", 10)
	f.CellFormat(colR, 5, NationalName, "", 2, "C", false, 0, "")
	d.font("B", 11)
	f.SetX(xR)
	f.CellFormat(colR, 5.5, NationalMotto, "", 2, "C", false, 0, "")
	wm := f.GetStringWidth(NationalMotto)
	f.Line(xR+colR/2-wm/2, f.GetY()+0.3, xR+colR/2+wm/2, f.GetY()+0.3)
	y := max(yL, f.GetY()) + 3
	f.SetXY(xR, y)
	d.font("I", 10)
	line := longDate(date)
	if place != "" {
		line = d.t(place) + ", " + line
	}
	f.CellFormat(colR, 5, line, "", 1, "C", false, 0, "")
	f.Ln(4)
}

// title writes a form title, upper case, centred, and an optional line
// under it.
func (d *doc) title(t, sub string) {
	d.font("B", 13)
	d.f.SetX(d.left)
	d.f.MultiCell(d.width, 7, d.t(strings.ToUpper(t)), "", "C", false)
	if sub != "" {
		d.font("I", 10)
		d.f.SetX(d.left)
		d.f.MultiCell(d.width, 5, d.t(sub), "", "C", false)
	}
	d.f.Ln(4)
}

// para writes a paragraph that wraps within the page.
func (d *doc) para(text string) {
	d.font("", d.size)
	d.f.SetX(d.left)
	d.f.MultiCell(d.width, d.lineH, d.t(text), "", "J", false)
}

// field writes "label: value" with the label plain and the value bold,
// wrapping the value under itself.
func (d *doc) field(label, value string) {
	f := d.f
	d.font("", d.size)
	f.SetX(d.left)
	label = d.t(label) + ": "
	lw := f.GetStringWidth(label)
	if lw > d.width*0.55 {
		f.MultiCell(d.width, d.lineH, label, "", "L", false)
		f.SetX(d.left + 8)
		d.font("B", d.size)
		f.MultiCell(d.width-8, d.lineH, d.t(value), "", "L", false)
		return
	}
	f.CellFormat(lw, d.lineH, label, "", 0, "L", false, 0, "")
	d.font("B", d.size)
	f.MultiCell(d.width-lw, d.lineH, d.t(value), "", "L", false)
}

// item writes an indented line, for lists.
func (d *doc) item(text string) {
	d.font("", d.size)
	d.f.SetX(d.left + 6)
	d.f.MultiCell(d.width-6, d.lineH, d.t(text), "", "L", false)
}

// signatures writes signature blocks side by side: a heading, "(Ký, ghi rõ
// họ tên)", room for the signature, and the printed name when known.
func (d *doc) signatures(blocks ...[2]string) {
	f := d.f
	f.Ln(4)
	// A block needs 36 mm (heading, note, room to sign, name): it starts
	// a new page only when it would not fit above the bottom margin.
	if _, ph := f.GetPageSize(); f.GetY()+36 > ph-15 && !d.landscape {
		f.AddPage()
	}
	y := f.GetY()
	w := d.width / float64(len(blocks))
	for i, b := range blocks {
		x := d.left + float64(i)*w
		f.SetXY(x, y)
		d.font("B", 11)
		f.MultiCell(w, 5.5, d.t(strings.ToUpper(b[0])), "", "C", false)
		f.SetX(x)
		d.font("I", 10)
		f.CellFormat(w, 5, "(Ký, ghi rõ họ tên)", "", 2, "C", false, 0, "")
		if b[1] != "" {
			f.SetXY(x, f.GetY()+20)
			d.font("B", 11)
			f.MultiCell(w, 5.5, d.t(b[1]), "", "C", false)
		}
	}
	f.SetY(y + 40)
}

// qr draws a QR code of content with its top-left corner at (x, y), side
// mm wide. The dark modules are filled rectangles (one per run of a row):
// sharp at any resolution for scanners, and no image to encode and
// compress.
func (d *doc) qr(content string, x, y, side float64) error {
	mods, ok := qrMatrix(content) // level M, byte mode, versions 1–10
	if !ok {
		code, err := qr.Encode(content, qr.M, qr.Auto)
		if err != nil {
			return fmt.Errorf("qr code: %w", err)
		}
		n := code.Bounds().Dx()
		mods = make([][]bool, n)
		for row := range n {
			mods[row] = make([]bool, n)
			for col := range n {
				mods[row][col] = dark(code, col, row)
			}
		}
	}
	n := len(mods)
	m := side / float64(n)
	d.f.SetFillColor(0, 0, 0)
	for row := range n {
		for col := 0; col < n; {
			if !mods[row][col] {
				col++
				continue
			}
			run := col
			for run < n && mods[row][run] {
				run++
			}
			d.f.Rect(x+float64(col)*m, y+float64(row)*m, float64(run-col)*m, m, "F")
			col = run
		}
	}
	return nil
}

// dark reports whether the module at (x, y) of a QR code is dark.
func dark(code barcode.Barcode, x, y int) bool {
	return color.Gray16Model.Convert(code.At(x, y)).(color.Gray16).Y < 0x8000
}

// table writes a table with a header row repeated on each page; cells wrap
// and a row is as tall as its tallest cell.
func (d *doc) table(widths []float64, head []string, rows [][]string, size float64) {
	f := d.f
	lh := size * 0.5
	_, ph := f.GetPageSize()
	_, _, _, bottom := f.GetMargins()
	drawRow := func(cells []string, style string) {
		d.font(style, size)
		lines := 1
		split := make([][]string, len(cells))
		for i, c := range cells {
			split[i] = f.SplitText(d.t(c), widths[i]-2)
			lines = max(lines, len(split[i]))
		}
		h := float64(lines)*lh + 2
		if f.GetY()+h > ph-bottom-2 {
			f.AddPage()
			if style == "" {
				drawHead(f, d, widths, head, size, lh)
			}
		}
		y := f.GetY()
		x := d.left
		for i := range cells {
			f.Rect(x, y, widths[i], h, "D")
			for j, l := range split[i] {
				f.SetXY(x+1, y+1+float64(j)*lh)
				align := "L"
				if style == "B" {
					align = "C"
				}
				f.CellFormat(widths[i]-2, lh, l, "", 0, align, false, 0, "")
			}
			x += widths[i]
		}
		f.SetXY(d.left, y+h)
	}
	drawRow(head, "B")
	for _, r := range rows {
		drawRow(r, "")
	}
}

func drawHead(f surface, d *doc, widths []float64, head []string, size, lh float64) {
	d.font("B", size)
	lines := 1
	split := make([][]string, len(head))
	for i, c := range head {
		split[i] = f.SplitText(d.t(c), widths[i]-2)
		lines = max(lines, len(split[i]))
	}
	h := float64(lines)*lh + 2
	y, x := f.GetY(), d.left
	for i := range head {
		f.Rect(x, y, widths[i], h, "D")
		for j, l := range split[i] {
			f.SetXY(x+1, y+1+float64(j)*lh)
			f.CellFormat(widths[i]-2, lh, l, "", 0, "C", false, 0, "")
		}
		x += widths[i]
	}
	f.SetXY(d.left, y+h)
}

// output writes the document, or the first error met while building it;
// errGlyphs from the fast writer when a text needs a glyph its fonts lack.
func (d *doc) output(w io.Writer) error {
	// A document of several pages numbers every page, the first too (a
	// footer cannot know, while page 1 is written, that a second follows).
	if n := d.f.PageCount(); n > 1 {
		d.f.SetAutoPageBreak(false, 0)
		for i := 1; i <= n; i++ {
			d.f.SetPage(i)
			d.f.SetY(-12)
			d.font("I", 8)
			d.f.CellFormat(0, 5, fmt.Sprintf("Trang %d/%d", i, n), "", 0, "C", false, 0, "")
		}
	}
	if err := d.f.Error(); err != nil {
		return fmt.Errorf("render pdf: %w", err)
	}
	return d.f.Output(w)
}

// longDate is "ngày dd tháng mm năm yyyy" in Vietnam time.
func longDate(t time.Time) string {
	l := t.In(motcua.VietnamTime)
	return fmt.Sprintf("ngày %02d tháng %02d năm %d", l.Day(), int(l.Month()), l.Year())
}

// longTime is "hh giờ mm phút, ngày dd/mm/yyyy" in Vietnam time, as the
// forms write instants; "" for the zero time.
func longTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	l := t.In(motcua.VietnamTime)
	return fmt.Sprintf("%02d giờ %02d phút, ngày %s", l.Hour(), l.Minute(), l.Format("02/01/2006"))
}

// money formats đồng with dots between thousands: 1.250.000 đồng.
func money(n int64) string {
	s := fmt.Sprint(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String() + " đồng"
	}
	return b.String() + " đồng"
}
