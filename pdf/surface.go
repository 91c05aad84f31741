package pdf

import "io"

// surface is what the forms draw on: the part of fpdf's API they use,
// implemented by *fpdf.Fpdf and by the fast writer (fastDoc), with fpdf's
// meaning (millimetres from the top-left corner; fonts by style and size
// in points).
type surface interface {
	SetFont(family, style string, size float64)
	SetX(x float64)
	SetY(y float64)
	SetXY(x, y float64)
	GetY() float64
	Ln(h float64)
	CellFormat(w, h float64, txt, border string, ln int, align string, fill bool, link int, linkStr string)
	MultiCell(w, h float64, txt, border, align string, fill bool)
	SplitText(txt string, w float64) []string
	GetStringWidth(s string) float64
	Line(x1, y1, x2, y2 float64)
	Rect(x, y, w, h float64, style string)
	SetFillColor(r, g, b int)
	AddPage()
	PageCount() int
	SetPage(n int)
	GetPageSize() (float64, float64)
	GetMargins() (left, top, right, bottom float64)
	SetAutoPageBreak(auto bool, margin float64)
	Error() error
	Output(w io.Writer) error
}
