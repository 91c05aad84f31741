package xlsx

import (
	"io"

	"github.com/xuri/excelize/v2"

	"github.com/motcua/motcua"
)

// Sheet06a is the sheet name of report 06a.
const Sheet06a = "Biểu II.06a"

// Report06a writes report II.06a: the title block, the three header rows
// with merged cells (received / handled / being handled, then their parts),
// the column numbers (1)–(13), one row per agency and the province's total.
// names gives the agencies' names by id.
func Report06a(w io.Writer, r *motcua.Report06a, names map[int64]string, h Header) error {
	f := excelize.NewFile()
	if err := f.SetSheetName("Sheet1", Sheet06a); err != nil {
		return err
	}
	st, err := newStyles(f)
	if err != nil {
		return err
	}
	s := Sheet06a
	row, err := titleBlock(f, s, st, 13, "Biểu số II.06a/VPCP/KSTT",
		"TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH", h, r.Period, "Số hồ sơ thủ tục hành chính.")
	if err != nil {
		return err
	}
	head := []struct {
		c1, r1, c2, r2 int
		text           string
	}{
		{1, 0, 1, 2, "TT"}, {2, 0, 2, 2, "Đơn vị"},
		{3, 0, 6, 0, "Số hồ sơ nhận giải quyết"}, {7, 0, 13, 0, "Kết quả giải quyết"},
		{3, 1, 3, 2, "Tổng số"}, {4, 1, 5, 1, "Trong kỳ"}, {6, 1, 6, 2, "Từ kỳ trước"},
		{4, 2, 4, 2, "Trực tuyến"}, {5, 2, 5, 2, "Trực tiếp, dịch vụ bưu chính"},
		{7, 1, 10, 1, "Số hồ sơ đã giải quyết"}, {11, 1, 13, 1, "Số hồ sơ đang giải quyết"},
		{7, 2, 7, 2, "Tổng số"}, {8, 2, 8, 2, "Trước hạn"}, {9, 2, 9, 2, "Đúng hạn"}, {10, 2, 10, 2, "Quá hạn"},
		{11, 2, 11, 2, "Tổng số"}, {12, 2, 12, 2, "Trong hạn"}, {13, 2, 13, 2, "Quá hạn"},
	}
	for _, hd := range head {
		if err := merge(f, s, hd.c1, row+hd.r1, hd.c2, row+hd.r2, hd.text, st.head); err != nil {
			return err
		}
	}
	row += 3
	for c := 1; c <= 13; c++ {
		if err := merge(f, s, c, row, c, row, "("+itoa(c)+")", st.head); err != nil {
			return err
		}
	}
	row++
	put := func(r motcua.Row06a, n int, name string, label, number int) error {
		if err := f.SetCellValue(s, cell(1, row), n); err != nil {
			return err
		}
		if n == 0 {
			f.SetCellValue(s, cell(1, row), "")
		}
		f.SetCellValue(s, cell(2, row), name)
		f.SetCellStyle(s, cell(1, row), cell(2, row), label)
		for c := 3; c <= 13; c++ {
			f.SetCellValue(s, cell(c, row), r.Col(c))
		}
		f.SetCellStyle(s, cell(3, row), cell(13, row), number)
		row++
		return nil
	}
	for i, r := range r.Rows {
		if err := put(r, i+1, names[r.AgencyID], st.cell, st.number); err != nil {
			return err
		}
	}
	if err := put(r.Total, 0, "Tổng cộng", st.total, st.totalNumber); err != nil {
		return err
	}
	f.SetColWidth(s, "A", "A", 5)
	f.SetColWidth(s, "B", "B", 42)
	f.SetColWidth(s, "C", "M", 12)
	f.SetRowHeight(s, 2, 22)
	note := "Cột (9) gồm cả hồ sơ đang chờ bổ sung và hồ sơ rút, dừng, đóng; (3) = (4) + (5) + (6); (7) = (8) + (9) + (10); (11) = (12) + (13)."
	merge(f, s, 1, row+1, 13, row+1, note, st.note)
	return write(f, w)
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return string(rune('0'+n/10)) + string(rune('0'+n%10))
}
