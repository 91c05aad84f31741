// Package xlsx writes motcua's reports as Excel workbooks laid out as
// officials expect them — title block, period, unit, merged multi-row
// headers with the column numbers, a total row — using
// github.com/xuri/excelize/v2.
package xlsx

import (
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"

	"github.com/motcua/motcua"
)

// Header is the title block of a report.
type Header struct {
	Reporter string // Đơn vị báo cáo
	Receiver string // Đơn vị nhận báo cáo
}

// styles are the cell formats of a report sheet.
type styles struct {
	title, subtitle, head, cell, number, total, totalNumber, note int
}

func newStyles(f *excelize.File) (styles, error) {
	var s styles
	border := []excelize.Border{{Type: "left", Color: "000000", Style: 1}, {Type: "right", Color: "000000", Style: 1},
		{Type: "top", Color: "000000", Style: 1}, {Type: "bottom", Color: "000000", Style: 1}}
	font := func(bold bool, size float64) *excelize.Font {
		return &excelize.Font{Family: "Times New Roman", Size: size, Bold: bold}
	}
	center := &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}
	defs := []struct {
		dst *int
		st  *excelize.Style
	}{
		{&s.title, &excelize.Style{Font: font(true, 14), Alignment: center}},
		{&s.subtitle, &excelize.Style{Font: font(false, 12), Alignment: center}},
		{&s.head, &excelize.Style{Font: font(true, 11), Alignment: center, Border: border,
			Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E8EEF7"}}}},
		{&s.cell, &excelize.Style{Font: font(false, 11), Border: border, Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}}},
		{&s.number, &excelize.Style{Font: font(false, 11), Border: border, NumFmt: 3}},
		{&s.total, &excelize.Style{Font: font(true, 11), Border: border, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}}},
		{&s.totalNumber, &excelize.Style{Font: font(true, 11), Border: border, NumFmt: 3}},
		{&s.note, &excelize.Style{Font: &excelize.Font{Family: "Times New Roman", Size: 11, Italic: true}}},
	}
	for _, d := range defs {
		id, err := f.NewStyle(d.st)
		if err != nil {
			return s, err
		}
		*d.dst = id
	}
	return s, nil
}

// cell names a cell by column (1-based) and row.
func cell(col, row int) string {
	name, _ := excelize.CoordinatesToCellName(col, row)
	return name
}

// merge writes text across the range and styles it.
func merge(f *excelize.File, sheet string, c1, r1, c2, r2 int, text string, style int) error {
	if c1 != c2 || r1 != r2 {
		if err := f.MergeCell(sheet, cell(c1, r1), cell(c2, r2)); err != nil {
			return err
		}
	}
	if err := f.SetCellValue(sheet, cell(c1, r1), text); err != nil {
		return err
	}
	return f.SetCellStyle(sheet, cell(c1, r1), cell(c2, r2), style)
}

// titleBlock writes the report's header lines and returns the next row.
func titleBlock(f *excelize.File, sheet string, st styles, width int, form, title string, h Header, period motcua.Period, unit string) (int, error) {
	lines := []struct {
		text  string
		style int
	}{
		{form, st.subtitle},
		{title, st.title},
		{"Kỳ báo cáo: " + period.String(), st.subtitle},
		{"Đơn vị báo cáo: " + h.Reporter + ". Đơn vị nhận báo cáo: " + h.Receiver + ".", st.subtitle},
		{"Đơn vị tính: " + unit, st.note},
	}
	for i, l := range lines {
		if err := merge(f, sheet, 1, i+1, width, i+1, l.text, l.style); err != nil {
			return 0, err
		}
	}
	return len(lines) + 2, nil
}

func write(f *excelize.File, w io.Writer) error {
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("write workbook: %w", err)
	}
	return f.Close()
}
