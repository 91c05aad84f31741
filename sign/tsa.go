package sign

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"time"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"

	"github.com/motcua/motcua"
)

// RFC 3161 time-stamp protocol: what PAdES B-T adds to a signature (a
// token over the signature value from a time-stamping authority).

var (
	oidTSTInfo      = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 16, 1, 4}
	oidTSAPolicy    = asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 99999, 1} // the simulator's policy (a private arc)
	errTimestamp    = errors.New("timestamp")
	timestampMedia  = "application/timestamp-query"
	timestampAnswer = "application/timestamp-reply"
)

// MaxTimestampReply bounds what is read from a time-stamping authority.
const MaxTimestampReply = 64 << 10

// Timestamper obtains RFC 3161 timestamp tokens.
type Timestamper interface {
	// Timestamp returns the DER TimeStampToken (a CMS ContentInfo) over a
	// SHA-256 digest.
	Timestamp(ctx context.Context, digest []byte) ([]byte, error)
}

// stamper returns the unsigned-attribute maker of opt's timestamp, or nil.
func (s *Signer) stamper(opt Options) func(sig []byte) ([]byte, error) {
	if opt.TSA == nil {
		return nil
	}
	return func(sig []byte) ([]byte, error) {
		ctx := opt.Context
		if ctx == nil {
			ctx = context.Background()
		}
		sum := sha256.Sum256(sig)
		token, err := opt.TSA.Timestamp(ctx, sum[:])
		if err != nil {
			return nil, fmt.Errorf("%w (%v)", motcua.Errorf(motcua.EINTERNAL, "timestamp_failed",
				"Không lấy được dấu thời gian từ đơn vị cấp dấu thời gian nên chưa ký được. Vui lòng thử lại sau."), err)
		}
		return attribute(oidSignatureTimeStamp, func(b *cryptobyte.Builder) { b.AddBytes(token) })
	}
}

// timestampRequest is the DER TimeStampReq for a SHA-256 digest.
func timestampRequest(digest []byte, nonce *big.Int) ([]byte, error) {
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1Int64(1)
		addImprint(b, digest)
		b.AddASN1BigInt(nonce)
		b.AddASN1Boolean(true) // certReq: the TSA's certificate in the token
	})
	return b.Bytes()
}

func addImprint(b *cryptobyte.Builder, digest []byte) {
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		addAlgorithm(b, oidSHA256, false)
		b.AddASN1OctetString(digest)
	})
}

// TSAClient asks a time-stamping authority over HTTP (RFC 3161 §3.4).
type TSAClient struct {
	URL    string
	Client *http.Client // nil: a client with a 10 s time-out
}

// Timestamp implements Timestamper: it checks that the token answers the
// request (imprint, nonce) and is signed by its TSA certificate.
func (c *TSAClient) Timestamp(ctx context.Context, digest []byte) ([]byte, error) {
	nonce, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 63))
	if err != nil {
		return nil, err
	}
	req, err := timestampRequest(digest, nonce)
	if err != nil {
		return nil, err
	}
	hc := c.Client
	if hc == nil {
		hc = &http.Client{Timeout: 10 * time.Second}
	}
	hr, err := http.NewRequestWithContext(ctx, http.MethodPost, c.URL, bytes.NewReader(req))
	if err != nil {
		return nil, err
	}
	hr.Header.Set("Content-Type", timestampMedia)
	resp, err := hc.Do(hr)
	if err != nil {
		return nil, fmt.Errorf("time-stamping authority: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, MaxTimestampReply+1))
	if err != nil {
		return nil, fmt.Errorf("time-stamping authority: %w", err)
	}
	if resp.StatusCode != http.StatusOK || len(body) > MaxTimestampReply {
		return nil, fmt.Errorf("time-stamping authority: status %d, %d bytes", resp.StatusCode, len(body))
	}
	token, err := tokenOfReply(body)
	if err != nil {
		return nil, err
	}
	ts, err := checkTimestamp(token, nil)
	if err != nil {
		return nil, err
	}
	if !bytes.Equal(ts.imprint, digest) || ts.nonce == nil || ts.nonce.Cmp(nonce) != 0 {
		return nil, fmt.Errorf("%w: the token does not answer the request", errTimestamp)
	}
	return token, nil
}

// tokenOfReply reads a TimeStampResp and returns its token when granted.
func tokenOfReply(der []byte) ([]byte, error) {
	in := cryptobyte.String(der)
	var resp, status cryptobyte.String
	var code int64
	if !in.ReadASN1(&resp, cbasn1.SEQUENCE) || !resp.ReadASN1(&status, cbasn1.SEQUENCE) || !status.ReadASN1Integer(&code) {
		return nil, fmt.Errorf("%w: malformed reply", errTimestamp)
	}
	if code != 0 && code != 1 {
		return nil, fmt.Errorf("%w: refused (status %d)", errTimestamp, code)
	}
	var token cryptobyte.String
	if !resp.ReadASN1Element(&token, cbasn1.SEQUENCE) {
		return nil, fmt.Errorf("%w: no token", errTimestamp)
	}
	return []byte(token), nil
}

// timestampInfo is what a checked token states.
type timestampInfo struct {
	genTime time.Time
	imprint []byte
	nonce   *big.Int
	cms     *signedCMS
}

// trusted reports whether the token's TSA certificate chains to roots at
// the token's time.
func (t *timestampInfo) trusted(roots *x509.CertPool) bool {
	inter := x509.NewCertPool()
	for _, c := range t.cms.certs {
		inter.AddCert(c)
	}
	_, err := t.cms.signer.Verify(x509.VerifyOptions{Roots: roots, Intermediates: inter, CurrentTime: t.genTime,
		KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageTimeStamping}})
	return err == nil
}

// checkTimestamp verifies a DER TimeStampToken: a SignedData over a
// TSTInfo, signed by a certificate for time stamping that was valid at the
// stated time. When signature is not nil the token's imprint must be its
// SHA-256 digest (a PAdES signature timestamp).
func checkTimestamp(token, signature []byte) (*timestampInfo, error) {
	c, err := parseCMS(token)
	if err != nil {
		return nil, err
	}
	if !c.contentType.Equal(oidTSTInfo) || c.content == nil {
		return nil, fmt.Errorf("%w: not a TSTInfo", errTimestamp)
	}
	h, err := c.newDigest()
	if err != nil {
		return nil, err
	}
	h.Write(c.content)
	if problem, _ := c.check(h.Sum(nil)); problem != "" {
		return nil, fmt.Errorf("%w: %s", errTimestamp, problem)
	}
	if !timestampingCert(c.signer) {
		return nil, fmt.Errorf("%w: the signer is not a time-stamping authority", errTimestamp)
	}
	ts := &timestampInfo{cms: c}
	in := cryptobyte.String(c.content)
	var tst, imprint, alg cryptobyte.String
	var version int64
	var policy, hashOID asn1.ObjectIdentifier
	serial := new(big.Int)
	if !in.ReadASN1(&tst, cbasn1.SEQUENCE) || !tst.ReadASN1Integer(&version) || !tst.ReadASN1ObjectIdentifier(&policy) ||
		!tst.ReadASN1(&imprint, cbasn1.SEQUENCE) || !imprint.ReadASN1(&alg, cbasn1.SEQUENCE) || !alg.ReadASN1ObjectIdentifier(&hashOID) ||
		!imprint.ReadASN1Bytes(&ts.imprint, cbasn1.OCTET_STRING) || !tst.ReadASN1Integer(serial) || !tst.ReadASN1GeneralizedTime(&ts.genTime) {
		return nil, fmt.Errorf("%w: malformed TSTInfo", errTimestamp)
	}
	if !hashOID.Equal(oidSHA256) {
		return nil, fmt.Errorf("%w: imprint is not SHA-256", errTimestamp)
	}
	// Optional accuracy and ordering, then the nonce.
	if tst.PeekASN1Tag(cbasn1.SEQUENCE) {
		tst.SkipASN1(cbasn1.SEQUENCE)
	}
	if tst.PeekASN1Tag(cbasn1.BOOLEAN) {
		tst.SkipASN1(cbasn1.BOOLEAN)
	}
	if tst.PeekASN1Tag(cbasn1.INTEGER) {
		ts.nonce = new(big.Int)
		tst.ReadASN1Integer(ts.nonce)
	}
	if ts.genTime.Before(c.signer.NotBefore) || ts.genTime.After(c.signer.NotAfter) {
		return nil, fmt.Errorf("%w: the TSA certificate was not valid then", errTimestamp)
	}
	if signature != nil {
		if sum := sha256.Sum256(signature); !bytes.Equal(sum[:], ts.imprint) {
			return nil, fmt.Errorf("%w: the timestamp is over another signature", errTimestamp)
		}
	}
	return ts, nil
}

func timestampingCert(c *x509.Certificate) bool {
	for _, u := range c.ExtKeyUsage {
		if u == x509.ExtKeyUsageTimeStamping {
			return true
		}
	}
	return false
}

// IssueTimestamp answers a DER TimeStampReq as a time-stamping authority
// signing with tsa (whose certificate must be for time stamping): a
// granted TimeStampResp with a token stating now and serial, or a
// rejection (status 2) for a request it cannot read. It is what a TSA
// simulator serves; motcua itself only asks.
func IssueTimestamp(tsa *Signer, req []byte, serial *big.Int, now time.Time) []byte {
	in := cryptobyte.String(req)
	var r, imprint, alg cryptobyte.String
	var version int64
	var hashOID asn1.ObjectIdentifier
	var digest []byte
	nonce := new(big.Int)
	ok := in.ReadASN1(&r, cbasn1.SEQUENCE) && r.ReadASN1Integer(&version) && version == 1 &&
		r.ReadASN1(&imprint, cbasn1.SEQUENCE) && imprint.ReadASN1(&alg, cbasn1.SEQUENCE) && alg.ReadASN1ObjectIdentifier(&hashOID) &&
		hashOID.Equal(oidSHA256) && imprint.ReadASN1Bytes(&digest, cbasn1.OCTET_STRING) && len(digest) == sha256.Size
	if ok && r.PeekASN1Tag(cbasn1.OBJECT_IDENTIFIER) {
		ok = r.SkipASN1(cbasn1.OBJECT_IDENTIFIER)
	}
	hasNonce := ok && r.PeekASN1Tag(cbasn1.INTEGER) && r.ReadASN1Integer(nonce)
	reject := func() []byte {
		var b cryptobyte.Builder
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
			b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { b.AddASN1Int64(2) })
		})
		out, _ := b.Bytes()
		return out
	}
	if !ok {
		return reject()
	}
	var tb cryptobyte.Builder
	tb.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1Int64(1)
		addOID(b, oidTSAPolicy)
		addImprint(b, digest)
		b.AddASN1BigInt(serial)
		b.AddASN1GeneralizedTime(now.UTC().Truncate(time.Second))
		if hasNonce {
			b.AddASN1BigInt(nonce)
		}
	})
	tst, err := tb.Bytes()
	if err != nil {
		return reject()
	}
	sum := sha256.Sum256(tst)
	token, err := buildCMS(cmsParams{contentType: oidTSTInfo, content: tst, digest: sum[:], key: tsa.Key, cert: tsa.Cert, chain: tsa.Chain})
	if err != nil {
		return reject()
	}
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { b.AddASN1Int64(0) })
		b.AddBytes(token)
	})
	out, err := b.Bytes()
	if err != nil {
		return reject()
	}
	return out
}

// TimestampMediaTypes are the request and reply content types of RFC 3161
// over HTTP.
func TimestampMediaTypes() (query, reply string) { return timestampMedia, timestampAnswer }
