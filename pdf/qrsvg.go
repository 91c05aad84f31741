package pdf

import (
	"fmt"
	"image/color"
	"strings"

	"github.com/boombuler/barcode/qr"
)

// QRSVG returns an SVG drawing of a QR code of content (one path, a quiet
// zone of 4 modules), to show on a page: the same encoder as the printed
// forms. Content is encoded as given; the result holds no text of it.
func QRSVG(content string) (string, error) {
	code, err := qr.Encode(content, qr.M, qr.Auto)
	if err != nil {
		return "", fmt.Errorf("qr code: %w", err)
	}
	n := code.Bounds().Dx()
	side := n + 8
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="%d" height="%d" role="img" aria-label="Mã QR" shape-rendering="crispEdges">`,
		side, side, side*5, side*5)
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="#fff"/><path fill="#000" d="`, side, side)
	for y := range n {
		for x := range n {
			if color.Gray16Model.Convert(code.At(x, y)).(color.Gray16).Y < 0x8000 {
				fmt.Fprintf(&b, "M%d %dh1v1h-1z", x+4, y+4)
			}
		}
	}
	b.WriteString(`"/></svg>`)
	return b.String(), nil
}
