package demo

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/service"
)

// ScanPage returns a PDF standing in for the scan of a paper document
// titled title (subject: whose and for what), different for every seed.
// The command wires pdf.WriteScan here; the demo package cannot import it.
type ScanPage func(title, subject string, seed uint64) ([]byte, error)

// Scanner digitizes the components of generated dossiers the way the
// counter does (service.AttachFile): a scan of each component, signed by
// the receiving officer's personal certificate at the moment of reception
// (NĐ 118 Art.17(1)(c)), verified, and stored as the component's file; the
// component is digitized because that signed file exists, never by a flag
// alone. Without a Scanner no generated component is digitized.
type Scanner struct {
	Signer motcua.DocumentSigner
	Blobs  motcua.BlobStore
	Page   ScanPage
	// Certify, when set, gives the officers it is passed a certificate
	// (the demo CA's), so that the generated communes' officers can sign.
	Certify func(officers []Officer) error
}

// Officer is a member of an agency's staff, as Certify receives them.
type Officer struct {
	User   *motcua.User
	Agency string // the agency's name
}

// scan makes, signs, verifies and stores the scan of component c received
// by officer u at time at, and returns its file record (its DossierID still
// to be set); nil, nil when u has no certificate, as at a real counter.
func (sc *Scanner) scan(ctx context.Context, u *motcua.User, at time.Time, c motcua.Component, subject string, seed uint64) (*motcua.DossierFile, error) {
	if !sc.Signer.CanSign(motcua.Signatory{Username: u.Username}) {
		return nil, nil
	}
	page, err := sc.Page(c.Name, subject, seed)
	if err != nil {
		return nil, fmt.Errorf("scan page: %w", err)
	}
	f, err := sc.signStore(ctx, u, at, page, service.ScanReason)
	if err != nil {
		return nil, fmt.Errorf("scan: %w", err)
	}
	f.ComponentID, f.Name = c.ID, "ban-quet-"+strconv.FormatInt(c.ID, 10)+".pdf"
	return f, nil
}

// signStore signs page as u at time at with reason, verifies the
// signature, stores the signed PDF and returns its file record (with no
// dossier, component or name yet). Verified here as the service verifies
// what it signs: a file is recorded signed only when its signature checks.
func (sc *Scanner) signStore(ctx context.Context, u *motcua.User, at time.Time, page []byte, reason string) (*motcua.DossierFile, error) {
	signed, err := sc.Signer.SignPDF(ctx, page, motcua.Signatory{Username: u.Username}, at, reason)
	if err != nil {
		return nil, fmt.Errorf("sign as %s: %w", u.Username, err)
	}
	check, err := sc.Signer.VerifyPDF(ctx, signed)
	if err != nil {
		return nil, fmt.Errorf("verify: %w", err)
	}
	if !check.Valid {
		return nil, fmt.Errorf("the PDF signed by %s does not verify: %s", u.Username, check.Summary)
	}
	sig := check.Signatures[len(check.Signatures)-1]
	sum := sha256.Sum256(signed)
	f := &motcua.DossierFile{ContentType: "application/pdf",
		Size: int64(len(signed)), SHA256: hex.EncodeToString(sum[:]), UploadedBy: u.ID, UploadedAt: at,
		Signer: sig.Signer, SignedAt: sig.SignedAt.UTC().Truncate(time.Millisecond)}
	// Content-addressed like the service's keys, under a folder of its own
	// since the dossier's id is not known until it is stored.
	f.BlobKey = "dossiers/generated/" + f.SHA256
	if err := sc.Blobs.Put(ctx, f.BlobKey, bytes.NewReader(signed)); err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	return f, nil
}

// signs reports whether the seeding service signs and keeps documents, and
// the demo can make scans.
func (s *seeder) signs() bool {
	return s.o.Scan != nil && s.o.Service.Signer != nil && s.o.Service.Blobs != nil && s.o.Service.RenderResult != nil
}

// scanComponents uploads, as the receiving officer at the counter, a scan of
// every component the applicant handed in; the service signs each with the
// officer's certificate and so makes the component digitized (the real
// path: service.AttachFile).
func (s *seeder) scanComponents(user string, d *motcua.Dossier, p *motcua.Procedure) error {
	if !s.signs() {
		return nil
	}
	for i, c := range d.Components {
		if !c.Provided {
			continue
		}
		page, err := s.o.Scan(c.Name, d.Applicant.FullName+" — "+p.Name, uint64(d.ID)<<8|uint64(i))
		if err != nil {
			return err
		}
		if _, err := s.svc.AttachFile(s.as(user), d.Code, c.ComponentID, "ban-quet.pdf", bytes.NewReader(page)); err != nil {
			return fmt.Errorf("scan of %q in %s by %s: %w", c.Name, d.Code, user, err)
		}
	}
	return nil
}
