package service

import (
	"bytes"
	"context"
	"strconv"
	"strings"
	"text/template"
	"unicode/utf8"

	"github.com/motcua/motcua"
)

// MaxSMSLen bounds a rendered text message, in characters: four
// concatenated SMS segments in UCS-2 (Vietnamese with its diacritics needs
// it: 67 characters per segment when concatenated).
const MaxSMSLen = 268

// defaultTemplates are the built-in notices, per event and channel. The
// extension's carries the apology NĐ 118 Art.19(6) requires, with the
// reason and the new appointment.
var defaultTemplates = map[motcua.NoticeEvent]map[string]motcua.NoticeTemplate{
	motcua.NoticeReceived: {
		motcua.ChannelSMS: {Body: `Hồ sơ {{.Code}} đã được tiếp nhận ngày {{.ReceivedDate}}, hẹn trả {{.DueDate}}. Tra cứu: {{.LookupURL}}`},
		motcua.ChannelEmail: {Subject: `Hồ sơ {{.Code}} đã được tiếp nhận`,
			Body: "Kính gửi {{.ApplicantName}},\n\nHồ sơ {{.Code}} ({{.ProcedureName}}) đã được {{.Agency}} tiếp nhận ngày {{.ReceivedDate}}.\nNgày hẹn trả kết quả: {{.DueDate}}.\n\nTra cứu tình trạng hồ sơ: {{.LookupURL}}\n"},
	},
	motcua.NoticeSupplement: {
		motcua.ChannelSMS: {Body: `Hồ sơ {{.Code}} cần bổ sung giấy tờ. Xem hướng dẫn: {{.LookupURL}}`},
		motcua.ChannelEmail: {Subject: `Hồ sơ {{.Code}} cần bổ sung`,
			Body: "Kính gửi {{.ApplicantName}},\n\nHồ sơ {{.Code}} ({{.ProcedureName}}) cần được bổ sung, hoàn thiện.\nLý do: {{.Reason}}\n\nTra cứu và xem hướng dẫn: {{.LookupURL}}\n"},
	},
	motcua.NoticeResult: {
		motcua.ChannelSMS: {Body: `{{if .Refused}}Hồ sơ {{.Code}} không đủ điều kiện giải quyết, mời nhận văn bản trả lời.{{else}}Hồ sơ {{.Code}} đã có kết quả, mời ông/bà nhận.{{end}} Tra cứu: {{.LookupURL}}`},
		motcua.ChannelEmail: {Subject: `Hồ sơ {{.Code}} đã có kết quả`,
			Body: "Kính gửi {{.ApplicantName}},\n\n{{if .Refused}}Hồ sơ {{.Code}} ({{.ProcedureName}}) không đủ điều kiện giải quyết.\nLý do: {{.Reason}}\nMời ông/bà nhận văn bản trả lời.{{else}}Hồ sơ {{.Code}} ({{.ProcedureName}}) đã có kết quả. Mời ông/bà nhận kết quả theo hình thức đã đăng ký.{{end}}\n\nTra cứu: {{.LookupURL}}\n"},
	},
	motcua.NoticeExtension: {
		motcua.ChannelSMS: {Body: `Xin lỗi ông/bà: hồ sơ {{.Code}} chậm trả, hẹn lại ngày {{.DueDate}} (thay ngày {{.OldDueDate}}). Chi tiết: {{.LookupURL}}`},
		motcua.ChannelEmail: {Subject: `Thư xin lỗi và hẹn lại ngày trả kết quả hồ sơ {{.Code}}`,
			Body: "Kính gửi {{.ApplicantName}},\n\n{{.Agency}} xin lỗi ông/bà vì hồ sơ {{.Code}} ({{.ProcedureName}}) chưa giải quyết xong theo ngày hẹn {{.OldDueDate}}.\nLý do: {{.Reason}}\nNgày hẹn trả kết quả mới: {{.DueDate}}.\n\nMong ông/bà thông cảm.\nTra cứu: {{.LookupURL}}\n"},
	},
	motcua.NoticeReturned: {
		motcua.ChannelSMS: {Body: `Hồ sơ {{.Code}} đã trả kết quả. Cảm ơn ông/bà. Đánh giá: {{.LookupURL}}`},
		motcua.ChannelEmail: {Subject: `Hồ sơ {{.Code}} đã trả kết quả`,
			Body: "Kính gửi {{.ApplicantName}},\n\nKết quả hồ sơ {{.Code}} ({{.ProcedureName}}) đã được trả. Cảm ơn ông/bà.\nÝ kiến đánh giá xin gửi tại: {{.LookupURL}}\n"},
	},
}

// sampleNotice is what a template is tried on before it is saved.
var sampleNotice = motcua.NoticeData{Code: "H01.151-261206-0001", ProcedureName: "Cấp bản sao trích lục hộ tịch",
	ApplicantName: "Nguyễn Văn An", ReceivedDate: "06/12/2026", DueDate: "09/12/2026", OldDueDate: "08/12/2026",
	Reason: "Cần xác minh thêm", Agency: "UBND phường Ba Đình", LookupURL: "https://motcua.example.vn/tra-cuu?ma=H01.151-261206-0001"}

// renderNotice renders t on data; errors are EINVALID with the failing
// part named, for an administrator.
func renderNotice(t motcua.NoticeTemplate, data motcua.NoticeData) (subject, body string, err error) {
	run := func(part, label, src string) (string, error) {
		tp, err := template.New(part).Option("missingkey=error").Parse(src)
		if err != nil {
			return "", motcua.FieldError(part, "template_parse", label+" không đúng cú pháp mẫu: "+templateErr(err))
		}
		var b bytes.Buffer
		if err := tp.Execute(&b, data); err != nil {
			return "", motcua.FieldError(part, "template_render", label+" không hiển thị được trên hồ sơ mẫu: "+templateErr(err))
		}
		return b.String(), nil
	}
	if subject, err = run("subject", "Tiêu đề", t.Subject); err != nil {
		return "", "", err
	}
	body, err = run("body", "Nội dung", t.Body)
	return strings.TrimSpace(subject), body, err
}

// templateErr is the useful end of a text/template error (without the
// "template: body:1:" prefix, kept as the position).
func templateErr(err error) string {
	s := err.Error()
	s = strings.TrimPrefix(s, "template: ")
	return s
}

// CheckNoticeTemplate reports whether t can be saved: a known event and
// channel, a body (and, for e-mail, a subject) that parse, render on a
// sample dossier without error, and — for SMS — fit MaxSMSLen characters.
// Errors: EINVALID with a message per field.
func CheckNoticeTemplate(t motcua.NoticeTemplate) error {
	if _, ok := defaultTemplates[t.Event]; !ok {
		return motcua.Errorf(motcua.EINVALID, "template_event", "Không có loại thông báo %q.", t.Event)
	}
	if t.Channel != motcua.ChannelSMS && t.Channel != motcua.ChannelEmail {
		return motcua.Errorf(motcua.EINVALID, "template_channel", "Kênh thông báo phải là SMS hoặc thư điện tử.")
	}
	if strings.TrimSpace(t.Body) == "" {
		return motcua.FieldError("body", "template_empty", "Nội dung mẫu không được để trống.")
	}
	if t.Channel == motcua.ChannelEmail && strings.TrimSpace(t.Subject) == "" {
		return motcua.FieldError("subject", "template_empty", "Tiêu đề thư không được để trống.")
	}
	if len(t.Subject)+len(t.Body) > 8000 {
		return motcua.FieldError("body", "template_too_long", "Mẫu quá dài (tối đa 8.000 ký tự).")
	}
	subject, body, err := renderNotice(t, sampleNotice)
	if err != nil {
		return err
	}
	if t.Channel == motcua.ChannelSMS && utf8.RuneCountInString(body) > MaxSMSLen {
		return motcua.FieldError("body", "sms_too_long", "Tin nhắn trên hồ sơ mẫu dài "+strconv.Itoa(utf8.RuneCountInString(body))+
			" ký tự, quá "+strconv.Itoa(MaxSMSLen)+" ký tự cho phép.")
	}
	if strings.ContainsAny(subject, "\r\n") {
		return motcua.FieldError("subject", "subject_newline", "Tiêu đề thư phải nằm trên một dòng.")
	}
	return nil
}

// noticeTemplates returns the templates in force: the saved ones over the
// built-in ones, by event and channel.
func noticeTemplates(ctx context.Context, tx motcua.Tx) (map[motcua.NoticeEvent]map[string]motcua.NoticeTemplate, error) {
	out := map[motcua.NoticeEvent]map[string]motcua.NoticeTemplate{}
	for ev, chs := range defaultTemplates {
		out[ev] = map[string]motcua.NoticeTemplate{}
		for ch, t := range chs {
			t.Event, t.Channel = ev, ch
			out[ev][ch] = t
		}
	}
	saved, err := tx.NoticeTemplates(ctx)
	if err != nil {
		return nil, err
	}
	for _, t := range saved {
		if _, ok := out[t.Event]; ok {
			out[t.Event][t.Channel] = *t
		}
	}
	return out, nil
}

// NoticeTemplates lists the templates in force (built-in or saved), by
// event then channel, to an administrator. Errors: EFORBIDDEN.
func (s *Service) NoticeTemplates(ctx context.Context) ([]motcua.NoticeTemplate, error) {
	if err := s.requireNoticeAdmin(ctx); err != nil {
		return nil, err
	}
	var all map[motcua.NoticeEvent]map[string]motcua.NoticeTemplate
	if err := s.store.Read(ctx, func(tx motcua.Tx) (err error) {
		all, err = noticeTemplates(ctx, tx)
		return err
	}); err != nil {
		return nil, err
	}
	var out []motcua.NoticeTemplate
	for _, ev := range motcua.NoticeEvents {
		for _, ch := range []string{motcua.ChannelSMS, motcua.ChannelEmail} {
			out = append(out, all[ev][ch])
		}
	}
	return out, nil
}

// SaveNoticeTemplate stores an administrator's version of a template once
// CheckNoticeTemplate accepts it. Errors: EFORBIDDEN, EINVALID.
func (s *Service) SaveNoticeTemplate(ctx context.Context, t motcua.NoticeTemplate) error {
	if err := s.requireNoticeAdmin(ctx); err != nil {
		return err
	}
	u, _ := actor(motcua.UserFromContext(ctx))
	t.Subject, t.Body = strings.TrimSpace(t.Subject), strings.ReplaceAll(t.Body, "\r\n", "\n")
	if t.Channel == motcua.ChannelSMS {
		t.Subject = ""
	}
	if err := CheckNoticeTemplate(t); err != nil {
		return err
	}
	t.UpdatedBy, t.UpdatedAt = u.ID, s.now()
	return s.store.Write(ctx, func(tx motcua.Tx) error { return tx.SaveNoticeTemplate(ctx, &t) })
}

// requireNoticeAdmin lets through the province's administrators only
// (templates and deliveries are the province's; the system may too).
// Errors: EUNAUTHORIZED, EFORBIDDEN.
func (s *Service) requireNoticeAdmin(ctx context.Context) error {
	u, err := actor(motcua.UserFromContext(ctx))
	if err != nil {
		return err
	}
	byID, _, err := s.agencyMap(ctx)
	if err != nil {
		return err
	}
	if !s.isRootAdmin(u, byID) && u != motcua.SystemUser {
		return motcua.Errorf(motcua.EFORBIDDEN, "admin_only", "Chỉ quản trị hệ thống cấp tỉnh được quản lý mẫu thông báo và thông báo gửi lỗi.")
	}
	return nil
}
