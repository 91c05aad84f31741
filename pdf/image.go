package pdf

import (
	"bytes"
	"fmt"
	"image"
	_ "image/jpeg" // DecodeConfig of JPEG scans
	_ "image/png"  // DecodeConfig of PNG scans

	"github.com/go-pdf/fpdf"

	"github.com/motcua/motcua"
)

// MaxScanPixels is the largest image FromImage takes: 60 megapixels, an A3
// page at 600 dpi. A larger one is refused before it is decoded, so that a
// small file claiming huge dimensions (a "pixel bomb") costs nothing.
const MaxScanPixels = 60_000_000

// FromImage makes a one-page PDF of a JPEG or PNG scan, the image filling an
// A4 page (portrait or landscape as the image is) within 10 mm margins, so
// that the scan can be signed like a PDF (PAdES). The image's dimensions
// are read from its header first: an image over MaxScanPixels, or one that
// is not a JPEG or PNG, is refused with EINVALID on field file.
func FromImage(img []byte) ([]byte, error) {
	cfg, format, err := image.DecodeConfig(bytes.NewReader(img))
	if err != nil || (format != "jpeg" && format != "png") {
		return nil, motcua.FieldError("file", "image_malformed", "Tệp ảnh quét không đọc được (chỉ nhận JPEG hoặc PNG hợp lệ).")
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || int64(cfg.Width)*int64(cfg.Height) > MaxScanPixels {
		return nil, motcua.FieldError("file", "image_too_large",
			fmt.Sprintf("Ảnh quét quá lớn (%d × %d điểm ảnh): chỉ nhận ảnh đến %d triệu điểm ảnh. Vui lòng quét lại ở độ phân giải 300 dpi.",
				cfg.Width, cfg.Height, MaxScanPixels/1_000_000))
	}
	orient, pw, ph := "P", 210.0, 297.0
	if cfg.Width > cfg.Height {
		orient, pw, ph = "L", 297.0, 210.0
	}
	f := fpdf.New(orient, "mm", "A4", "")
	f.SetCreator("motcua", true)
	f.SetTitle("Bản quét", true)
	f.AddPage()
	kind := "JPG"
	if format == "png" {
		kind = "PNG"
	}
	f.RegisterImageOptionsReader("scan", fpdf.ImageOptions{ImageType: kind}, bytes.NewReader(img))
	// Fit within the margins, keeping the proportions.
	w, h := pw-20, (pw-20)*float64(cfg.Height)/float64(cfg.Width)
	if h > ph-20 {
		w, h = (ph-20)*float64(cfg.Width)/float64(cfg.Height), ph-20
	}
	f.ImageOptions("scan", (pw-w)/2, (ph-h)/2, w, h, false, fpdf.ImageOptions{ImageType: kind}, 0, "")
	if err := f.Error(); err != nil {
		return nil, motcua.FieldError("file", "image_malformed", "Tệp ảnh quét không đọc được (chỉ nhận JPEG hoặc PNG hợp lệ).")
	}
	var out bytes.Buffer
	if err := f.Output(&out); err != nil {
		return nil, fmt.Errorf("image to pdf: %w", err)
	}
	return out.Bytes(), nil
}
