package kho

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/signedhttp"
)

// Config configures the adapter.
type Config struct {
	BaseURL     string
	Integration string // motcua's integration code with the store
	Secret      []byte
	Timeout     time.Duration    // per call (default 5 s)
	Now         func() time.Time // nil: time.Now; for the signatures
}

// Client is the adapter; safe for concurrent use.
type Client struct {
	cfg  Config
	http *http.Client
}

// NewClient returns the adapter.
func NewClient(cfg Config) *Client {
	if cfg.Timeout <= 0 {
		cfg.Timeout = 5 * time.Second
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	cfg.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	return &Client{cfg: cfg, http: &http.Client{Timeout: cfg.Timeout}}
}

func requestID() string {
	b := make([]byte, 12)
	rand.Read(b)
	return "MC-" + hex.EncodeToString(b)
}

// Documents implements motcua.NationalResultStore.
func (c *Client) Documents(ctx context.Context, q motcua.StoreQuery) ([]motcua.StoreDocument, error) {
	tv := TruyVan{MaYeuCau: requestID(), SoDinhDanhChuSoHuu: q.OwnerID, SoDinhDanhNguoiYeuCau: q.RequesterID,
		HoTenNguoiYeuCau: q.RequesterName, KenhThucHien: int(q.Channel), MaThuTuc: q.ProcedureCode}
	for _, w := range q.Wanted {
		tv.DanhSachDanhMucKetQua = append(tv.DanhSachDanhMucKetQua, DanhMucKetQua{MaKetQua: w})
	}
	data, err := c.call(ctx, ServiceQuery, tv)
	if err != nil {
		return nil, err
	}
	return ParseAnswer(tv, data)
}

// Push implements motcua.NationalResultStore: the store de-duplicates on
// MaHoSo. A refusal ("01") is permanent.
func (c *Client) Push(ctx context.Context, r *motcua.PersonalResult) error {
	k := KetQuaDongBo{MaYeuCau: requestID(), MaHoSo: r.DossierCode, MaThuTuc: r.ProcedureCode, SoDinhDanhChuSoHuu: r.IDNumber,
		MaKetQua: r.ResultCode, TenGiayTo: r.ResultName, SoKyHieu: r.Number, CoQuanChuQuan: r.AgencyName, MaCoQuan: r.AgencyCode,
		NgayCap: r.IssuedAt.In(motcua.VietnamTime).Format("2006-01-02")}
	data, err := c.call(ctx, ServicePush, k)
	if err != nil {
		return err
	}
	var a TraLoi
	if err := json.Unmarshal(data, &a); err != nil || a.MaYeuCau != k.MaYeuCau {
		return failf(ServicePush, "malformed answer")
	}
	switch a.MaLoi {
	case "00":
		return nil
	case "01":
		return &Error{Service: ServicePush, Detail: "refused: " + strings.ToValidUTF8(a.MoTaLoi, "?"), Permanent: true}
	}
	return failf(ServicePush, "error code %q", a.MaLoi)
}

// call signs and sends a request and returns the signed answer's body.
func (c *Client) call(ctx context.Context, service string, v any) ([]byte, error) {
	body, err := json.Marshal(v)
	if err != nil {
		return nil, failf(service, "encode: %v", err)
	}
	data, err := c.link().Post(ctx, service, body)
	if err != nil {
		return nil, failf(service, "%v", err)
	}
	return data, nil
}

// link is the signed transport of this client's calls.
func (c *Client) link() signedhttp.Link {
	return signedhttp.Link{HTTP: c.http, BaseURL: c.cfg.BaseURL, Integration: c.cfg.Integration, Secret: c.cfg.Secret,
		Headers:   signedhttp.Headers{Client: HeaderClient, Timestamp: HeaderTimestamp, Signature: HeaderSignature},
		MaxAnswer: MaxAnswer, Now: c.cfg.Now}
}
