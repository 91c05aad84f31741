package sso_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/sso"
	"github.com/motcua/motcua/sso/sim"
)

const (
	alice = "001085000123"
	bob   = "079190004567"
)

type rig struct {
	sim    *sim.Sim
	srv    *httptest.Server
	client *sso.Client
}

func newRig(t *testing.T) *rig {
	t.Helper()
	s, err := sim.New(sim.Config{ClientID: "motcua-h99", ClientSecret: "s3cret-s3cret-s3cret", RedirectURL: "http://motcua.test/cong-dan/dang-nhap/ve",
		Users: []sim.User{{IDNumber: alice, FullName: "Nguyễn Thị Lan", Level: 2}, {IDNumber: bob, FullName: "Trần Văn Nam", Level: 1}}})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	c := sso.New(sso.Config{Issuer: srv.URL, ClientID: "motcua-h99", ClientSecret: "s3cret-s3cret-s3cret",
		RedirectURL: "http://motcua.test/cong-dan/dang-nhap/ve"})
	return &rig{sim: s, srv: srv, client: c}
}

// signIn plays the browser: it opens the provider's page, posts the
// sign-in form and returns the callback's state and code.
func (r *rig) signIn(t *testing.T, authURL, id, password string) (state, code string) {
	t.Helper()
	resp, err := http.Get(authURL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("sign-in page: %d", resp.StatusCode)
	}
	u, _ := url.Parse(authURL)
	form := u.Query()
	form.Set("so_dinh_danh", id)
	form.Set("mat_khau", password)
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err = noFollow.PostForm(r.srv.URL+"/oauth2/authorize", form)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		return "", ""
	}
	loc, _ := url.Parse(resp.Header.Get("Location"))
	return loc.Query().Get("state"), loc.Query().Get("code")
}

func TestSignOn(t *testing.T) {
	ctx := context.Background()
	r := newRig(t)
	flow, authURL, err := r.client.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"code_challenge_method=S256", "acr_values=LoA1", "nonce=", "state="} {
		if !strings.Contains(authURL, want) {
			t.Errorf("authorization address lacks %s: %s", want, authURL)
		}
	}
	if st, _ := r.signIn(t, authURL, alice, "wrong"); st != "" {
		t.Fatal("a wrong password signed in")
	}
	state, code := r.signIn(t, authURL, alice, r.sim.Password())
	if code == "" || state != flow.State {
		t.Fatalf("callback state %q code %q", state, code)
	}
	id, err := r.client.Finish(ctx, flow, state, code)
	if err != nil {
		t.Fatal(err)
	}
	if id.IDNumber != alice || id.FullName != "Nguyễn Thị Lan" || id.Level != 1 {
		t.Errorf("identity %+v", id)
	}
	// The code is single use.
	if _, err := r.client.Finish(ctx, flow, state, code); motcua.ErrorReason(err) != "sso_code_refused" {
		t.Errorf("reused code: %v", err)
	}
}

func TestSignOnRefusals(t *testing.T) {
	ctx := context.Background()
	r := newRig(t)
	cases := []struct {
		name   string
		faults sim.Faults
		spoil  func(f *motcua.SignOnFlow, state *string)
		reason string
	}{
		{name: "wrong state", spoil: func(_ *motcua.SignOnFlow, st *string) { *st = "forged" }, reason: "sso_state_mismatch"},
		{name: "no cookie", spoil: func(f *motcua.SignOnFlow, _ *string) { *f = motcua.SignOnFlow{} }, reason: "sso_flow_missing"},
		{name: "wrong verifier", spoil: func(f *motcua.SignOnFlow, _ *string) { f.Verifier = strings.Repeat("x", 43) }, reason: "sso_code_refused"},
		{name: "wrong nonce", faults: sim.Faults{WrongNonce: true}, reason: "sso_nonce_mismatch"},
		{name: "another client", faults: sim.Faults{OtherClient: true}, reason: "sso_token_invalid"},
		{name: "expired", faults: sim.Faults{Expired: true}, reason: "sso_token_expired"},
		{name: "bad signature", faults: sim.Faults{BadSignature: true}, reason: "sso_token_invalid"},
		{name: "another issuer", faults: sim.Faults{OtherIssuer: true}, reason: "sso_token_invalid"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r.sim.SetFaults(sim.Faults{})
			flow, authURL, err := r.client.Begin(ctx)
			if err != nil {
				t.Fatal(err)
			}
			state, code := r.signIn(t, authURL, bob, r.sim.Password())
			r.sim.SetFaults(c.faults)
			if c.spoil != nil {
				c.spoil(&flow, &state)
			}
			id, err := r.client.Finish(ctx, flow, state, code)
			if id != nil || motcua.ErrorCode(err) != motcua.EINVALID || motcua.ErrorReason(err) != c.reason {
				t.Fatalf("got %+v, %v; want %s", id, err, c.reason)
			}
			if msg := motcua.ErrorMessage(err); !strings.Contains(msg, "đăng nhập") && !strings.Contains(msg, "Đăng nhập") {
				t.Errorf("message for people: %q", msg)
			}
		})
	}
}

func TestSignOnDown(t *testing.T) {
	r := newRig(t)
	r.sim.SetFaults(sim.Faults{Down: true})
	if _, _, err := r.client.Begin(context.Background()); motcua.ErrorCode(err) != motcua.EUNAVAILABLE {
		t.Fatalf("down provider: %v", err)
	}
	r.sim.SetFaults(sim.Faults{})
	flow, authURL, err := r.client.Begin(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	state, code := r.signIn(t, authURL, alice, r.sim.Password())
	r.sim.SetFaults(sim.Faults{Delay: 300 * time.Millisecond, Down: true})
	if _, err := r.client.Finish(context.Background(), flow, state, code); motcua.ErrorCode(err) != motcua.EUNAVAILABLE {
		t.Fatalf("down token endpoint: %v", err)
	}
}
