package payment

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/motcua/motcua"
)

// Payee names the accounts fees are paid into, as the receipt states them.
type Payee struct {
	Account       string // TKThuHuong
	Bank          string // MaNHThuHuong
	Treasury      string // KhoBac
	BudgetAccount string // TaiKhoanThuNSNN
}

// Config configures a Client. The caller reads the secret (from a
// *_FILE variable, say); the client never logs it.
type Config struct {
	// URL is the platform's endpoint every message is POSTed to.
	URL string
	// Partner is motcua's partner code (MaDoiTac) and Secret the key of
	// the integrity codes.
	Partner string
	Secret  string
	// Channel (MaKenhThanhToan) and Device (MaThietBi); defaults "DVCQG"
	// and "WEB".
	Channel string
	Device  string
	Payee   Payee
	// Timeout bounds one exchange (default 15 s).
	Timeout time.Duration
	// HTTP is the client to use; nil means a new one with Timeout.
	HTTP *http.Client
	// Now is the clock for ThoiGianGD; nil means time.Now.
	Now func() time.Time
}

// Client talks to the payment platform. It implements
// motcua.PaymentGateway and is safe for concurrent use.
type Client struct {
	cfg  Config
	http *http.Client
}

var _ motcua.PaymentGateway = (*Client)(nil)

// maxAnswer bounds the platform's answers.
const maxAnswer = 64 << 10

// New checks cfg and returns a client: the URL must be http(s), the
// partner code and the secret non-empty.
func New(cfg Config) (*Client, error) {
	u, err := url.Parse(cfg.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("payment: endpoint %q is not an http(s) URL", cfg.URL)
	}
	if strings.TrimSpace(cfg.Partner) == "" || cfg.Secret == "" {
		return nil, errors.New("payment: the partner code and the secret key are required")
	}
	if cfg.Channel == "" {
		cfg.Channel = "DVCQG"
	}
	if cfg.Device == "" {
		cfg.Device = "WEB"
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 15 * time.Second
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	c := &Client{cfg: cfg, http: cfg.HTTP}
	if c.http == nil {
		c.http = &http.Client{Timeout: cfg.Timeout}
	}
	return c, nil
}

func unavailable(format string, args ...any) error {
	return motcua.Errorf(motcua.EINTERNAL, "payment_platform_unavailable",
		"Nền tảng thanh toán tạm thời không phản hồi; vui lòng thử lại sau. (%s)", fmt.Sprintf(format, args...))
}

func unverified() error {
	return motcua.Errorf(motcua.EINTERNAL, "payment_answer_unverified",
		"Phản hồi của nền tảng thanh toán không hợp lệ (sai mã xác thực) nên không được chấp nhận.")
}

func refused(code, text string) error {
	return motcua.Errorf(motcua.EINTERNAL, "payment_platform_refused",
		"Nền tảng thanh toán từ chối yêu cầu (mã lỗi %s: %s).", clip(code, 8), clip(text, 200))
}

// clip shortens what the platform wrote before it reaches a message.
func clip(s string, n int) string {
	s = strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f {
			return -1
		}
		return r
	}, s)
	if len(s) > n {
		s = s[:n]
	}
	return s
}

// exchange POSTs msg and decodes the answer into out, then checks its
// integrity code.
func (c *Client) exchange(ctx context.Context, msg any, out Message) error {
	body, err := json.Marshal(msg)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.cfg.URL, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return unavailable("%v", errors.Unwrap(err))
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer+1))
	if err != nil {
		return unavailable("đọc phản hồi: %v", err)
	}
	if resp.StatusCode != http.StatusOK {
		return unavailable("HTTP %d", resp.StatusCode)
	}
	if len(data) > maxAnswer {
		return unavailable("phản hồi quá lớn")
	}
	if err := json.Unmarshal(data, out); err != nil {
		return unavailable("phản hồi không đúng định dạng")
	}
	if !Verify(out, c.cfg.Secret) {
		return unverified()
	}
	return nil
}

// Init implements motcua.PaymentGateway (INIT).
func (c *Client) Init(ctx context.Context, req motcua.PaymentRequest) (*motcua.PaymentStarted, error) {
	if !validReference(req.Reference) || req.Amount <= 0 || req.Amount > maxAmount {
		return nil, motcua.Errorf(motcua.EINVALID, "payment_request_invalid", "Yêu cầu thanh toán không hợp lệ (mã tham chiếu hoặc số tiền).")
	}
	if req.At.IsZero() {
		req.At = c.cfg.Now()
	}
	m := initRequest(c.cfg, req)
	Sign(&m, c.cfg.Secret)
	var ans InitResponse
	if err := c.exchange(ctx, &m, &ans); err != nil {
		return nil, err
	}
	if ans.MaLoi != CodeOK {
		return nil, refused(ans.MaLoi, ans.MoTaLoi)
	}
	u, err := url.Parse(ans.UrlThanhToan)
	if ans.MaThamChieu != req.Reference || err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, unavailable("phản hồi INIT thiếu địa chỉ thanh toán hoặc sai mã tham chiếu")
	}
	return &motcua.PaymentStarted{RedirectURL: ans.UrlThanhToan, TransactionID: clip(ans.MaGiaoDich, 64)}, nil
}

func (c *Client) query(kind, reference string) QueryRequest {
	m := QueryRequest{LoaiBanTin: kind, PhienBan: Version, MaDoiTac: c.cfg.Partner, MaThamChieu: reference,
		ThoiGianGD: FormatTime(c.cfg.Now())}
	Sign(&m, c.cfg.Secret)
	return m
}

// Query implements motcua.PaymentGateway (QUERY).
func (c *Client) Query(ctx context.Context, reference string) (*motcua.PaymentStatus, error) {
	m := c.query(MsgQuery, reference)
	var ans QueryResponse
	if err := c.exchange(ctx, &m, &ans); err != nil {
		return nil, err
	}
	if ans.MaLoi != CodeOK {
		return nil, refused(ans.MaLoi, ans.MoTaLoi)
	}
	st, ok := StateOf(ans.TrangThaiGD)
	if !ok || ans.MaThamChieu != reference {
		return nil, unavailable("phản hồi QUERY không hợp lệ")
	}
	out := &motcua.PaymentStatus{Reference: reference, TransactionID: clip(ans.MaGiaoDich, 64), State: st}
	if n, ok := ParseAmount(ans.SoTien); ok {
		out.Amount = n
	}
	if st == motcua.PaymentPaid {
		at, ok := ParseTime(ans.ThoiGianThanhToan)
		if !ok || out.Amount == 0 {
			return nil, unavailable("phản hồi QUERY thiếu số tiền hoặc thời gian thanh toán")
		}
		out.PaidAt = at
	}
	return out, nil
}

// Bill implements motcua.PaymentGateway (GET_BILL).
func (c *Client) Bill(ctx context.Context, reference string) (*motcua.PaymentReceipt, error) {
	m := c.query(MsgBill, reference)
	var ans BillResponse
	if err := c.exchange(ctx, &m, &ans); err != nil {
		return nil, err
	}
	if ans.MaLoi != CodeOK {
		return nil, refused(ans.MaLoi, ans.MoTaLoi)
	}
	if ans.MaThamChieu != reference || ans.SoBienLai == "" {
		return nil, unavailable("phản hồi GET_BILL không hợp lệ")
	}
	return &motcua.PaymentReceipt{Reference: reference, Number: clip(ans.SoBienLai, 64), URL: clip(ans.UrlBienLai, 500)}, nil
}

// ParseCallback implements motcua.PaymentGateway: ParseCallback with the
// client's secret, and the partner code must be the client's.
func (c *Client) ParseCallback(body []byte) (*motcua.PaymentCallback, error) {
	cb, m, err := parseCallback(body, c.cfg.Secret)
	if err != nil {
		return nil, err
	}
	if m.MaDoiTac != c.cfg.Partner {
		return nil, motcua.Errorf(motcua.EFORBIDDEN, "payment_callback_partner", "Xác nhận thanh toán gửi cho đối tác khác.")
	}
	return cb, nil
}

// AnswerCallback implements motcua.PaymentGateway: a signed JSON answer,
// MaLoi "00" when err is nil.
func (c *Client) AnswerCallback(err error) (string, []byte) {
	a := CallbackAnswer{MaLoi: CodeOK, MoTaLoi: "Thành công"}
	if err != nil {
		a.MaLoi, a.MoTaLoi = "99", motcua.ErrorReason(err)
		if a.MoTaLoi == "" {
			a.MoTaLoi = "internal"
		}
	}
	Sign(&a, c.cfg.Secret)
	b, _ := json.Marshal(a)
	return "application/json", b
}
