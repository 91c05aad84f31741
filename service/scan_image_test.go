package service_test

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/png"
	"testing"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/pdf"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// scanPNG is a small grey PNG, as a phone's scan app writes one.
func scanPNG(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.SetGray(x, y, color.Gray{Y: uint8(200 + (x*y)%50)})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// pixelBomb is a valid PNG header (checksums right) claiming w × h pixels
// over a few bytes of data.
func pixelBomb(t *testing.T, w, h uint32) []byte {
	t.Helper()
	small := scanPNG(t, 2, 2)
	ihdr := small[8 : 8+25] // length, "IHDR", 13 bytes, crc
	binary.BigEndian.PutUint32(ihdr[8:], w)
	binary.BigEndian.PutUint32(ihdr[12:], h)
	binary.BigEndian.PutUint32(ihdr[21:], crc32.ChecksumIEEE(ihdr[4:21]))
	return small
}

// TestImageScanMadePDFAndSigned: a JPEG or PNG scan of a component is made
// into a one-page PDF and signed with the officer's certificate (pdfsig
// agrees), which digitizes the component; an image claiming more than
// pdf.MaxScanPixels is refused clearly before it is decoded, nothing is
// stored and the dossier is unchanged.
func TestImageScanMadePDFAndSigned(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		f, docs := newSigningFixture(t, e, func(c *service.Config) { c.ImageToPDF = pdf.FromImage })
		in, err := f.svc.ReceiveDossier(f.as("motcua.anphu"), "", f.newDossier("0912000555"))
		if err != nil {
			t.Fatal(err)
		}
		code, comps := in.Dossier.Code, in.Dossier.Components
		_, err = f.svc.AttachFile(f.as("motcua.anphu"), code, comps[0].ComponentID, "bom.png", bytes.NewReader(pixelBomb(t, 100000, 100000)))
		wantCode(t, err, motcua.EINVALID, "image_too_large")
		if files, _ := f.svc.DossierFiles(f.as("motcua.anphu"), code); len(files) != 0 || f.stored(code).Components[0].Digitized {
			t.Fatalf("the refused image left something: %+v", files)
		}
		file, err := f.svc.AttachFile(f.as("motcua.anphu"), code, comps[0].ComponentID, "tờ khai.png", bytes.NewReader(scanPNG(t, 120, 160)))
		if err != nil {
			t.Fatal(err)
		}
		if !file.Signed() || file.ContentType != "application/pdf" || file.Name != "tờ khai.pdf" {
			t.Fatalf("image scan stored as %+v", file)
		}
		body := f.blob(docs, file.BlobKey)
		if ok, out := pdfsigSays(t, body, 1); !ok {
			t.Fatalf("pdfsig on the image made PDF:\n%s", out)
		}
		if !f.stored(code).Components[0].Digitized {
			t.Fatal("the signed image scan did not digitize its component")
		}
	})
}
