package demo

import (
	"fmt"
	"strings"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/service"
)

// demoApplicants are invented people with well-formed ID numbers.
var demoApplicants = []motcua.Applicant{
	{FullName: "Nguyễn Thị Thanh Hà", IDNumber: "089186001234", Phone: "0912345678", Address: "Ấp Trung, xã An Phú, tỉnh Mẫu", DateOfBirth: "1986-03-14", Gender: "Nữ"},
	{FullName: "Trần Văn Bảo", IDNumber: "089079004321", Phone: "0987654321", Address: "Khu phố 2, phường Trung Tâm, tỉnh Mẫu", DateOfBirth: "1979-11-02", Gender: "Nam"},
	{FullName: "Lê Thị Kim Oanh", IDNumber: "001193012345", Phone: "0903111222", Address: "Ấp Bắc, xã An Phú, tỉnh Mẫu", DateOfBirth: "1993-07-21", Gender: "Nữ"},
	{FullName: "Phạm Minh Khang", IDNumber: "079201009876", Phone: "0978000111", Address: "Khu phố 1, xã Hòa Bình, tỉnh Mẫu", DateOfBirth: "2001-01-09", Gender: "Nam"},
	{FullName: "Hồ Thị Ánh Tuyết", IDNumber: "089165005555", Phone: "0935222333", Address: "Số 12 đường Lê Lợi, phường Trung Tâm, tỉnh Mẫu", DateOfBirth: "1965-05-30", Gender: "Nữ"},
	{FullName: "Đoàn Văn Kiệt", IDNumber: "089058007777", Phone: "0944555666", Address: "Ấp Đông, xã Hòa Bình, tỉnh Mẫu", DateOfBirth: "1958-09-12", Gender: "Nam"},
}

// step is one action of a scenario: after `after` working hours, `user`
// does `in` to the scenario's dossier.
type step struct {
	after float64
	user  string
	in    service.ActInput
}

// scenario makes one dossier: received (or submitted, or asked for a
// supplement, or refused) at `at` working hours after the origin, then the
// steps. Steps that would fall after the present are not taken, so every
// dossier is left in the state its history has reached by now.
type scenario struct {
	name      string
	at        float64 // working hours after the origin; negative: before the present
	user      string  // who receives
	point     string  // agency key of the reception point
	commune   string  // competent commune (commune-level procedures)
	procedure string
	applicant int
	channel   motcua.Channel
	decision  string
	reason    string
	steps     []step
}

func act(a motcua.Action) service.ActInput { return service.ActInput{Action: a} }

func actR(a motcua.Action, reason string) service.ActInput {
	return service.ActInput{Action: a, Reason: reason}
}

// scenarios are the demo dossiers: one per state at least, some late, some
// waiting for a supplement, a provincial dossier received at a commune.
func (s *seeder) scenarios() error {
	assign := func(username string) service.ActInput {
		return service.ActInput{Action: motcua.ActAssign, AssigneeID: s.users[username].ID}
	}
	result := func(no string) service.ActInput {
		return service.ActInput{Action: motcua.ActIssueResult, ResultNumber: no}
	}
	const provincial = "1.010803" // Giải quyết chế độ trợ cấp thờ cúng liệt sĩ (Sở Nội vụ, 10 ngày làm việc)
	list := []scenario{
		{name: "trả kết quả trước hạn", at: 2, user: "motcua.anphu", point: "xa-an-phu", procedure: "1.004837", applicant: 0,
			steps: []step{{1, "motcua.anphu", act(motcua.ActTransfer)}, {3, "cv.anphu", act(motcua.ActForward)},
				{2, "ct.anphu", act(motcua.ActApprove)}, {1, "cv.anphu", result("12/2026/GH")}, {3, "motcua.anphu", act(motcua.ActReturn)}}},
		{name: "trả kết quả quá hạn (cấp tỉnh)", at: 1, user: "motcua.tinh", point: "ttpvhcc", procedure: provincial, applicant: 5,
			steps: []step{{2, "motcua.tinh", act(motcua.ActTransfer)}, {20, "tp.noivu", assign("cv.noivu")},
				{60, "cv.noivu", act(motcua.ActForward)}, {8, "tp.noivu", act(motcua.ActForward)}, {10, "ld.noivu", act(motcua.ActApprove)},
				{5, "cv.noivu", result("345/QĐ-SNV")}, {2, "motcua.tinh", act(motcua.ActReturn)}}},
		{name: "bổ sung sau thẩm định, tính lại thời hạn, trả đúng hạn", at: 10, user: "motcua.anphu", point: "xa-an-phu", procedure: "1.004837", applicant: 2,
			steps: []step{{1, "motcua.anphu", act(motcua.ActTransfer)}, {4, "cv.anphu", actR(motcua.ActRequestSupplement, "Bổ sung văn bản thỏa thuận cử người giám hộ có chữ ký của các bên.")},
				{30, "motcua.anphu", act(motcua.ActSupplementReceived)}, {6, "cv.anphu", act(motcua.ActForward)},
				{4, "ct.anphu", act(motcua.ActApprove)}, {2, "cv.anphu", result("15/2026/GH")}, {8, "motcua.anphu", act(motcua.ActReturn)}}},
		{name: "hồ sơ cấp tỉnh tiếp nhận tại xã, chờ bổ sung", at: -14, user: "motcua.anphu", point: "xa-an-phu", procedure: provincial, applicant: 5,
			steps: []step{{1, "motcua.anphu", act(motcua.ActTransfer)}, {2, "tp.noivu", assign("cv2.noivu")},
				{4, "cv2.noivu", actR(motcua.ActRequestSupplement, "Bổ sung Giấy xác nhận của UBND xã về người thờ cúng liệt sĩ theo mẫu; hướng dẫn chi tiết kèm theo phiếu.")}}},
		{name: "đã có kết quả, chờ trả", at: -20, user: "motcua.trungtam", point: "phuong-trung-tam", procedure: "1.001612", applicant: 1,
			steps: []step{{1, "motcua.trungtam", act(motcua.ActTransfer)}, {4, "cv.trungtam", act(motcua.ActForward)},
				{3, "ct.trungtam", act(motcua.ActApprove)}, {2, "cv.trungtam", result("89/GCN-HKD")}}},
		{name: "đang xử lý, quá hạn", at: 5, user: "motcua.hoabinh", point: "xa-hoa-binh", procedure: "1.001776", applicant: 3,
			steps: []step{{3, "motcua.hoabinh", act(motcua.ActTransfer)}}},
		{name: "đang xử lý, trong hạn (cấp tỉnh)", at: -10, user: "motcua.tinh", point: "ttpvhcc", procedure: "Gia hạn giấy phép xây dựng", applicant: 3,
			steps: []step{{1, "motcua.tinh", act(motcua.ActTransfer)}, {2, "tp.xaydung", assign("cv.xaydung")}}},
		{name: "đổi giấy phép lái xe (Công an tỉnh)", at: -12, user: "motcua.tinh", point: "ttpvhcc", procedure: "Đổi Giấy phép lái xe", applicant: 1,
			steps: []step{{1, "motcua.tinh", act(motcua.ActTransfer)}, {1, "tp.congan", assign("cv.congan")}, {3, "cv.congan", act(motcua.ActForward)}}},
		{name: "chờ bổ sung khi tiếp nhận", at: -6, user: "motcua.anphu", point: "xa-an-phu", procedure: "1.001612", applicant: 4,
			decision: service.DecisionSupplement, reason: "Thiếu giấy đề nghị đăng ký hộ kinh doanh có chữ ký của chủ hộ; đề nghị bổ sung một lần đầy đủ."},
		{name: "trực tuyến, chờ tiếp nhận", at: -2, user: "dvcqg", point: "xa-an-phu", procedure: "1.004837", applicant: 2, channel: motcua.ChannelOnline, decision: service.DecisionSubmit},
		{name: "trực tuyến, quá 8 giờ chưa tiếp nhận", at: -20, user: "dvcqg", point: "phuong-trung-tam", procedure: "1.001612", applicant: 1, channel: motcua.ChannelOnline, decision: service.DecisionSubmit},
		{name: "đã tiếp nhận, chờ chuyển", at: -1, user: "motcua.trungtam", point: "phuong-trung-tam", procedure: "2.001016", applicant: 4},
		{name: "đã phê duyệt, đang ban hành", at: -8, user: "motcua.anphu", point: "xa-an-phu", procedure: "2.001016", applicant: 0,
			steps: []step{{1, "motcua.anphu", act(motcua.ActTransfer)}, {2, "cv.anphu", act(motcua.ActForward)}, {1, "ct.anphu", act(motcua.ActApprove)}}},
		{name: "từ chối sau thẩm định", at: 40, user: "motcua.hoabinh", point: "xa-hoa-binh", procedure: "1.004837", applicant: 3,
			steps: []step{{1, "motcua.hoabinh", act(motcua.ActTransfer)}, {5, "cv.hoabinh", act(motcua.ActForward)},
				{3, "ct.hoabinh", actR(motcua.ActRefuse, "Người được đề nghị làm giám hộ không đủ điều kiện theo Điều 49 Bộ luật Dân sự.")}}},
		{name: "từ chối sau thẩm định, đã trả thông báo", at: 45, user: "motcua.anphu", point: "xa-an-phu", procedure: "1.004837", applicant: 2,
			steps: []step{{1, "motcua.anphu", act(motcua.ActTransfer)}, {5, "cv.anphu", act(motcua.ActForward)},
				{3, "ct.anphu", actR(motcua.ActRefuse, "Hồ sơ không thuộc trường hợp được đăng ký giám hộ tại xã.")},
				{4, "motcua.anphu", act(motcua.ActReturn)}}},
		{name: "từ chối tiếp nhận", at: 60, user: "motcua.trungtam", point: "phuong-trung-tam", procedure: "1.001612", applicant: 5,
			decision: service.DecisionRefuse, reason: "Hộ kinh doanh đã được đăng ký tại địa chỉ này; không thuộc trường hợp đăng ký mới."},
		{name: "rút hồ sơ", at: 50, user: "motcua.anphu", point: "xa-an-phu", procedure: "1.001776", applicant: 4,
			steps: []step{{2, "motcua.anphu", act(motcua.ActTransfer)}, {6, "motcua.anphu", actR(motcua.ActWithdraw, "Người nộp có đơn xin rút hồ sơ ngày nộp.")}}},
		{name: "dừng xử lý", at: 30, user: "motcua.tinh", point: "ttpvhcc", procedure: "1.010824", applicant: 5,
			steps: []step{{2, "motcua.tinh", act(motcua.ActTransfer)}, {4, "tp.noivu", assign("cv.noivu")},
				{8, "ld.noivu", actR(motcua.ActStop, "Người đề nghị đã được giải quyết chế độ tại tỉnh khác.")}}},
		{name: "đóng do không bổ sung", at: 3, user: "motcua.hoabinh", point: "xa-hoa-binh", procedure: "1.004837", applicant: 1,
			steps: []step{{1, "motcua.hoabinh", act(motcua.ActTransfer)}, {2, "cv.hoabinh", actR(motcua.ActRequestSupplement, "Bổ sung bản sao giấy chứng tử của cha, mẹ người được giám hộ.")}}},
		{name: "xin lỗi và gia hạn", at: -40, user: "motcua.tinh", point: "ttpvhcc", procedure: provincial, applicant: 0,
			steps: []step{{1, "motcua.tinh", act(motcua.ActTransfer)}, {2, "tp.noivu", assign("cv2.noivu")}}},
		{name: "liên thông với cơ quan thuế, chờ ý kiến của xã", at: -16, user: "motcua.anphu", point: "xa-an-phu", procedure: "1.013949", applicant: 1,
			steps: []step{{1, "motcua.anphu", act(motcua.ActTransfer)}, {3, "cv.anphu", act(motcua.ActForward)}, {4, "cv.thue", act(motcua.ActForward)}}},
		// A certified copy from the original, issued as a signed electronic
		// copy when the demo signs (indicator 4.2b).
		{name: "chứng thực bản sao điện tử từ bản chính", at: 20, user: "motcua.anphu", point: "xa-an-phu", procedure: "2.000815", applicant: 4,
			steps: []step{{0.5, "motcua.anphu", act(motcua.ActTransfer)}, {0.5, "cv.anphu", act(motcua.ActForward)},
				{0.5, "ct.anphu", act(motcua.ActApprove)}, {0.5, "cv.anphu", result("01/2026/CT-BS")}, {1, "motcua.anphu", act(motcua.ActReturn)}}},
		{name: "khai sinh trong ngày", at: -3, user: "motcua.hoabinh", point: "xa-hoa-binh", procedure: "1.001193", applicant: 3,
			steps: []step{{0.5, "motcua.hoabinh", act(motcua.ActTransfer)}, {1, "cv.hoabinh", act(motcua.ActForward)}}},
	}
	// Birth registration is what communes receive most: a few same-day
	// registrations, received in the morning and returned by noon, so that
	// the counter's search ranks it first as it would in real use.
	for i, c := range []string{"xa-an-phu", "xa-hoa-binh", "xa-an-phu", "xa-hoa-binh", "xa-an-phu", "xa-hoa-binh", "xa-an-phu"} {
		officer, specialist, leader := "motcua.anphu", "cv.anphu", "ct.anphu"
		if c == "xa-hoa-binh" {
			officer, specialist, leader = "motcua.hoabinh", "cv.hoabinh", "ct.hoabinh"
		}
		list = append(list, scenario{name: "khai sinh, trả trong ngày", at: float64(16+8*i) + 0.5, user: officer, point: c,
			procedure: "1.001193", applicant: i % len(demoApplicants),
			steps: []step{{0.25, officer, act(motcua.ActTransfer)}, {0.5, specialist, act(motcua.ActForward)},
				{0.5, leader, act(motcua.ActApprove)}, {0.25, specialist, result(fmt.Sprintf("%d/2026/KS", 101+i))},
				{0.5, officer, act(motcua.ActReturn)}}})
	}
	total := s.o.Cal.WorkingBetween(s.origin0(), s.o.Now).Hours()
	for i, sc := range list {
		if err := s.run(sc, total); err != nil {
			return fmt.Errorf("demo dossier %d (%s): %w", i+1, sc.name, err)
		}
	}
	if err := s.extendOne(); err != nil {
		return fmt.Errorf("demo extension: %w", err)
	}
	// The scheduler closes the dossier whose supplement never came.
	s.clock = s.o.Now
	if _, err := s.svc.CloseExpiredSupplements(s.ctx); err != nil {
		return fmt.Errorf("demo closure: %w", err)
	}
	return nil
}

// origin0 is where demo time starts: the first working moment 35 days
// before the present.
func (s *seeder) origin0() time.Time {
	if s.origin.IsZero() {
		s.origin = s.o.Cal.NextWorkingMoment(s.o.Now.AddDate(0, 0, -35))
	}
	return s.origin
}

func (s *seeder) hoursAfterOrigin(h float64) time.Time {
	return s.o.Cal.AddWorking(s.origin0(), time.Duration(h*float64(time.Hour)))
}

// procedure finds a scenario's procedure by national code, or by the start
// of its name for the procedures the sources give no code.
func (s *seeder) procedure(key string) (*motcua.Procedure, error) {
	if p, ok := s.procs[key]; ok {
		return p, nil
	}
	var found *motcua.Procedure
	for name, p := range s.procs {
		if p.Code == "" && strings.HasPrefix(name, key) {
			if found != nil {
				return nil, fmt.Errorf("procedure %q is ambiguous in the demo catalogue", key)
			}
			found = p
		}
	}
	if found == nil {
		return nil, fmt.Errorf("procedure %q is not in the demo catalogue", key)
	}
	return found, nil
}

func (s *seeder) run(sc scenario, total float64) error {
	at := sc.at
	if at < 0 {
		at = total + at
	}
	s.clock = s.hoursAfterOrigin(at)
	p, err := s.procedure(sc.procedure)
	if err != nil {
		return err
	}
	in := service.NewDossier{ProcedureID: p.ID, ReceptionPointID: s.points[sc.point].ID, Channel: sc.channel,
		Applicant: demoApplicants[sc.applicant], Decision: sc.decision, Reason: sc.reason,
		Content: "Đề nghị giải quyết thủ tục: " + p.Name}
	if in.Channel == 0 {
		in.Channel = motcua.ChannelCounter
	}
	if p.Level == motcua.LevelCommune {
		commune := sc.commune
		if commune == "" {
			commune = sc.point
		}
		in.CompetentAgencyID = s.agencies[commune].ID
	}
	for _, c := range p.Components {
		if sc.decision == service.DecisionSupplement && c.Mandatory {
			continue // the missing one
		}
		if !c.FromNationalDB {
			in.Components = append(in.Components, service.ComponentInput{ComponentID: c.ID, Provided: true})
		}
	}
	res, err := s.svc.ReceiveDossier(s.as(sc.user), "", in)
	if err != nil {
		return err
	}
	if res.Dossier.Status.State == motcua.StateReceived {
		if err := s.scanComponents(sc.user, res.Dossier, p); err != nil {
			return err
		}
	}
	for _, st := range sc.steps {
		s.clock = s.o.Cal.AddWorking(s.o.Cal.NextWorkingMoment(s.clock), time.Duration(st.after*float64(time.Hour)))
		if !s.clock.Before(s.o.Now) {
			return nil
		}
		if st.in.Action == motcua.ActIssueResult && s.signs() {
			// The electronic result, made from the template, signed and
			// issued in one step as the issuer does from the dossier page.
			if _, err := s.svc.SignResult(s.as(st.user), res.Dossier.Code); err != nil {
				return fmt.Errorf("sign result by %s: %w", st.user, err)
			}
			continue
		}
		if _, err := s.svc.Act(s.as(st.user), res.Dossier.Code, st.in); err != nil {
			return fmt.Errorf("%s by %s: %w", st.in.Action, st.user, err)
		}
	}
	return nil
}

// extendOne re-appoints the return date of the "xin lỗi và gia hạn"
// dossier, with an apology, at the present.
func (s *seeder) extendOne() error {
	var ds []*motcua.Dossier
	if err := s.o.Store.Read(s.ctx, func(tx motcua.Tx) (err error) {
		ds, err = tx.FindDossiers(s.ctx, motcua.DossierFilter{AssigneeID: s.users["cv2.noivu"].ID,
			States: []motcua.State{motcua.StateProcessing}, Limit: 10})
		return err
	}); err != nil {
		return err
	}
	if len(ds) != 1 {
		return fmt.Errorf("expected one dossier with cv2.noivu, found %d", len(ds))
	}
	s.clock = s.o.Now
	cal := s.o.Cal
	newDue := cal.EndOfWorkingDay(cal.AddWorking(ds[0].Status.DueAt, 3*cal.WorkingDayLength()))
	_, err := s.svc.Act(s.as("ld.noivu"), ds[0].Code, service.ActInput{Action: motcua.ActExtend, NewDueAt: newDue,
		Reason: "Hồ sơ cần xác minh thêm thông tin liệt sĩ tại cơ quan quản lý hồ sơ gốc; Sở Nội vụ xin lỗi ông/bà vì sự chậm trễ và hẹn lại ngày trả kết quả."})
	return err
}
