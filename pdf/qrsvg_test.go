package pdf_test

import (
	"strings"
	"testing"

	"github.com/motcua/motcua/pdf"
)

// TestQRSVG: the drawing is an SVG with dark modules, and its size grows
// with the content (a longer otpauth address needs a larger version).
func TestQRSVG(t *testing.T) {
	short, err := pdf.QRSVG("otpauth://totp/x?secret=A")
	if err != nil || !strings.HasPrefix(short, "<svg ") || !strings.Contains(short, "h1v1h-1z") {
		t.Fatalf("%v %.80s", err, short)
	}
	long, err := pdf.QRSVG("otpauth://totp/M%E1%BB%99t%20c%E1%BB%ADa:cv.anphu?algorithm=SHA1&digits=6&issuer=M%E1%BB%99t+c%E1%BB%ADa&period=30&secret=ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
	if err != nil || len(long) <= len(short) {
		t.Fatalf("%v: %d vs %d", err, len(long), len(short))
	}
}
