//go:build cgo

package sign

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"fmt"
	"io"
	"math/big"
	"sync"

	"github.com/miekg/pkcs11"

	"github.com/motcua/motcua"
)

// TokenConfig names a private key on a PKCS#11 token (a USB token, an HSM,
// or SoftHSM2 in the tests).
type TokenConfig struct {
	Module     string // path of the PKCS#11 library, e.g. /usr/lib/softhsm/libsofthsm2.so
	TokenLabel string
	PIN        string
	KeyLabel   string // CKA_LABEL of the private key
}

// tokenKey is a crypto.Signer whose private key stays on the token. One
// session serves it, so signatures are made one at a time.
type tokenKey struct {
	mu      sync.Mutex
	ctx     *pkcs11.Ctx
	session pkcs11.SessionHandle
	key     pkcs11.ObjectHandle
	pub     crypto.PublicKey
}

// digestInfoSHA256 is the DER DigestInfo prefix of a SHA-256 digest
// (RFC 8017 §9.2 note 1), which CKM_RSA_PKCS expects before the digest.
var digestInfoSHA256 = []byte{0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20}

func (k *tokenKey) Public() crypto.PublicKey { return k.pub }

// Sign signs a SHA-256 digest on the token: PKCS#1 v1.5 for RSA, ECDSA
// (its r‖s answer written as the ASN.1 signature X.509 uses).
func (k *tokenKey) Sign(_ io.Reader, digest []byte, opts crypto.SignerOpts) ([]byte, error) {
	if opts.HashFunc() != crypto.SHA256 || len(digest) != 32 {
		return nil, fmt.Errorf("token: only SHA-256 digests are signed")
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	switch k.pub.(type) {
	case *rsa.PublicKey:
		if err := k.ctx.SignInit(k.session, []*pkcs11.Mechanism{pkcs11.NewMechanism(pkcs11.CKM_RSA_PKCS, nil)}, k.key); err != nil {
			return nil, fmt.Errorf("token sign: %w", err)
		}
		return k.ctx.Sign(k.session, append(append([]byte{}, digestInfoSHA256...), digest...))
	case *ecdsa.PublicKey:
		if err := k.ctx.SignInit(k.session, []*pkcs11.Mechanism{pkcs11.NewMechanism(pkcs11.CKM_ECDSA, nil)}, k.key); err != nil {
			return nil, fmt.Errorf("token sign: %w", err)
		}
		rs, err := k.ctx.Sign(k.session, digest)
		if err != nil {
			return nil, fmt.Errorf("token sign: %w", err)
		}
		if len(rs)%2 != 0 {
			return nil, fmt.Errorf("token sign: odd ECDSA signature")
		}
		half := len(rs) / 2
		return asn1.Marshal(struct{ R, S *big.Int }{new(big.Int).SetBytes(rs[:half]), new(big.Int).SetBytes(rs[half:])})
	}
	return nil, fmt.Errorf("token: unsupported key %T", k.pub)
}

// Token is an open PKCS#11 session; Close logs out and unloads the module.
type Token struct {
	key *tokenKey
}

// Close ends the session.
func (t *Token) Close() error {
	k := t.key
	k.mu.Lock()
	defer k.mu.Unlock()
	k.ctx.Logout(k.session)
	k.ctx.CloseSession(k.session)
	k.ctx.Finalize()
	k.ctx.Destroy()
	return nil
}

// OpenToken logs in to the token and returns a Signer whose private key is
// the token's key c.KeyLabel and whose certificate chain is chain (the
// first certificate must hold the key's public half). Errors are EINVALID
// with Vietnamese messages: token_module, token_not_found, token_pin
// (wrong PIN), token_key, and key_cert_mismatch.
func OpenToken(c TokenConfig, chain []*x509.Certificate) (*Signer, *Token, error) {
	bad := func(reason, format string, args ...any) error {
		return motcua.Errorf(motcua.EINVALID, reason, format, args...)
	}
	if len(chain) == 0 {
		return nil, nil, bad("key_file", "Chưa có chứng thư số cho khóa trên thiết bị ký số.")
	}
	ctx := pkcs11.New(c.Module)
	if ctx == nil {
		return nil, nil, bad("token_module", "Không nạp được thư viện PKCS#11 %s của thiết bị ký số.", c.Module)
	}
	fail := func(err error) (*Signer, *Token, error) {
		ctx.Finalize()
		ctx.Destroy()
		return nil, nil, err
	}
	if err := ctx.Initialize(); err != nil {
		ctx.Destroy()
		return nil, nil, bad("token_module", "Không khởi tạo được thiết bị ký số (%v).", err)
	}
	slots, err := ctx.GetSlotList(true)
	if err != nil {
		return fail(bad("token_not_found", "Không đọc được danh sách thiết bị ký số (%v).", err))
	}
	slot, found := uint(0), false
	for _, s := range slots {
		if ti, err := ctx.GetTokenInfo(s); err == nil && trimLabel(ti.Label) == c.TokenLabel {
			slot, found = s, true
			break
		}
	}
	if !found {
		return fail(bad("token_not_found", "Không tìm thấy thiết bị ký số có nhãn %q.", c.TokenLabel))
	}
	session, err := ctx.OpenSession(slot, pkcs11.CKF_SERIAL_SESSION)
	if err != nil {
		return fail(bad("token_not_found", "Không mở được phiên làm việc với thiết bị ký số (%v).", err))
	}
	if err := ctx.Login(session, pkcs11.CKU_USER, c.PIN); err != nil {
		ctx.CloseSession(session)
		var pe pkcs11.Error
		if errors.As(err, &pe) && (pe == pkcs11.CKR_PIN_INCORRECT || pe == pkcs11.CKR_PIN_LEN_RANGE) {
			return fail(bad("token_pin", "Mã PIN của thiết bị ký số không đúng."))
		}
		if errors.As(err, &pe) && pe == pkcs11.CKR_PIN_LOCKED {
			return fail(bad("token_pin", "Thiết bị ký số đã bị khóa do nhập sai mã PIN nhiều lần."))
		}
		return fail(bad("token_pin", "Không đăng nhập được thiết bị ký số (%v).", err))
	}
	closeAll := func(err error) (*Signer, *Token, error) {
		ctx.Logout(session)
		ctx.CloseSession(session)
		return fail(err)
	}
	if err := ctx.FindObjectsInit(session, []*pkcs11.Attribute{
		pkcs11.NewAttribute(pkcs11.CKA_CLASS, pkcs11.CKO_PRIVATE_KEY),
		pkcs11.NewAttribute(pkcs11.CKA_LABEL, c.KeyLabel),
	}); err != nil {
		return closeAll(bad("token_key", "Không tìm được khóa trên thiết bị ký số (%v).", err))
	}
	objs, _, err := ctx.FindObjects(session, 2)
	ctx.FindObjectsFinal(session)
	if err != nil || len(objs) != 1 {
		return closeAll(bad("token_key", "Thiết bị ký số không có đúng một khóa bí mật có nhãn %q.", c.KeyLabel))
	}
	k := &tokenKey{ctx: ctx, session: session, key: objs[0], pub: chain[0].PublicKey}
	s, err := NewSigner(k, chain[0], chain[1:])
	if err != nil {
		return closeAll(err)
	}
	// The certificate must name the token's key: a test signature proves it.
	if err := proveKey(s); err != nil {
		return closeAll(bad("key_cert_mismatch", "Khóa %q trên thiết bị ký số không khớp với chứng thư số của %s.", c.KeyLabel, chain[0].Subject.CommonName))
	}
	return s, &Token{key: k}, nil
}

func trimLabel(s string) string {
	for len(s) > 0 && (s[len(s)-1] == ' ' || s[len(s)-1] == 0) {
		s = s[:len(s)-1]
	}
	return s
}
