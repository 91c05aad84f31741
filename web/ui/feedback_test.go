package ui_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/service"
)

// apiCall sends a JSON request to the API with a bearer token ("" for
// none) and decodes the answer into out (when not nil).
func (e *env) apiCall(method, path, token string, body any, out any) resp {
	e.t.Helper()
	var rd *bytes.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	} else {
		rd = bytes.NewReader(nil)
	}
	req, _ := http.NewRequest(method, e.ts.URL+"/api/v1"+path, rd)
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	r := e.browser().do(req)
	if out != nil && r.status < 300 {
		if err := json.Unmarshal([]byte(r.body), out); err != nil {
			e.t.Fatalf("%s %s: %v\n%s", method, path, err, r.body)
		}
	}
	return r
}

// dossier reads a dossier by code, with its verifier.
func (e *env) dossier(code string) *motcua.Dossier {
	e.t.Helper()
	var d *motcua.Dossier
	if err := e.db.Read(ctx, func(tx motcua.Tx) (err error) { d, err = tx.DossierByCode(ctx, code); return err }); err != nil {
		e.t.Fatal(err)
	}
	return d
}

// resultReadyAtAnPhu receives n dossiers at An Phú's counter and takes
// each through its process until the result waits at the counter.
func (e *env) resultReadyAtAnPhu(n int) []*motcua.Dossier {
	e.t.Helper()
	var out []*motcua.Dossier
	for i := 0; i < n; i++ {
		in, err := e.svc.ReceiveDossier(e.as("motcua.anphu"), "", anPhuDossier(e))
		if err != nil {
			e.t.Fatal(err)
		}
		code := in.Dossier.Code
		for _, st := range []struct {
			user string
			in   service.ActInput
		}{{"motcua.anphu", service.ActInput{Action: motcua.ActTransfer}}, {"cv.anphu", service.ActInput{Action: motcua.ActForward}},
			{"ct.anphu", service.ActInput{Action: motcua.ActApprove}},
			{"cv.anphu", service.ActInput{Action: motcua.ActIssueResult, ResultNumber: fmt.Sprintf("%d/2025/GH", i+1)}}} {
			if _, err := e.svc.Act(e.as(st.user), code, st.in); err != nil {
				e.t.Fatalf("%s: %v", st.in.Action, err)
			}
		}
		out = append(out, e.dossier(code))
	}
	return out
}

func rating(code, verifier string, level, attitude, trips string) url.Values {
	return url.Values{"ma": {code}, "so": {verifier}, "muc": {level}, "thai-do": {attitude}, "di-lai": {trips}, "dung-hen": {"1"}}
}

// TestRatingAfterReturn rates a dossier from the lookup page: refused
// before its result is returned, recorded once after, refused the second
// time and with a wrong verifier; then the counter's tablet rates the
// next dossier its officer returns; each rating keeps its channel and time
// and the public side shows no personal data.
func TestRatingAfterReturn(t *testing.T) {
	e := newEnv(t)
	ds := e.resultReadyAtAnPhu(2)
	d, d2 := ds[0], ds[1]
	citizen := e.browser()

	r := citizen.post("/tra-cuu/danh-gia", rating(d.Code, d.Verifier, "5", "4", "0"))
	if r.status != http.StatusConflict || !strings.Contains(r.body, "chưa trả kết quả") {
		t.Fatalf("a rating before return: %d\n%s", r.status, r.body)
	}
	if page := citizen.get("/tra-cuu?ma=" + d.Code + "&so=" + d.Verifier); strings.Contains(page.body, `id="danh-gia"`) {
		t.Error("the lookup offers a rating before return")
	}

	counter := e.login("motcua.anphu")
	at := vn(2025, 3, 10, 10, 15)
	e.set(at)
	if r := counter.post("/ho-so/"+d.Code+"/thao-tac", url.Values{"action": {"return"}}); r.status != http.StatusSeeOther {
		t.Fatalf("return: %d\n%s", r.status, r.body)
	}
	page := citizen.get("/tra-cuu?ma=" + d.Code + "&k=" + d.LookupSecret)
	if !strings.Contains(page.body, `id="danh-gia"`) || strings.Contains(page.body, d.Applicant.FullName) {
		t.Fatalf("the lookup of a returned dossier (by the QR secret) has no rating form, or shows the applicant's name:\n%s", page.body)
	}

	e.set(at.Add(5 * time.Minute))
	r = citizen.post("/tra-cuu/danh-gia", rating(d.Code, d.LookupSecret, "5", "4", "1"))
	if r.status != http.StatusOK || !strings.Contains(r.body, "Đã đánh giá: <strong>Rất hài lòng</strong>") {
		t.Fatalf("a rating after return: %d\n%s", r.status, r.body)
	}
	r = citizen.post("/tra-cuu/danh-gia", rating(d.Code, d.Verifier, "1", "1", "2"))
	if r.status != http.StatusConflict || !strings.Contains(r.body, "đã được đánh giá") {
		t.Fatalf("a second rating: %d\n%s", r.status, r.body)
	}
	if r := e.browser().post("/tra-cuu/danh-gia", rating(d.Code, "0000", "1", "1", "2")); r.status != http.StatusNotFound {
		t.Fatalf("a rating with a wrong verifier: %d", r.status)
	}
	var got motcua.Rating
	if r := e.apiCall("GET", "/dossiers/"+d.Code+"/rating?verifier="+d.Verifier, "", nil, &got); r.status != http.StatusOK {
		t.Fatalf("the rating through the API: %d %s", r.status, r.body)
	}
	if got.Level != 5 || got.Attitude != 4 || got.Trips != 1 || !got.OnTime || got.Channel != motcua.RateLookup ||
		!got.At.Equal(at.Add(5*time.Minute)) || got.DossierID != d.ID {
		t.Errorf("stored rating %+v", got)
	}
	// A second rating through the API is refused as well.
	if r := e.apiCall("POST", "/dossiers/"+d.Code+"/rating", "", map[string]any{"verifier": d.Verifier, "level": 1, "attitude": 1, "trips": 0},
		nil); r.status != http.StatusConflict || !strings.Contains(r.body, "already_rated") {
		t.Errorf("a second rating through the API: %d %s", r.status, r.body)
	}

	// The tablet at the counter: the dossier the officer returned last.
	e.set(at.Add(30 * time.Minute))
	if r := counter.post("/ho-so/"+d2.Code+"/thao-tac", url.Values{"action": {"return"}}); r.status != http.StatusSeeOther {
		t.Fatalf("return: %d", r.status)
	}
	tablet := counter.get("/quay/danh-gia")
	if tablet.status != http.StatusOK || !strings.Contains(tablet.body, "Hồ sơ "+d2.Code) || !strings.Contains(tablet.body, `id="danh-gia"`) {
		t.Fatalf("the tablet does not offer the last returned dossier %s:\n%s", d2.Code, tablet.body)
	}
	if strings.Contains(tablet.body, d2.Applicant.FullName) {
		t.Error("the tablet shows the applicant's name")
	}
	// Only the last one: the dossier rated before cannot be rated again
	// from here, nor any other.
	if r := counter.post("/quay/danh-gia", rating(d.Code, "", "1", "1", "0")); r.status != http.StatusConflict {
		t.Errorf("the tablet rating another dossier: %d", r.status)
	}
	if r := counter.post("/quay/danh-gia", rating(d2.Code, "", "2", "3", "0")); r.status != http.StatusOK || !strings.Contains(r.body, "Không hài lòng") {
		t.Fatalf("the tablet's rating: %d\n%s", r.status, r.body)
	}
	var r2 *motcua.Rating
	e.db.Read(ctx, func(tx motcua.Tx) (err error) { r2, err = tx.DossierRating(ctx, d2.ID); return err })
	var officer *motcua.User
	e.db.Read(ctx, func(tx motcua.Tx) (err error) { officer, err = tx.UserByUsername(ctx, "motcua.anphu"); return err })
	if r2 == nil || r2.Channel != motcua.RateCounter || r2.CounterUserID != officer.ID || r2.Level != 2 || !r2.At.Equal(at.Add(30*time.Minute)) {
		t.Errorf("the tablet's rating stored as %+v", r2)
	}
	// A specialist's session is no tablet.
	if r := e.login("cv.anphu").get("/quay/danh-gia"); r.status != http.StatusForbidden {
		t.Errorf("the tablet for a specialist: %d", r.status)
	}
}

var (
	receiptCode   = regexp.MustCompile(`<dt>Mã phản ánh</dt><dd><strong class="code">(PA\d+)</strong>`)
	receiptSecret = regexp.MustCompile(`<dt>Mã bí mật để tra cứu</dt><dd><strong class="code">([A-Za-z0-9_-]+)</strong>`)
)

// TestComplaintAnsweredPublishedRated follows a complaint over HTTP: sent
// from the public page without signing in, classified and assigned by the
// commune's leader, answered by the officer, published without the
// sender's personal data, and rated by the sender; only those handling it
// see the sender, and each view of the sender is logged.
func TestComplaintAnsweredPublishedRated(t *testing.T) {
	e := newEnv(t)
	anPhu, _, _ := e.svc.Agency(ctx, "H99.101")
	dossier := e.dossierCodes("H99.101")[0]
	public := e.browser()
	const content = "Tôi nộp hồ sơ đã quá hẹn mà chưa có kết quả. Xin gọi 0912 345 678 hoặc thư an.nguyen@example.vn."
	r := public.post("/phan-anh", url.Values{"ho-ten": {"Nguyễn Văn An"}, "lien-he": {"0912345678"}, "noi-dung": {content + "\x00\x07"},
		"ma-ho-so": {strings.ToLower(dossier)}, "dong-y": {"1"}})
	if r.status != http.StatusOK {
		t.Fatalf("send: %d\n%s", r.status, r.body)
	}
	cm, sm := receiptCode.FindStringSubmatch(r.body), receiptSecret.FindStringSubmatch(r.body)
	if cm == nil || sm == nil {
		t.Fatalf("no code and secret on the receipt:\n%s", r.body)
	}
	code, secret := cm[1], sm[1]
	status := public.get("/phan-anh/tra-cuu?ma=" + code + "&k=" + secret)
	if status.status != http.StatusOK || !strings.Contains(status.body, "Mới tiếp nhận") || strings.Contains(status.body, "\x00") {
		t.Fatalf("status: %d\n%s", status.status, status.body)
	}
	if r := e.browser().get("/phan-anh/tra-cuu?ma=" + code + "&k=sai"); r.status != http.StatusNotFound {
		t.Errorf("status with a wrong secret: %d", r.status)
	}

	leader, officer := e.login("ct.anphu"), e.login("cv.anphu")
	list := leader.get("/quan-ly/phan-anh")
	if !strings.Contains(list.body, `data-code="`+code+`"`) || strings.Contains(list.body, "Nguyễn Văn An") {
		t.Fatalf("the leader's list: the complaint missing or the sender's name shown:\n%s", list.body)
	}
	if r := e.login("motcua.hoabinh").get("/quan-ly/phan-anh/" + code); r.status != http.StatusNotFound {
		t.Errorf("another commune opens the complaint: %d", r.status)
	}
	// Not assigned yet: the officer may not answer.
	if r := officer.post("/quan-ly/phan-anh/"+code+"/tra-loi", url.Values{"tra-loi": {"Trả lời trước khi được giao việc."}}); r.status != http.StatusForbidden {
		t.Errorf("an answer before assignment: %d", r.status)
	}
	var cv *motcua.User
	e.db.Read(ctx, func(tx motcua.Tx) (err error) { cv, err = tx.UserByUsername(ctx, "cv.anphu"); return err })
	r = leader.post("/quan-ly/phan-anh/"+code+"/phan-cong", url.Values{"loai": {"conduct"}, "linh-vuc": {"Hộ tịch"},
		"co-quan": {fmt.Sprint(anPhu.ID)}, "nguoi-xu-ly": {fmt.Sprint(cv.ID)}, "thao-tac": {"phan-cong"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("assign: %d\n%s", r.status, r.body)
	}
	const answer = "Hồ sơ đã có kết quả; xin lỗi ông vì sự chậm trễ. Cán bộ Nguyễn Văn An sẽ liên hệ 0912345678."
	if r := officer.post("/quan-ly/phan-anh/"+code+"/tra-loi", url.Values{"tra-loi": {answer}}); r.status != http.StatusSeeOther {
		t.Fatalf("answer: %d\n%s", r.status, r.body)
	}
	detail := officer.get("/quan-ly/phan-anh/" + code)
	if !strings.Contains(detail.body, "Nguyễn Văn An") || !strings.Contains(detail.body, "Đã trả lời") || !strings.Contains(detail.body, "Hạn công khai") {
		t.Fatalf("the detail after the answer:\n%s", detail.body)
	}
	if r := officer.post("/quan-ly/phan-anh/"+code+"/cong-khai", url.Values{}); r.status != http.StatusForbidden {
		t.Errorf("the officer publishes: %d", r.status)
	}
	if r := leader.post("/quan-ly/phan-anh/"+code+"/cong-khai", url.Values{}); r.status != http.StatusSeeOther {
		t.Fatalf("publish: %d\n%s", r.status, r.body)
	}
	pub := e.browser().get("/phan-anh/da-tra-loi")
	if !strings.Contains(pub.body, `data-feedback="`+code+`"`) || !strings.Contains(pub.body, "Hồ sơ đã có kết quả") {
		t.Fatalf("the answered list misses the complaint:\n%s", pub.body)
	}
	for _, personal := range []string{"Nguyễn Văn An", "0912", "345 678", "an.nguyen@example.vn"} {
		if strings.Contains(pub.body, personal) {
			t.Errorf("the public list shows %q", personal)
		}
	}

	r = public.post("/phan-anh/tra-cuu/danh-gia", url.Values{"ma": {code}, "k": {secret}, "muc": {"4"}})
	if r.status != http.StatusOK || !strings.Contains(r.body, "Bạn đã đánh giá câu trả lời: <strong>Hài lòng</strong>") {
		t.Fatalf("the sender's rating: %d\n%s", r.status, r.body)
	}
	if r := public.post("/phan-anh/tra-cuu/danh-gia", url.Values{"ma": {code}, "k": {secret}, "muc": {"1"}}); r.status != http.StatusConflict {
		t.Errorf("a second rating of the answer: %d", r.status)
	}
	var f *motcua.Feedback
	e.db.Read(ctx, func(tx motcua.Tx) (err error) { f, err = tx.FeedbackByCode(ctx, code); return err })
	if f.State != motcua.FeedbackAnswered || f.Kind != motcua.KindConduct || f.AgencyID != anPhu.ID || f.AnswerLevel != 4 ||
		f.DossierCode != dossier || f.DossierID == 0 || strings.ContainsRune(f.Content, 0) || f.PublishedAt.IsZero() {
		t.Errorf("stored complaint %+v", f)
	}
	// Each view of the sender's data is in the access log.
	var entries []*motcua.AuditEntry
	e.db.Read(ctx, func(tx motcua.Tx) (err error) {
		entries, err = tx.AuditEntries(ctx, motcua.AuditFilter{UserID: cv.ID, Action: motcua.AuditViewPersonalData, Limit: 50})
		return err
	})
	logged := 0
	for _, a := range entries {
		if a.Detail == "feedback "+code {
			logged++
		}
	}
	if logged == 0 {
		t.Error("the officer's view of the sender is not in the access log")
	}
}

// TestComplaintSendingLimited: the public page takes five complaints an
// hour from one address, then refuses with a clear message.
func TestComplaintSendingLimited(t *testing.T) {
	e := newEnv(t)
	in := map[string]any{"name": "Trần Thị B", "contact": "b@example.vn", "content": "Niêm yết thủ tục chưa đầy đủ thành phần hồ sơ."}
	for i := 0; i < 5; i++ {
		if r := e.apiCall("POST", "/public-feedback", "", in, nil); r.status != http.StatusCreated {
			t.Fatalf("complaint %d: %d %s", i+1, r.status, r.body)
		}
	}
	if r := e.apiCall("POST", "/public-feedback", "", in, nil); r.status != http.StatusTooManyRequests || !strings.Contains(r.body, "too_many") {
		t.Errorf("the sixth complaint in an hour: %d %s", r.status, r.body)
	}
	long := map[string]any{"name": "Trần Thị B", "contact": "b@example.vn", "content": strings.Repeat("a", 4001)}
	e.set(testNow.Add(2 * time.Hour))
	if r := e.apiCall("POST", "/public-feedback", "", long, nil); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "content") {
		t.Errorf("a complaint of 4,001 characters: %d %s", r.status, r.body)
	}
}

// TestRateAsApplicant is the function the citizen's own page calls: only
// the applicant's own identity rates, once the result is returned.
func TestRateAsApplicant(t *testing.T) {
	e := newEnv(t)
	d := e.resultReadyAtAnPhu(1)[0]
	in := service.RatingInput{Level: 4, Attitude: 5, Trips: 0, OnTime: true}
	if _, err := e.svc.RateAsApplicant(ctx, d.Code, d.Applicant.IDNumber, in); motcua.ErrorReason(err) != "not_returned" {
		t.Errorf("before return: %v", err)
	}
	if _, err := e.svc.Act(e.as("motcua.anphu"), d.Code, service.ActInput{Action: motcua.ActReturn}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.RateAsApplicant(ctx, d.Code, "001099000000", in); motcua.ErrorCode(err) != motcua.ENOTFOUND {
		t.Errorf("someone else's dossier: %v", err)
	}
	r, err := e.svc.RateAsApplicant(ctx, d.Code, d.Applicant.IDNumber, in)
	if err != nil || r.Channel != motcua.RateCitizen || r.Level != 4 {
		t.Fatalf("the applicant's rating: %+v %v", r, err)
	}
	if _, err := e.svc.RateAsApplicant(ctx, d.Code, d.Applicant.IDNumber, in); motcua.ErrorReason(err) != "already_rated" {
		t.Errorf("twice: %v", err)
	}
}
