package pdf

import (
	"slices"
	"strings"
	"testing"

	"github.com/boombuler/barcode/qr"
)

// TestQRMatchesBoombuler: for contents of every version from 1 to 10, the
// symbol boombuler/barcode makes is one of the eight masked symbols of
// this encoder (same version, codewords, function patterns, placement,
// format and version information; boombuler scores the masks its own
// way), and the encoder's own choice is one of its eight.
func TestQRMatchesBoombuler(t *testing.T) {
	base := "https://motcua.example.vn/tra-cuu?ma=h99.101-250310-0001&k=q7rk2mwx9pzl4vnc8tby3a"
	seen := map[int]bool{}
	for l := 1; l <= 213; l += 3 {
		content := strings.Repeat(base, 3)[:l]
		code, err := qr.Encode(content, qr.M, qr.Auto)
		if err != nil {
			t.Fatal(err)
		}
		v, data := qrCodewords([]byte(content))
		n := 17 + 4*v
		if code.Bounds().Dx() != n {
			t.Fatalf("%d bytes: version %d (%d modules), boombuler %d modules", l, v, n, code.Bounds().Dx())
		}
		seen[v] = true
		g := make([]byte, n*n)
		qrFunctionPatterns(g, n, v)
		qrPlace(g, n, data)
		found := -1
		var masked [8][]byte
		for m := range 8 {
			w := append([]byte(nil), g...)
			qrMask(w, n, m)
			qrFormat(w, n, m)
			masked[m] = w
			same := true
			for y := 0; y < n && same; y++ {
				for x := range n {
					if (w[y*n+x]&qrDark != 0) != dark(code, x, y) {
						same = false
						break
					}
				}
			}
			if same {
				found = m
			}
		}
		if found < 0 {
			t.Errorf("%d bytes (version %d): boombuler's symbol is none of the eight masks", l, v)
		}
		mine, ok := qrMatrix(content)
		if !ok || len(mine) != n {
			t.Fatalf("%d bytes: qrMatrix gave %d rows (ok %v)", l, len(mine), ok)
		}
		isMasked := func(w []byte) bool {
			for y := range n {
				for x := range n {
					if (w[y*n+x]&qrDark != 0) != mine[y][x] {
						return false
					}
				}
			}
			return true
		}
		if !slices.ContainsFunc(masked[:], isMasked) {
			t.Errorf("%d bytes (version %d): qrMatrix's symbol is none of the eight masks", l, v)
		}
	}
	for v := 1; v <= 10; v++ {
		if !seen[v] {
			t.Errorf("version %d not exercised", v)
		}
	}
	if _, ok := qrMatrix(strings.Repeat("x", 214)); ok {
		t.Error("214 bytes do not fit version 10 at level M")
	}
}
