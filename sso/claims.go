package sso

import (
	"encoding/json"
	"strings"
	"unicode/utf8"

	"github.com/motcua/motcua"
)

// Claims are the national single sign-on's claims in the ID token, with
// the names of the DVCQG userinfo (docs/integrations.md §3: LoaiTaiKhoan,
// SoDinhDanh, HoVaTen, …) [C]; that the ID token itself carries them, and
// acr "LoA1"/"LoA2" for the VNeID level, is motcua's reading [own]. This
// file is the only place these names live.
type Claims struct {
	LoaiTaiKhoan string `json:"LoaiTaiKhoan"` // 1 citizen, 2 business
	SoDinhDanh   string `json:"SoDinhDanh"`
	HoVaTen      string `json:"HoVaTen"`
	ACR          string `json:"acr"`
}

// maxClaimText bounds every text claim, in bytes.
const maxClaimText = 200

// identityOf maps verified claims to a citizen identity, refusing what
// motcua cannot use: an account that is not a citizen's, an ID number
// that fails the check, a missing or oversize name, an unknown level.
func identityOf(raw []byte, subject string) (*motcua.CitizenIdentity, error) {
	var c Claims
	if len(raw) > 16<<10 {
		return nil, invalid("claims_oversize", "the ID token's claims are too large")
	}
	if err := json.Unmarshal(raw, &c); err != nil {
		return nil, invalid("claims_malformed", "the ID token's claims are not valid JSON")
	}
	if c.LoaiTaiKhoan != "1" {
		return nil, motcua.Errorf(motcua.EINVALID, "sso_not_citizen",
			"Tài khoản đăng nhập không phải tài khoản công dân; trang này dành cho công dân đăng nhập bằng tài khoản định danh điện tử.")
	}
	id := motcua.NormalizeIDNumber(c.SoDinhDanh)
	if err := motcua.ValidateIDNumber(motcua.IDPersonal, id); err != nil {
		return nil, invalid("claims_id_number", "the ID token's SoDinhDanh is not a valid personal ID number")
	}
	name := strings.Join(strings.Fields(c.HoVaTen), " ")
	if name == "" || len(name) > maxClaimText || !utf8.ValidString(name) || strings.ContainsFunc(name, func(r rune) bool { return r < ' ' || r == 0x7f }) {
		return nil, invalid("claims_name", "the ID token's HoVaTen is missing or malformed")
	}
	level := 0
	switch c.ACR {
	case "LoA1":
		level = 1
	case "LoA2":
		level = 2
	default:
		return nil, invalid("claims_acr", "the ID token's acr is not LoA1 or LoA2")
	}
	if len(subject) > maxClaimText {
		return nil, invalid("claims_subject", "the ID token's sub is oversize")
	}
	return &motcua.CitizenIdentity{IDNumber: id, FullName: name, Level: level, Subject: subject}, nil
}
