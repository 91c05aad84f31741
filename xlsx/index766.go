package xlsx

import (
	"io"

	"github.com/xuri/excelize/v2"

	"github.com/motcua/motcua"
)

// SheetIndex and SheetAverages are the sheet names of the index workbook.
const (
	SheetIndex    = "Chỉ số 766"
	SheetAverages = "Thời gian trung bình"
)

// Index766 writes the QĐ 766 index: one row per unit (the province last),
// grouped headers for the six groups with each indicator's points, the
// value of each computed indicator ("Chưa có dữ liệu" otherwise), and the
// points; a second sheet lists indicator 2.2 per procedure.
func Index766(w io.Writer, r *motcua.IndexReport, names map[int64]string, h Header) error {
	f := excelize.NewFile()
	if err := f.SetSheetName("Sheet1", SheetIndex); err != nil {
		return err
	}
	st, err := newStyles(f)
	if err != nil {
		return err
	}
	s := SheetIndex
	inds := r.Config.Indicators
	width := 2 + len(inds) + 2
	row, err := titleBlock(f, s, st, width, "Bộ chỉ số chỉ đạo, điều hành và đánh giá chất lượng phục vụ (QĐ 766/QĐ-TTg)",
		"CHỈ SỐ PHỤC VỤ NGƯỜI DÂN, DOANH NGHIỆP THEO THỜI GIAN THỰC", h, r.Period, "điểm (tỷ lệ % trong ngoặc).")
	if err != nil {
		return err
	}
	merge(f, s, 1, row, 1, row+1, "TT", st.head)
	merge(f, s, 2, row, 2, row+1, "Đơn vị", st.head)
	col := 3
	for _, g := range r.Config.Groups {
		first := col
		for _, ind := range inds {
			if ind.Group != g.N {
				continue
			}
			label := ind.ID + ". " + ind.Name
			if ind.DisplayOnly {
				label += " (theo dõi)"
			} else {
				label += " (" + trim(ind.Points) + " đ)"
			}
			merge(f, s, col, row+1, col, row+1, label, st.head)
			col++
		}
		if col > first {
			merge(f, s, first, row, col-1, row, g.Name+" ("+trim(g.Points)+" điểm)", st.head)
		}
	}
	merge(f, s, col, row, col, row+1, "Tổng điểm đạt", st.head)
	merge(f, s, col+1, row, col+1, row+1, "Điểm tối đa có dữ liệu", st.head)
	f.SetRowHeight(s, row+1, 90)
	row += 2
	for i, u := range r.Units {
		name := names[u.AgencyID]
		label, number := st.cell, st.number
		if u.AgencyID == 0 {
			name, label, number = "Toàn tỉnh", st.total, st.totalNumber
			f.SetCellValue(s, cell(1, row), "")
		} else {
			f.SetCellValue(s, cell(1, row), i+1)
		}
		f.SetCellValue(s, cell(2, row), name)
		f.SetCellStyle(s, cell(1, row), cell(2, row), label)
		vals := map[string]motcua.IndicatorValue{}
		for _, v := range u.Values {
			vals[v.ID] = v
		}
		c := 3
		for _, ind := range inds {
			v := vals[ind.ID]
			switch v.Status {
			case "ok":
				f.SetCellValue(s, cell(c, row), trim2(v.Points)+" ("+trim2(100*v.Ratio)+" %)")
			case "empty":
				f.SetCellValue(s, cell(c, row), "Không phát sinh")
			case "display":
				f.SetCellValue(s, cell(c, row), "Xem sheet thời gian")
			default:
				f.SetCellValue(s, cell(c, row), "Chưa có dữ liệu")
			}
			f.SetCellStyle(s, cell(c, row), cell(c, row), label)
			c++
		}
		f.SetCellValue(s, cell(c, row), round2(u.Points))
		f.SetCellValue(s, cell(c+1, row), round2(u.Available))
		f.SetCellStyle(s, cell(c, row), cell(c+1, row), number)
		row++
	}
	f.SetColWidth(s, "A", "A", 5)
	f.SetColWidth(s, "B", "B", 40)
	last, _ := excelize.ColumnNumberToName(width)
	f.SetColWidth(s, "C", last, 16)

	// Indicator 2.2.
	if _, err := f.NewSheet(SheetAverages); err != nil {
		return err
	}
	a := SheetAverages
	row, _ = titleBlock(f, a, st, 6, "Chỉ tiêu 2.2", "THỜI GIAN GIẢI QUYẾT TRUNG BÌNH THEO THỦ TỤC", h, r.Period, "theo đơn vị thời hạn của từng thủ tục.")
	for i, t := range []string{"TT", "Mã thủ tục", "Tên thủ tục", "Số hồ sơ đã giải quyết", "Thời gian trung bình", "Đơn vị"} {
		merge(f, a, i+1, row, i+1, row, t, st.head)
	}
	row++
	for i, av := range r.Averages {
		for c, v := range []any{i + 1, av.Code, av.Name, av.Finished, round2(av.Average), av.Unit} {
			f.SetCellValue(a, cell(c+1, row), v)
		}
		f.SetCellStyle(a, cell(1, row), cell(6, row), st.cell)
		row++
	}
	f.SetColWidth(a, "C", "C", 60)
	f.SetColWidth(a, "B", "B", 14)
	f.SetColWidth(a, "D", "F", 16)
	return write(f, w)
}

func round2(x float64) float64 { return float64(int64(x*100+0.5)) / 100 }

func trim(x float64) string { return trim2(x) }

// trim2 prints a number with at most two decimals and a decimal comma, as
// Vietnamese documents write it.
func trim2(x float64) string {
	n := int64(x*100 + 0.5)
	s := itoa64(n / 100)
	if frac := n % 100; frac != 0 {
		if frac%10 == 0 {
			s += "," + itoa64(frac/10)
		} else {
			s += "," + string(rune('0'+frac/10)) + string(rune('0'+frac%10))
		}
	}
	return s
}

func itoa64(n int64) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for n > 0 {
		b = append([]byte{byte('0' + n%10)}, b...)
		n /= 10
	}
	return string(b)
}
