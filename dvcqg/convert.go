package dvcqg

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/motcua/motcua"
)

// RecordOf writes a dossier as its DongBoHoSoMC record. MaHoSo is the
// national code when the portal forwarded the dossier, motcua's code
// otherwise.
func RecordOf(d *motcua.PortalDossier) HoSo {
	h := HoSo{
		MaHoSo: nationalCode(d.NationalCode, d.Code), MaTTHC: d.ProcedureCode, TenTTHC: d.ProcedureName,
		MaLinhVuc: d.FieldCode, TenLinhVuc: d.FieldName,
		ChuHoSo: d.Applicant.FullName, LoaiDoiTuong: applicantCitizen, MaDoiTuong: d.Applicant.IDNumber,
		Email: d.Applicant.Email, SoDienThoai: d.Applicant.Phone, TrichYeuHoSo: d.Summary,
		NgayTiepNhan: FormatTime(d.ReceivedAt), NgayHenTra: FormatTime(d.DueAt),
		TrangThaiHoSo: StatusCode(d.State, d.PaymentPending, d.WithdrawalRequested),
		NgayTra:       FormatTime(d.ReturnedAt), HinhThuc: formOneStop,
		NgayKetThucXuLy: FormatTime(d.FinishedAt), DonViXuLy: d.AgencyName, MaDonViXuLy: d.AgencyCode,
		KenhThucHien: ChannelCode(d.Channel), SoGiayToChuHoSo: d.Applicant.IDNumber, NoiNopHoSo: d.AgencyCode,
		HoSoCoThanhPhanSoHoa: flag(d.Digitized), TaiKhoanDuocXacThucVoiVNeID: flag(d.VNeIDVerified),
		DuocThanhToanTrucTuyen: paidOnlineNo, NgayTuChoi: FormatTime(d.RejectedAt), NgayNopHoSo: FormatTime(d.SubmittedAt),
		DanhSachLePhi: []LePhi{}, DanhSachHoSoBoSung: []HoSoBoSung{}, TaiLieuNop: []TaiLieu{},
		DanhSachGiayToKetQua: []GiayToKetQua{}, DinhDanhCHS: []DinhDanh{},
	}
	if d.Applicant.Kind == motcua.ApplicantOrganization {
		h.LoaiDoiTuong = applicantOrganization
	}
	if d.PaidOnline {
		h.DuocThanhToanTrucTuyen = paidOnlineDVCQG
	}
	if d.Applicant.IDNumber != "" {
		h.DinhDanhCHS = append(h.DinhDanhCHS, DinhDanh{LoaiDinhDanh: IDKindCode(d.Applicant.IDKind), SoDinhDanh: d.Applicant.IDNumber})
	}
	for _, f := range d.Fees {
		h.DanhSachLePhi = append(h.DanhSachLePhi, LePhi{TenPhiLePhi: f.Name, MucPhi: f.Amount, DaThanhToan: flag(f.Paid), ThanhToanTrucTuyen: flag(f.PaidOnline)})
	}
	for _, s := range d.Supplements {
		h.DanhSachHoSoBoSung = append(h.DanhSachHoSoBoSung, HoSoBoSung{NgayYeuCau: FormatTime(s.At), NoiDungYeuCau: s.Reason,
			DanhSachGiayToBoSung: append([]string{}, s.Components...), NgayBoSung: FormatTime(s.AnsweredAt)})
	}
	for _, f := range d.Files {
		if f.Digitized { // the flag follows the files too, whatever the caller set
			h.HoSoCoThanhPhanSoHoa = 1
		}
		h.TaiLieuNop = append(h.TaiLieuNop, TaiLieu{TepDinhKemId: f.ID, TenTepDinhKem: f.Name,
			MaThanhPhanHoSo: seqCode(f.ComponentSeq), TenThanhPhanHoSo: f.ComponentName, DuongDanTaiTepTin: f.URL,
			DuocSoHoa: flag(f.Digitized), DuocTaiSuDung: flag(f.Reused), DuocLayTuKhoDMQG: flag(f.FromStore), MaKetQuaThayThe: f.ReplacedBy})
	}
	for i, r := range d.Results {
		h.DanhSachGiayToKetQua = append(h.DanhSachGiayToKetQua, GiayToKetQua{TenGiayTo: r.Name, GiayToId: strconv.Itoa(i + 1),
			DuongDanTepTinKetQua: r.URL, MaGiayToKetQua: r.Code, SoKyHieu: r.Number})
	}
	return h
}

// RowOf writes one hand-over as its CapNhatTienDoHoSoMC row.
func RowOf(p *motcua.PortalProgress) TienDo {
	return TienDo{MaHoSo: nationalCode(p.NationalCode, p.Code), NguoiXuLy: p.Officer, ChucDanh: p.Title,
		ThoiDiemXuLy: FormatTime(p.At), PhongBanXuLy: p.Department, NoiDungXuLy: p.Content,
		TrangThai: StatusCode(p.State, false, false), NgayBatDau: FormatTime(p.StartedAt),
		NgayKetThucTheoQuyDinh: FormatTime(p.DueAt)}
}

func nationalCode(national, code string) string {
	if national != "" {
		return national
	}
	return code
}

func seqCode(seq int) string {
	if seq <= 0 {
		return ""
	}
	return strconv.Itoa(seq)
}

// ProcedureOf reads a LayThuTuc answer into motcua's vocabulary. Texts are
// kept verbatim; nothing the national data leaves null is guessed. The time
// limit is read from the first entry of the direct channel (else the first
// entry); TimeLimitText keeps that entry's text, and the other channels'
// texts go to the notes.
func ProcedureOf(t *ThuTuc) *motcua.NationalProcedure {
	p := motcua.Procedure{Code: str(t.MaTTHC), Name: t.TenTTHC, FieldCode: str(t.MaLinhVuc), FieldName: str(t.TenLinhVuc),
		Level: levelNames[strings.ToLower(str(t.CapThucHien))], Components: []motcua.Component{}, Fees: []motcua.Fee{},
		Results: []motcua.ResultType{}, LegalBasis: []motcua.LegalDoc{}}
	np := &motcua.NationalProcedure{Withdrawn: t.BaiBo}
	np.UpdatedAt, _ = ParseTime(t.NgayCapNhat)
	p.UpdatedAt = np.UpdatedAt
	var notes []string
	if len(t.ThoiHanGiaiQuyet) > 0 {
		chosen := 0
		for i, th := range t.ThoiHanGiaiQuyet {
			if strings.Contains(th.KenhThucHien, "Trực tiếp") {
				chosen = i
				break
			}
		}
		np.TimeLimitText = t.ThoiHanGiaiQuyet[chosen].ThoiGian
		p.TimeLimit, p.NoTimeLimit = ParseTimeLimit(np.TimeLimitText)
		for i, th := range t.ThoiHanGiaiQuyet {
			if i == chosen {
				continue
			}
			line := "Thời hạn (" + th.KenhThucHien
			if th.TruongHop != nil {
				line += ", " + *th.TruongHop
			}
			notes = append(notes, line+"): "+th.ThoiGian)
		}
		if t.ThoiHanGiaiQuyet[chosen].TruongHop != nil {
			notes = append(notes, "Thời hạn đã chọn áp dụng cho: "+*t.ThoiHanGiaiQuyet[chosen].TruongHop)
		}
	}
	for i, c := range t.ThanhPhanHoSo {
		comp := motcua.Component{Seq: i + 1, Name: withoutCopies(c)}
		comp.Originals, comp.Copies = copiesOf(c)
		p.Components = append(p.Components, comp)
	}
	for _, f := range t.PhiLePhi {
		p.Fees = append(p.Fees, motcua.Fee{Name: "Phí, lệ phí", Amount: amountOf(f), Description: f})
	}
	if t.KetQuaThucHien != nil {
		for _, r := range strings.Split(*t.KetQuaThucHien, "; ") {
			if r = strings.TrimSpace(r); r != "" {
				p.Results = append(p.Results, motcua.ResultType{Name: r})
			}
		}
	}
	for _, l := range t.CanCuPhapLy {
		p.LegalBasis = append(p.LegalBasis, motcua.LegalDoc{Number: l})
	}
	if t.NguonDuLieu != nil {
		p.Sources = append(p.Sources, *t.NguonDuLieu)
	}
	p.Sources = append(p.Sources, t.VanBanDanChieu...)
	for _, n := range []*string{t.GhiChuThoiHan, t.GhiChuPhiLePhi, t.CanCuPhiLePhi, t.GhiChuCapThucHien, t.YeuCauDieuKien, t.GhiChu} {
		if n != nil && *n != "" {
			notes = append(notes, *n)
		}
	}
	p.Notes = strings.Join(notes, "\n")
	if t.CoQuanThucHien != nil {
		for _, a := range strings.Split(*t.CoQuanThucHien, ";") {
			if a = strings.TrimSpace(a); a != "" {
				np.AgencyNames = append(np.AgencyNames, a)
			}
		}
	}
	np.Procedure = p
	return np
}

// RefOf reads one line of LayDanhSachTTHC.
func RefOf(t *ThuTucTomTat) motcua.NationalProcedureRef {
	r := motcua.NationalProcedureRef{Code: str(t.MaTTHC), Name: t.TenTTHC, Level: levelNames[strings.ToLower(str(t.CapThucHien))],
		FieldCode: str(t.MaLinhVuc), Withdrawn: t.BaiBo}
	r.UpdatedAt, _ = ParseTime(t.NgayCapNhat)
	return r
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

var (
	originalsRe = regexp.MustCompile(`(?i)bản chính:\s*(\d+)`)
	copiesRe    = regexp.MustCompile(`(?i)bản sao:\s*(\d+)`)
	// amountRe is a fee text that starts with one amount: "0", "8,000",
	// "10.000 Đồng - …", "50,000 Việt Nam Đồng — …".
	amountRe = regexp.MustCompile(`^(\d{1,3}(?:[.,]\d{3})*)(?: (?:Việt Nam )?[Đđ]ồng)?(?:$| [—-] )`)
)

func copiesOf(s string) (originals, copies int) {
	if m := originalsRe.FindStringSubmatch(s); m != nil {
		originals, _ = strconv.Atoi(m[1])
	}
	if m := copiesRe.FindStringSubmatch(s); m != nil {
		copies, _ = strconv.Atoi(m[1])
	}
	return originals, copies
}

// copiesNote is the count of originals and copies the national catalogue
// writes after a component's name, with the punctuation before it.
var copiesNote = regexp.MustCompile(`(?i)[\s;.,]*\((bản chính|bản sao)[^)]*\)[\s;]*$`)

// withoutCopies is a component's name without the count of originals and
// copies (kept as numbers by copiesOf), so that names compare as names.
func withoutCopies(s string) string {
	for {
		t := copiesNote.ReplaceAllString(s, "")
		if t == s {
			return strings.TrimSpace(s)
		}
		s = t
	}
}

// amountOf reads the amount a fee text starts with, or nil when the text
// is not a single amount (set by the provincial council, per page…). The
// amount is in đồng; a thousands separator may be "." or ",".
func amountOf(s string) *int64 {
	m := amountRe.FindStringSubmatch(s)
	if m == nil {
		return nil
	}
	n, err := strconv.ParseInt(strings.NewReplacer(".", "", ",", "").Replace(m[1]), 10, 64)
	if err != nil {
		return nil
	}
	return &n
}
