package main

import (
	"flag"
	"io"
	"strings"
	"testing"

	"github.com/motcua/motcua/pdf"
)

// TestFormTitlesSetting changes one form's title and keeps the others; a
// malformed or unknown setting is refused at start with a message naming
// the setting.
func TestFormTitlesSetting(t *testing.T) {
	load := func(args ...string) (Config, error) {
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		return loadConfig(fs, args, func(string) string { return "" })
	}
	cfg, err := load("--form-titles", `{"extension":{"title":"Phiếu xin lỗi và hẹn lại ngày trả kết quả"},"receipt":{"number":"Mẫu số 01/TT"}}`)
	if err != nil {
		t.Fatal(err)
	}
	f, err := cfg.forms()
	if err != nil {
		t.Fatal(err)
	}
	if got := f[pdf.FormExtension]; got.Title != "Phiếu xin lỗi và hẹn lại ngày trả kết quả" || got.Number != "Mẫu số 04" {
		t.Errorf("extension: %+v", got)
	}
	if got := f[pdf.FormReceipt]; got.Number != "Mẫu số 01/TT" || got.Title != "Giấy tiếp nhận hồ sơ và hẹn trả kết quả" {
		t.Errorf("receipt: %+v", got)
	}
	if got := f[pdf.FormControl]; got.Number != "Mẫu số 06" {
		t.Errorf("control sheet changed: %+v", got)
	}
	for _, bad := range []string{`{"extension":`, `{"phieu-la":{"title":"x"}}`, `{"receipt":{"nummer":"1"}}`} {
		if _, err := load("--form-titles", bad); err == nil || !strings.Contains(err.Error(), "--form-titles") {
			t.Errorf("%s: %v", bad, err)
		}
	}
}
