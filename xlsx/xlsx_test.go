package xlsx_test

import (
	"bytes"
	"slices"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/xlsx"
)

func period() motcua.Period {
	return motcua.Period{From: motcua.DayOf(time.Date(2025, 3, 1, 12, 0, 0, 0, motcua.VietnamTime)),
		To: motcua.DayOf(time.Date(2025, 3, 31, 12, 0, 0, 0, motcua.VietnamTime))}
}

func TestReport06aWorkbook(t *testing.T) {
	r := &motcua.Report06a{Period: period(), Rows: []motcua.Row06a{
		{AgencyID: 1, ReceivedOnline: 1, ReceivedDirect: 6, CarriedOver: 2, Early: 2, FinishedOnTime: 2, Waiting: 1, Late: 1, WithinTime: 1, Overdue: 2},
		{AgencyID: 2, ReceivedDirect: 1, Early: 1},
	}}
	for _, row := range r.Rows {
		r.Total.Add(row)
	}
	var buf bytes.Buffer
	if err := xlsx.Report06a(&buf, r, map[int64]string{1: "Ủy ban nhân dân xã An Phú", 2: "Ủy ban nhân dân xã Hòa Bình"},
		xlsx.Header{Reporter: "UBND tỉnh Mẫu", Receiver: "Văn phòng UBND tỉnh"}); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(f.GetSheetList(), xlsx.Sheet06a) {
		t.Fatalf("sheets %v", f.GetSheetList())
	}
	rows, _ := f.GetRows(xlsx.Sheet06a)
	find := func(text string) (int, int) {
		for i, r := range rows {
			for j, c := range r {
				if c == text {
					return i + 1, j + 1
				}
			}
		}
		t.Fatalf("%q not in the sheet", text)
		return 0, 0
	}
	find("TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH")
	find("Kỳ báo cáo: Từ ngày 01/03/2025 đến ngày 31/03/2025")
	hr, _ := find("Số hồ sơ nhận giải quyết")
	merged, _ := f.GetMergeCells(xlsx.Sheet06a)
	want := map[string]string{"C" + itoa(hr) + ":F" + itoa(hr): "Số hồ sơ nhận giải quyết", "G" + itoa(hr) + ":M" + itoa(hr): "Kết quả giải quyết",
		"A" + itoa(hr) + ":A" + itoa(hr+2): "TT"}
	for _, m := range merged {
		ref := m.GetStartAxis() + ":" + m.GetEndAxis()
		if v, ok := want[ref]; ok && m.GetCellValue() == v {
			delete(want, ref)
		}
	}
	if len(want) != 0 {
		t.Errorf("merged headers missing: %v", want)
	}
	nr, _ := find("(13)")
	an := rows[nr] // the first agency's row
	wantRow := []string{"1", "Ủy ban nhân dân xã An Phú", "9", "1", "6", "2", "6", "2", "3", "1", "3", "1", "2"}
	if !slices.Equal(an, wantRow) {
		t.Errorf("first row %v, want %v", an, wantRow)
	}
	tr, _ := find("Tổng cộng")
	if total := rows[tr-1]; total[2] != "10" || total[6] != "7" || total[12] != "2" {
		t.Errorf("total row %v", total)
	}
}

func TestIndexWorkbook(t *testing.T) {
	cfg := motcua.DefaultIndexConfig()
	ind21, _ := cfg.Indicator("2.1")
	unit := motcua.IndexResult{AgencyID: 1, Values: []motcua.IndicatorValue{cfg.Valued(ind21, 5, 9)}}
	ind14, _ := cfg.Indicator("1.4")
	unit.Values = append(unit.Values, cfg.Valued(ind14, 3, 4))
	unit.Sum()
	province := unit
	province.AgencyID = 0
	r := &motcua.IndexReport{Period: period(), Config: cfg, Units: []motcua.IndexResult{unit, province},
		Averages: []motcua.ProcedureAverage{{Code: "1.004837", Name: "Thủ tục đăng ký giám hộ", Finished: 4, Average: 1.75, Unit: "ngày làm việc"}}}
	var buf bytes.Buffer
	if err := xlsx.Index766(&buf, r, map[int64]string{1: "Xã A"}, xlsx.Header{Reporter: "UBND tỉnh Mẫu", Receiver: "Văn phòng Chính phủ"}); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows(xlsx.SheetIndex)
	var cells []string
	for _, r := range rows {
		cells = append(cells, r...)
	}
	for _, want := range []string{"Tiến độ, kết quả giải quyết (20 điểm)", "11,11 (55,56 %)", "Chưa có dữ liệu", "Toàn tỉnh", "Xã A"} {
		if !slices.Contains(cells, want) {
			t.Errorf("index sheet lacks %q", want)
		}
	}
	av, _ := f.GetRows(xlsx.SheetAverages)
	if last := av[len(av)-1]; !slices.Equal(last, []string{"1", "1.004837", "Thủ tục đăng ký giám hộ", "4", "1.75", "ngày làm việc"}) {
		t.Errorf("averages row %v", last)
	}
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}
