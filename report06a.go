package motcua

import (
	"fmt"
	"time"
)

// Period is a reporting period: whole days from From to To inclusive, in
// Vietnam time.
type Period struct {
	From, To Day
}

// Validate checks the period.
func (p Period) Validate() error {
	if p.To < p.From {
		return Errorf(EINVALID, "period_reversed", "Ngày kết thúc kỳ báo cáo phải sau hoặc bằng ngày bắt đầu.")
	}
	if p.To-p.From > 3660 {
		return Errorf(EINVALID, "period_too_long", "Kỳ báo cáo dài quá 10 năm.")
	}
	return nil
}

// String renders the period as officials write it.
func (p Period) String() string {
	return fmt.Sprintf("Từ ngày %s đến ngày %s", FormatDate(p.From.Start()), FormatDate(p.To.Start()))
}

// Row06a is one line of report II.06a (Tình hình, kết quả giải quyết TTHC)
// for one agency and period. It holds the counts from which the thirteen
// columns derive, so that the totals equal the sums of their parts by
// construction:
//
//	3 = 4 + 5 + 6 (to be handled: received online, directly or by post, carried over)
//	7 = 8 + 9 + 10 (handled: early, on time — including those waiting for a supplement
//	                and those withdrawn, stopped or closed —, late)
//	11 = 12 + 13 (still pending: within time, overdue)
//
// Every dossier to be handled in the period is either handled or pending at
// its end, so 3 = 7 + 11 as well (checked by the tests, not assumed).
type Row06a struct {
	AgencyID       int64 `json:"agency_id"`
	ReceivedOnline int64 `json:"received_online"` // column 4
	ReceivedDirect int64 `json:"received_direct"` // column 5
	CarriedOver    int64 `json:"carried_over"`    // column 6
	Early          int64 `json:"early"`           // column 8
	FinishedOnTime int64 `json:"finished_on_time"`
	Waiting        int64 `json:"waiting"` // waiting for a supplement at the period's end; part of column 9
	Late           int64 `json:"late"`    // column 10
	WithinTime     int64 `json:"within_time"`
	Overdue        int64 `json:"overdue"`
}

// Col returns column n (3 to 13) of the report.
func (r Row06a) Col(n int) int64 {
	switch n {
	case 3:
		return r.ReceivedOnline + r.ReceivedDirect + r.CarriedOver
	case 4:
		return r.ReceivedOnline
	case 5:
		return r.ReceivedDirect
	case 6:
		return r.CarriedOver
	case 7:
		return r.Early + r.FinishedOnTime + r.Waiting + r.Late
	case 8:
		return r.Early
	case 9:
		return r.FinishedOnTime + r.Waiting
	case 10:
		return r.Late
	case 11:
		return r.WithinTime + r.Overdue
	case 12:
		return r.WithinTime
	case 13:
		return r.Overdue
	}
	return 0
}

// Add adds o's counts to r (for totals).
func (r *Row06a) Add(o Row06a) {
	r.ReceivedOnline += o.ReceivedOnline
	r.ReceivedDirect += o.ReceivedDirect
	r.CarriedOver += o.CarriedOver
	r.Early += o.Early
	r.FinishedOnTime += o.FinishedOnTime
	r.Waiting += o.Waiting
	r.Late += o.Late
	r.WithinTime += o.WithinTime
	r.Overdue += o.Overdue
}

// Count adds a pending dossier's bucket at the period's end.
func (r *Row06a) Count(b Bucket) {
	switch b {
	case BucketWaiting:
		r.Waiting++
	case BucketWithin:
		r.WithinTime++
	case BucketOverdue:
		r.Overdue++
	}
}

// Balanced reports whether the dossiers to handle equal those handled plus
// those pending (3 = 7 + 11).
func (r Row06a) Balanced() bool { return r.Col(3) == r.Col(7)+r.Col(11) }

// Report06a is report II.06a for a period: one row per agency that settles
// dossiers, and the province's total.
type Report06a struct {
	Period Period   `json:"period"`
	Rows   []Row06a `json:"rows"`
	Total  Row06a   `json:"total"`
	// Source says how the figures were computed: "base" (from the dossiers
	// themselves) or "live" (from the counters kept at every change).
	Source string `json:"source"`
	// AsOf is the moment up to which the figures hold every change: the
	// time of the computation, or earlier when they were read from a
	// replica that had not replayed the last changes yet (ReportReader).
	AsOf time.Time `json:"as_of"`
	// FromReplica says the figures were read from the replica.
	FromReplica bool `json:"from_replica,omitempty"`
}

// Columns06a are the column headings of report II.06a (domain-vn.md §8).
var Columns06a = []struct {
	N              int
	Group, Heading string
}{
	{1, "", "TT"}, {2, "", "Đơn vị"},
	{3, "Số hồ sơ nhận giải quyết", "Tổng số"}, {4, "Số hồ sơ nhận giải quyết", "Trong kỳ: Trực tuyến"},
	{5, "Số hồ sơ nhận giải quyết", "Trong kỳ: Trực tiếp, dịch vụ bưu chính"}, {6, "Số hồ sơ nhận giải quyết", "Từ kỳ trước"},
	{7, "Số hồ sơ đã giải quyết", "Tổng số"}, {8, "Số hồ sơ đã giải quyết", "Trước hạn"},
	{9, "Số hồ sơ đã giải quyết", "Đúng hạn"}, {10, "Số hồ sơ đã giải quyết", "Quá hạn"},
	{11, "Số hồ sơ đang giải quyết", "Tổng số"}, {12, "Số hồ sơ đang giải quyết", "Trong hạn"},
	{13, "Số hồ sơ đang giải quyết", "Quá hạn"},
}
