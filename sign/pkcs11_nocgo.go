//go:build !cgo

package sign

import (
	"crypto/x509"

	"github.com/motcua/motcua"
)

// TokenConfig names a private key on a PKCS#11 token.
type TokenConfig struct {
	Module, TokenLabel, PIN, KeyLabel string
}

// Token is an open PKCS#11 session.
type Token struct{}

// Close does nothing in a build without cgo.
func (t *Token) Close() error { return nil }

// OpenToken needs a build with cgo (the PKCS#11 modules are C libraries).
func OpenToken(c TokenConfig, chain []*x509.Certificate) (*Signer, *Token, error) {
	return nil, nil, motcua.Errorf(motcua.EINVALID, "token_module",
		"Bản dựng này không hỗ trợ thiết bị ký số PKCS#11 (cần dựng với cgo).")
}
