package motcua

import (
	"context"
	"time"
)

// SignatureInfo is what a verifier found of one signature in a PDF:
// only what the document itself shows.
type SignatureInfo struct {
	// Signer is the certificate holder's name; Organization the
	// organisation in the certificate.
	Signer       string `json:"signer"`
	Organization string `json:"organization,omitempty"`
	// Issuer is the name of the certificate's issuer (the CA).
	Issuer string `json:"issuer"`
	// SignedAt is the claimed signing time; zero when the signature
	// states none.
	SignedAt time.Time `json:"signed_at"`
	// Valid: the signed bytes are unchanged and the signature over them
	// is correct for the certificate, which was valid at SignedAt.
	Valid bool `json:"valid"`
	// Trusted: the certificate chains to a certification authority the
	// system trusts.
	Trusted bool `json:"trusted"`
	// WholeDocument: the signature covers the whole file as it is.
	WholeDocument bool `json:"whole_document"`
	// Timestamped: the signature carries an RFC 3161 timestamp.
	Timestamped bool `json:"timestamped"`
	// Problem says in Vietnamese why the signature is not valid or not
	// trusted; "" when it is both.
	Problem string `json:"problem,omitempty"`
}

// SignatureCheck is the verdict on a PDF's signatures.
type SignatureCheck struct {
	Signatures []SignatureInfo `json:"signatures"`
	// Valid: at least one signature, every signature valid, and the last
	// one covers the whole file.
	Valid bool `json:"valid"`
	// Changed: the file holds content added after its last valid
	// signature, or a signature whose signed bytes were altered.
	Changed bool `json:"changed"`
	// Summary is the verdict for people, in Vietnamese.
	Summary string `json:"summary"`
}

// Signatory names who signs: an officer with their personal certificate
// (Art.17(1)(c) NĐ 118), or an agency with its seal certificate
// (Art.19(2)).
type Signatory struct {
	// Username selects an officer's certificate; empty for an agency.
	Username string
	// AgencyCode selects the agency's certificate when Username is empty.
	AgencyCode string
}

// DocumentSigner makes and checks PDF signatures.
type DocumentSigner interface {
	// CanSign reports whether a certificate for who is configured.
	CanSign(who Signatory) bool
	// SignPDF returns doc signed by who at the given time, with reason
	// shown by readers. Errors: EFORBIDDEN when who has no certificate,
	// EINVALID for a bad PDF or a certificate that may not sign at that
	// time (expired, not yet valid, wrong usage, weak key).
	SignPDF(ctx context.Context, doc []byte, who Signatory, at time.Time, reason string) ([]byte, error)
	// VerifyPDF checks every signature in doc. Errors: EINVALID for a file
	// that is not a PDF, is encrypted or too large.
	VerifyPDF(ctx context.Context, doc []byte) (*SignatureCheck, error)
}

// ResultDocument is what the result of a dossier states when motcua makes
// it from its template (the electronic result, NĐ 118 Art.22): printed,
// then signed by the officer who issues it.
type ResultDocument struct {
	// DocCode is the result's document code (mã kết quả), printed on it
	// and by which anyone may verify it.
	DocCode     string
	DossierCode string
	// Superior and Agency head the document (the competent agency and the
	// body above it).
	Superior, Agency string
	Procedure        string
	Applicant        string
	// Content is what the applicant asked for, as received.
	Content  string
	IssuedAt time.Time
	// Signer is the name of the officer who signs; SignerTitle their
	// function ("Chủ tịch", "Công chức", …).
	Signer, SignerTitle string
	// VerifyURL is where anyone can check the signature; "" leaves it out.
	VerifyURL string
}

// ResultCode returns the document code of the result motcua makes for the
// dossier with code dossierCode.
func ResultCode(dossierCode string) string { return "KQ-" + dossierCode }

// AuditResultDownloaded records that a signed electronic result was
// downloaded from the public lookup (by whoever held the dossier's code
// and verifier; no user).
const AuditResultDownloaded = "result_downloaded"
