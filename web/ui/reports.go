package ui

import "net/http"

// reports is the staff statistics area's first page: the dashboard of the
// public page with every figure that has dossiers behind it linked to
// their list (the service decides whose lists each person may open), and
// the way to report 06a and the QĐ 766 index.
func (u *UI) reports(w http.ResponseWriter, r *http.Request) {
	if u.staff(w, r) == nil {
		return
	}
	sd, f := u.newStatsData(r, "/bao-cao")
	u.showDashboard(w, r, "reports", "Báo cáo, thống kê", "reports", sd, f, true)
}
