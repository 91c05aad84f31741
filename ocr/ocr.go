// Package ocr reads the text of scans with Debian's tesseract (the
// Vietnamese model, tesseract-ocr-vie): a PDF's pages are first rendered
// with poppler's pdftoppm, an image is read as it is. It is an output
// adapter behind motcua.TextReader; the text it returns is a proposal for
// people (search, the metadata an officer confirms), never a record of
// its own.
package ocr

import (
	"bytes"
	"context"
	"fmt"
	"image"
	_ "image/jpeg" // DecodeConfig of JPEG scans
	_ "image/png"  // DecodeConfig of PNG scans
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/motcua/motcua"
)

// Limits of one recognition: a hostile or huge scan costs little.
const (
	MaxPages  = 20               // pages of a PDF read
	MaxBytes  = 64 << 20         // input size
	MaxText   = 200_000          // characters of text kept
	PageTimer = 60 * time.Second // per page
	// MaxPixels bounds an image read (a "pixel bomb" is refused from its
	// header); pages of a PDF are rendered at most maxSide pixels on
	// their longer side (A4 at 250 dpi), whatever size they claim.
	MaxPixels = 60_000_000
	maxSide   = "2900"
)

// Tesseract recognizes text with the tesseract and pdftoppm programs.
type Tesseract struct {
	// Lang is the tesseract model; "" means "vie".
	Lang string
	// Bin and PDFToPPM name the programs; "" looks them up in PATH.
	Bin, PDFToPPM string
}

var _ motcua.TextReader = Tesseract{}

// Available reports whether tesseract, its Vietnamese model and pdftoppm
// are installed (so that the service can say OCR is off rather than fail).
func (t Tesseract) Available() error {
	bin, err := t.bin()
	if err != nil {
		return err
	}
	if _, err := t.pdftoppm(); err != nil {
		return err
	}
	out, err := exec.Command(bin, "--list-langs").CombinedOutput()
	if err != nil {
		return fmt.Errorf("tesseract --list-langs: %v", err)
	}
	for _, l := range strings.Fields(string(out)) {
		if l == t.lang() {
			return nil
		}
	}
	return fmt.Errorf("tesseract has no %q model (apt-get install tesseract-ocr-vie)", t.lang())
}

func (t Tesseract) lang() string {
	if t.Lang == "" {
		return "vie"
	}
	return t.Lang
}

func (t Tesseract) bin() (string, error) {
	if t.Bin != "" {
		return t.Bin, nil
	}
	p, err := exec.LookPath("tesseract")
	if err != nil {
		return "", fmt.Errorf("tesseract is not installed (apt-get install tesseract-ocr tesseract-ocr-vie)")
	}
	return p, nil
}

func (t Tesseract) pdftoppm() (string, error) {
	if t.PDFToPPM != "" {
		return t.PDFToPPM, nil
	}
	p, err := exec.LookPath("pdftoppm")
	if err != nil {
		return "", fmt.Errorf("pdftoppm is not installed (apt-get install poppler-utils)")
	}
	return p, nil
}

// ReadText implements motcua.TextReader: the text of doc (a PDF, JPEG or
// PNG, as contentType says), pages in order, in NFC as tesseract writes
// it. Errors: EINVALID for another type or an oversized input; anything
// else (a program missing or failing) is internal.
func (t Tesseract) ReadText(ctx context.Context, doc []byte, contentType string) (string, error) {
	if len(doc) > MaxBytes {
		return "", motcua.Errorf(motcua.EINVALID, "ocr_too_large", "Tệp quá lớn để nhận dạng chữ.")
	}
	bin, err := t.bin()
	if err != nil {
		return "", err
	}
	dir, err := os.MkdirTemp("", "motcua-ocr-")
	if err != nil {
		return "", fmt.Errorf("ocr: %w", err)
	}
	defer os.RemoveAll(dir)
	var pages []string
	switch contentType {
	case "application/pdf":
		conv, err := t.pdftoppm()
		if err != nil {
			return "", err
		}
		in := filepath.Join(dir, "in.pdf")
		if err := os.WriteFile(in, doc, 0o600); err != nil {
			return "", fmt.Errorf("ocr: %w", err)
		}
		c, cancel := context.WithTimeout(ctx, PageTimer*MaxPages)
		defer cancel()
		if out, err := exec.CommandContext(c, conv, "-scale-to", maxSide, "-gray", "-png", "-l", fmt.Sprint(MaxPages), in, filepath.Join(dir, "p")).CombinedOutput(); err != nil {
			return "", fmt.Errorf("pdftoppm: %v: %s", err, bytes.TrimSpace(out))
		}
		if pages, err = filepath.Glob(filepath.Join(dir, "p-*.png")); err != nil {
			return "", fmt.Errorf("ocr: %w", err)
		}
		sort.Strings(pages) // p-01.png, p-02.png… (zero-padded by pdftoppm)
	case "image/jpeg", "image/png":
		cfg, _, err := image.DecodeConfig(bytes.NewReader(doc))
		if err != nil || cfg.Width <= 0 || cfg.Height <= 0 || int64(cfg.Width)*int64(cfg.Height) > MaxPixels {
			return "", motcua.Errorf(motcua.EINVALID, "ocr_image", "Ảnh quét không đọc được hoặc quá lớn để nhận dạng chữ.")
		}
		in := filepath.Join(dir, "in.img")
		if err := os.WriteFile(in, doc, 0o600); err != nil {
			return "", fmt.Errorf("ocr: %w", err)
		}
		pages = []string{in}
	default:
		return "", motcua.Errorf(motcua.EINVALID, "ocr_type", "Chỉ nhận dạng chữ trên tệp PDF, JPEG hoặc PNG.")
	}
	var text strings.Builder
	for _, p := range pages {
		c, cancel := context.WithTimeout(ctx, PageTimer)
		var stderr bytes.Buffer
		cmd := exec.CommandContext(c, bin, p, "stdout", "-l", t.lang())
		cmd.Stderr = &stderr
		// One thread: a page at a time is enough, and the service's own
		// work (the counter, the portal's sync) keeps the other cores.
		cmd.Env = append(os.Environ(), "OMP_THREAD_LIMIT=1")
		out, err := cmd.Output()
		cancel()
		if err != nil {
			return "", fmt.Errorf("tesseract: %v: %s", err, bytes.TrimSpace(stderr.Bytes()))
		}
		text.Write(out)
		text.WriteString("\n")
		if text.Len() > MaxText {
			break
		}
	}
	s := strings.TrimSpace(text.String())
	if r := []rune(s); len(r) > MaxText {
		s = string(r[:MaxText])
	}
	return s, nil
}
