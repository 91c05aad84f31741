package service

import (
	"context"
	"strings"

	"github.com/motcua/motcua"
)

// AccessLogQuery selects entries of the access log, newest first.
type AccessLogQuery struct {
	// DossierCode limits the entries to one dossier.
	DossierCode string
	// Username limits them to one account's actions.
	Username string
	// Action limits them to one kind (motcua.Audit…).
	Action string
	// Before continues after the entry with that id (AccessLogPage.Next).
	Before int64
	Limit  int
}

// AccessLogLine is one entry with the names a reader needs.
type AccessLogLine struct {
	Entry       *motcua.AuditEntry
	Username    string
	FullName    string
	DossierCode string
}

// AccessLogPage is a page of the access log; Next continues it (0 at the
// end).
type AccessLogPage struct {
	Lines []AccessLogLine
	Next  int64
}

// AccessLog lets a supervisor read the access log: who viewed which
// dossier's personal data, who was refused, who signed in. A supervisor
// reads the entries of a dossier they supervise (DossierCode); reading
// the whole log, by account or kind, is for supervisors of the province's
// top agency. Errors: EUNAUTHORIZED, EFORBIDDEN, ENOTFOUND (dossier),
// EINVALID (action).
func (s *Service) AccessLog(ctx context.Context, q AccessLogQuery) (*AccessLogPage, error) {
	u, err := actor(motcua.UserFromContext(ctx))
	if err != nil {
		return nil, err
	}
	byID, _, err := s.agencyMap(ctx)
	if err != nil {
		return nil, err
	}
	forbidden := motcua.Errorf(motcua.EFORBIDDEN, "not_supervisor", "Chỉ người có vai trò giám sát mới được xem nhật ký truy cập.")
	if !u.HasRole(motcua.RoleSupervisor) {
		return nil, forbidden
	}
	root := rootAgency(byID)
	whole := root != nil && u.Has(motcua.RoleSupervisor, root.ID)
	if q.Action != "" && !knownAuditAction(q.Action) {
		return nil, motcua.FieldError("action", "action_unknown", "Loại sự kiện không hợp lệ.")
	}
	f := motcua.AuditFilter{Action: q.Action, BeforeID: q.Before, Limit: q.Limit}
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 100
	}
	page := &AccessLogPage{}
	err = s.store.Read(ctx, func(tx motcua.Tx) error {
		if code := strings.ToUpper(strings.TrimSpace(q.DossierCode)); code != "" {
			d, err := tx.DossierByCode(ctx, code)
			if err != nil {
				return err
			}
			events, err := tx.Events(ctx, d.ID)
			if err != nil {
				return err
			}
			if !whole && s.access(u, d, events, byID) != supervising {
				return motcua.Errorf(motcua.ENOTFOUND, "dossier_not_found", "Không tìm thấy hồ sơ có mã %s trong phạm vi bạn giám sát.", code)
			}
			f.DossierID = d.ID
		} else if !whole {
			return motcua.FieldError("dossier_code", "dossier_code_required", "Vui lòng nhập mã hồ sơ cần xem nhật ký.")
		}
		if name := strings.ToLower(strings.TrimSpace(q.Username)); name != "" {
			who, err := tx.UserByUsername(ctx, name)
			if err != nil {
				return motcua.FieldError("username", "user_not_found", "Không có tài khoản "+name+".")
			}
			f.UserID = who.ID
		}
		es, err := tx.AuditEntries(ctx, f)
		if err != nil {
			return err
		}
		users, codes := map[int64]*motcua.User{}, map[int64]string{}
		for _, e := range es {
			line := AccessLogLine{Entry: e}
			if e.UserID != 0 {
				if _, ok := users[e.UserID]; !ok {
					who, err := tx.User(ctx, e.UserID)
					if err != nil && motcua.ErrorCode(err) != motcua.ENOTFOUND {
						return err
					}
					users[e.UserID] = who
				}
				if who := users[e.UserID]; who != nil {
					line.Username, line.FullName = who.Username, who.FullName
				}
			}
			if e.DossierID != 0 {
				if _, ok := codes[e.DossierID]; !ok {
					if d, err := tx.Dossier(ctx, e.DossierID); err == nil {
						codes[e.DossierID] = d.Code
					} else if motcua.ErrorCode(err) != motcua.ENOTFOUND {
						return err
					}
				}
				line.DossierCode = codes[e.DossierID]
			}
			page.Lines = append(page.Lines, line)
		}
		if len(es) == f.Limit {
			page.Next = es[len(es)-1].ID
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return page, nil
}

// AuditActions are the kinds of access-log entries, with their Vietnamese
// names, in the order a filter lists them.
var AuditActions = []struct{ Action, Label string }{
	{motcua.AuditViewPersonalData, "Xem dữ liệu cá nhân"},
	{motcua.AuditViewNames, "Xem tên người nộp trong danh sách"},
	{motcua.AuditViewRefused, "Bị từ chối truy cập"},
	{motcua.AuditLogin, "Đăng nhập"},
	{motcua.AuditLoginFailed, "Đăng nhập sai"},
	{motcua.AuditLogout, "Đăng xuất"},
	{motcua.AuditPasswordChanged, "Đổi mật khẩu"},
	{motcua.AuditSessionsEnded, "Kết thúc phiên đăng nhập"},
	{motcua.AuditTOTPEnrolled, "Bật xác thực hai lớp"},
	{motcua.AuditTOTPFailed, "Nhập sai mã xác thực"},
	{motcua.AuditRecoveryCodeUsed, "Dùng mã khôi phục"},
	{motcua.AuditTOTPRemoved, "Gỡ xác thực hai lớp"},
	{AuditCitizenSignIn, "Công dân đăng nhập (VNeID)"},
	{AuditCitizenSignInRefused, "Công dân đăng nhập bị từ chối"},
	{AuditCitizenView, "Công dân xem hồ sơ của mình"},
	{AuditCitizenDownload, "Công dân tải kết quả"},
	{AuditAgencyMerger, "Sáp nhập cơ quan, đơn vị"},
	{AuditAgencyMergerUndone, "Hoàn tác sáp nhập cơ quan, đơn vị"},
	{AuditFileMetadata, "Xác nhận thông tin văn bản số hóa"},
}

func knownAuditAction(a string) bool {
	for _, x := range AuditActions {
		if x.Action == a {
			return true
		}
	}
	return false
}
