package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/service"
)

// SeedFeedback adds the citizens' side to a seeded province, through the
// same paths people use: the applicants of returned dossiers rate them from
// the lookup (the receipt's QR secret), and three complaints are sent from
// the public page — one answered by An Phú (classified and assigned by its
// vice-chairman, answered by the officer, published, rated by its sender),
// one about a regulation assigned by the provincial service centre to the
// Department of Home Affairs, one just received. Its clock is o.Now.
func SeedFeedback(ctx context.Context, o Options) error {
	cfg := o.Service
	now := o.Now
	cfg.Now = func() time.Time { return now }
	svc := service.New(o.Store, o.Cal, o.Hasher, cfg)
	users := map[string]*motcua.User{}
	var returned []*motcua.Dossier
	err := o.Store.Read(ctx, func(tx motcua.Tx) error {
		for _, n := range []string{"ct.anphu", "cv.anphu", "motcua.tinh", "cv.noivu"} {
			u, err := tx.UserByUsername(ctx, n)
			if err != nil {
				return fmt.Errorf("demo account %s: %w", n, err)
			}
			users[n] = u
		}
		ds, err := tx.FindDossiers(ctx, motcua.DossierFilter{States: []motcua.State{motcua.StateReturned}, Limit: 50})
		returned = ds
		return err
	})
	if err != nil {
		return err
	}
	as := func(n string) context.Context { return motcua.NewContextWithUser(ctx, users[n]) }
	// Ratings: most satisfied, one neutral, one not (the index's 5.4 then
	// has something to take away).
	answers := []service.RatingInput{
		{Level: 5, Attitude: 5, Trips: 0, OnTime: true},
		{Level: 4, Attitude: 5, Trips: 0, OnTime: true, Comment: "Cán bộ hướng dẫn tận tình."},
		{Level: 5, Attitude: 4, Trips: 0, OnTime: true},
		{Level: 3, Attitude: 3, Trips: 1, OnTime: true, Comment: "Phải chờ lâu ở quầy."},
		{Level: 2, Attitude: 3, Trips: 2, OnTime: false, Comment: "Trả kết quả trễ hẹn, phải đi lại nhiều lần."},
	}
	var about string
	for i, d := range returned {
		if i >= len(answers) {
			break
		}
		// The receipt's QR secret, or for a dossier received online
		// (which has no receipt) the four digits the citizen types.
		key := d.LookupSecret
		if key == "" {
			key = d.Verifier
		}
		if _, err := svc.RateByLookup(ctx, d.Code, key, "198.51.100.10", answers[i]); err != nil {
			return fmt.Errorf("demo rating of %s: %w", d.Code, err)
		}
		if about == "" && d.CompetentAgencyID == users["ct.anphu"].Grants[0].AgencyID {
			about = d.Code
		}
	}
	send := func(in service.FeedbackInput, ip string) (*service.FeedbackReceipt, error) {
		return svc.SubmitFeedback(ctx, in, ip)
	}
	a, err := send(service.FeedbackInput{Name: "Trần Văn Bình", Contact: "0905123456", DossierCode: about, Consent: true,
		Content: "Khi nộp hồ sơ tôi được hẹn 3 ngày nhưng phải quay lại thêm một lần vì cán bộ chưa hướng dẫn đủ giấy tờ cần mang theo."},
		"198.51.100.21")
	if err != nil {
		return fmt.Errorf("demo complaint: %w", err)
	}
	anPhu := users["ct.anphu"].Grants[0].AgencyID
	if _, err := svc.AssignFeedback(as("ct.anphu"), a.Code, service.AssignInput{Kind: motcua.KindConduct, Topic: "Hướng dẫn hồ sơ",
		AgencyID: anPhu, AssigneeID: users["cv.anphu"].ID}); err != nil {
		return fmt.Errorf("demo complaint assignment: %w", err)
	}
	if _, err := svc.AnswerFeedback(as("cv.anphu"), a.Code, "UBND xã An Phú xin lỗi ông về việc hướng dẫn chưa đầy đủ. "+
		"Xã đã niêm yết lại danh mục giấy tờ của từng thủ tục tại quầy và nhắc nhở công chức hướng dẫn một lần, đầy đủ."); err != nil {
		return fmt.Errorf("demo complaint answer: %w", err)
	}
	if _, err := svc.PublishFeedback(as("ct.anphu"), a.Code, service.PublishInput{}); err != nil {
		return fmt.Errorf("demo complaint publication: %w", err)
	}
	if _, err := svc.RateFeedbackAnswer(ctx, a.Code, a.Secret, "198.51.100.21", motcua.LevelSatisfied); err != nil {
		return fmt.Errorf("demo complaint rating: %w", err)
	}
	b, err := send(service.FeedbackInput{Name: "Lê Thị Hoa", Contact: "hoa.le@example.vn", Consent: true,
		Content: "Đề nghị bỏ yêu cầu nộp bản sao có chứng thực giấy tờ đã có trong Cơ sở dữ liệu quốc gia về dân cư khi giải quyết chế độ trợ cấp thờ cúng liệt sĩ."},
		"198.51.100.22")
	if err != nil {
		return fmt.Errorf("demo complaint: %w", err)
	}
	homeAffairs := users["cv.noivu"].Grants[0].AgencyID
	if _, err := svc.AssignFeedback(as("motcua.tinh"), b.Code, service.AssignInput{Kind: motcua.KindRegulation,
		Topic: "Chính sách người có công", AgencyID: homeAffairs}); err != nil {
		return fmt.Errorf("demo complaint assignment: %w", err)
	}
	if _, err := send(service.FeedbackInput{Name: "Phạm Minh Châu", Contact: "0987000111",
		Content: "Trang tra cứu hồ sơ không hiển thị được trên điện thoại cũ của tôi."}, "198.51.100.23"); err != nil {
		return fmt.Errorf("demo complaint: %w", err)
	}
	return nil
}
