package pdf

import (
	"fmt"
	"io"
	"time"

	"github.com/motcua/motcua"
)

// Book is a tracking book (sổ theo dõi hồ sơ) of one reception agency for
// the days From..To (both included, Vietnam time).
type Book struct {
	Agency    *motcua.Agency
	Superior  string
	From, To  time.Time
	Dossiers  []*motcua.Dossier
	Agencies  map[int64]*motcua.Agency
	PrintedAt time.Time
}

// Book writes the tracking book: one row per dossier registered in the
// period, with its code, procedure, applicant, reception, appointment,
// result and return, and its state and verdict at printing time.
func (r *Renderer) Book(w io.Writer, b *Book) error {
	t := r.Forms[FormBook]
	doc := newDoc(true, t.Title+" – "+b.Agency.Name, false)
	doc.header(t.Number, b.Superior, b.Agency.Name, placeOf(b.Agency.Name), b.PrintedAt)
	doc.title(t.Title, fmt.Sprintf("Từ ngày %s đến ngày %s", motcua.FormatDate(b.From), motcua.FormatDate(b.To)))
	var rows [][]string
	for i, d := range b.Dossiers {
		s := &d.Status
		verdict := s.Result(b.PrintedAt, motcua.VietnamTime)
		vl := ""
		if verdict != "" {
			vl = verdict.Label()
		}
		settled := ""
		if a, ok := b.Agencies[d.CompetentAgencyID]; ok {
			settled = a.Name
		}
		rows = append(rows, []string{fmt.Sprint(i + 1), d.Code, d.ProcedureName + "\n" + settled,
			d.Applicant.FullName + "\n" + d.Applicant.Address, motcua.FormatDateTime(s.ReceivedAt),
			motcua.FormatDateTime(s.DueAt), motcua.FormatDateTime(s.FinishedAt), motcua.FormatDateTime(s.ReturnedAt),
			s.State.Label() + "\n" + vl})
	}
	doc.table([]float64{9, 36, 52, 44, 23, 23, 23, 23, doc.width - 233},
		[]string{"STT", "Mã hồ sơ", "Thủ tục, cơ quan giải quyết", "Người nộp, địa chỉ", "Nhận hồ sơ", "Hẹn trả", "Có kết quả", "Đã trả", "Tình trạng"}, rows, 8)
	doc.f.Ln(3)
	doc.para(fmt.Sprintf("Tổng số: %d hồ sơ.", len(b.Dossiers)))
	return doc.output(w)
}
