package sign

import (
	"bytes"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"fmt"
	"hash"
	"math/big"
	"time"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// signedCMS is what a verifier needs from a CMS SignedData with one signer.
type signedCMS struct {
	contentType   asn1.ObjectIdentifier
	content       []byte // nil for a detached signature
	certs         []*x509.Certificate
	signer        *x509.Certificate
	digestAlg     asn1.ObjectIdentifier
	sigAlg        asn1.ObjectIdentifier
	signedAttrs   []byte // DER SET OF, as signed
	signature     []byte
	messageDigest []byte
	signingTime   time.Time // from the signing-time attribute, if any
	certHashV2    []byte    // from signing-certificate-v2, if any (SHA-256)
	timestamp     []byte    // DER token of the RFC 3161 signature timestamp, if any
}

var errCMS = errors.New("malformed cms")

// parseCMS reads a DER ContentInfo holding a detached SignedData; trailing
// bytes (the zeros padding /Contents) are ignored.
func parseCMS(der []byte) (*signedCMS, error) {
	in := cryptobyte.String(der)
	var ci, sd, content cryptobyte.String
	var oid asn1.ObjectIdentifier
	if !in.ReadASN1(&ci, cbasn1.SEQUENCE) || !ci.ReadASN1ObjectIdentifier(&oid) || !oid.Equal(oidSignedData) ||
		!ci.ReadASN1(&content, cbasn1.Tag(0).ContextSpecific().Constructed()) || !content.ReadASN1(&sd, cbasn1.SEQUENCE) {
		return nil, fmt.Errorf("%w: content info", errCMS)
	}
	var version int64
	var digestAlgs, encap, signerInfos cryptobyte.String
	if !sd.ReadASN1Integer(&version) || !sd.ReadASN1(&digestAlgs, cbasn1.SET) || !sd.ReadASN1(&encap, cbasn1.SEQUENCE) {
		return nil, fmt.Errorf("%w: signed data", errCMS)
	}
	var eContent cryptobyte.String
	var hasContent bool
	out := &signedCMS{}
	if !encap.ReadASN1ObjectIdentifier(&out.contentType) || !encap.ReadOptionalASN1(&eContent, &hasContent, cbasn1.Tag(0).ContextSpecific().Constructed()) {
		return nil, fmt.Errorf("%w: encapsulated content", errCMS)
	}
	if hasContent {
		var octets cryptobyte.String
		if !eContent.ReadASN1(&octets, cbasn1.OCTET_STRING) {
			return nil, fmt.Errorf("%w: content is not an octet string", errCMS)
		}
		out.content = []byte(octets)
		if out.content == nil {
			out.content = []byte{}
		}
	}
	var certs cryptobyte.String
	var has bool
	if !sd.ReadOptionalASN1(&certs, &has, cbasn1.Tag(0).ContextSpecific().Constructed()) {
		return nil, fmt.Errorf("%w: certificates", errCMS)
	}
	for !certs.Empty() {
		var c cryptobyte.String
		if !certs.ReadASN1Element(&c, cbasn1.SEQUENCE) {
			return nil, fmt.Errorf("%w: certificate", errCMS)
		}
		cert, err := x509.ParseCertificate(c)
		if err != nil {
			return nil, fmt.Errorf("%w: certificate: %v", errCMS, err)
		}
		out.certs = append(out.certs, cert)
	}
	var crls cryptobyte.String
	if !sd.ReadOptionalASN1(&crls, &has, cbasn1.Tag(1).ContextSpecific().Constructed()) || !sd.ReadASN1(&signerInfos, cbasn1.SET) {
		return nil, fmt.Errorf("%w: signer infos", errCMS)
	}
	var si cryptobyte.String
	if !signerInfos.ReadASN1(&si, cbasn1.SEQUENCE) || !signerInfos.Empty() {
		return nil, fmt.Errorf("%w: exactly one signer expected", errCMS)
	}
	if err := out.readSignerInfo(si); err != nil {
		return nil, err
	}
	return out, nil
}

// check verifies the signature over the signed attributes with the
// signer's certificate, that the message digest is sum, and that the
// signing-certificate-v2 attribute (when present) names that certificate.
// tampered tells a changed content or signature from an unusable one.
func (c *signedCMS) check(sum []byte) (problem string, tampered bool) {
	if !bytes.Equal(sum, c.messageDigest) {
		return "Nội dung tài liệu đã bị thay đổi sau khi ký.", true
	}
	alg, err := c.x509Algorithm()
	if err != nil {
		return "Chữ ký dùng thuật toán không được hỗ trợ.", false
	}
	if err := c.signer.CheckSignature(alg, c.signedAttrs, c.signature); err != nil {
		return "Chữ ký số không khớp với chứng thư số của người ký.", true
	}
	if c.certHashV2 != nil {
		if h := sha256.Sum256(c.signer.Raw); !bytes.Equal(h[:], c.certHashV2) {
			return "Chứng thư số đi kèm không phải chứng thư số đã ký.", true
		}
	}
	return "", false
}

// readSignerInfo reads the one SignerInfo and finds its certificate.
func (c *signedCMS) readSignerInfo(si cryptobyte.String) error {
	var version int64
	if !si.ReadASN1Integer(&version) {
		return fmt.Errorf("%w: signer version", errCMS)
	}
	var sid cryptobyte.String
	var tag cbasn1.Tag
	if !si.ReadAnyASN1(&sid, &tag) {
		return fmt.Errorf("%w: signer id", errCMS)
	}
	switch tag {
	case cbasn1.SEQUENCE: // IssuerAndSerialNumber
		var issuer cryptobyte.String
		serial := new(big.Int)
		if !sid.ReadASN1Element(&issuer, cbasn1.SEQUENCE) || !sid.ReadASN1Integer(serial) {
			return fmt.Errorf("%w: issuer and serial", errCMS)
		}
		for _, cert := range c.certs {
			if bytes.Equal(cert.RawIssuer, issuer) && cert.SerialNumber.Cmp(serial) == 0 {
				c.signer = cert
			}
		}
	case cbasn1.Tag(0).ContextSpecific(): // SubjectKeyIdentifier
		for _, cert := range c.certs {
			if len(cert.SubjectKeyId) > 0 && bytes.Equal(cert.SubjectKeyId, sid) {
				c.signer = cert
			}
		}
	default:
		return fmt.Errorf("%w: signer id tag", errCMS)
	}
	if c.signer == nil {
		return fmt.Errorf("%w: the signer's certificate is not in the signature", errCMS)
	}
	var alg, attrs, sigAlg cryptobyte.String
	var hasAttrs bool
	if !si.ReadASN1(&alg, cbasn1.SEQUENCE) || !alg.ReadASN1ObjectIdentifier(&c.digestAlg) ||
		!si.ReadOptionalASN1(&attrs, &hasAttrs, cbasn1.Tag(0).ContextSpecific().Constructed()) || !hasAttrs ||
		!si.ReadASN1(&sigAlg, cbasn1.SEQUENCE) || !sigAlg.ReadASN1ObjectIdentifier(&c.sigAlg) ||
		!si.ReadASN1Bytes(&c.signature, cbasn1.OCTET_STRING) {
		return fmt.Errorf("%w: signer info", errCMS)
	}
	var unsigned cryptobyte.String
	var hasUnsigned bool
	if si.ReadOptionalASN1(&unsigned, &hasUnsigned, cbasn1.Tag(1).ContextSpecific().Constructed()) && hasUnsigned {
		for !unsigned.Empty() {
			var a cryptobyte.String
			var oid asn1.ObjectIdentifier
			if !unsigned.ReadASN1(&a, cbasn1.SEQUENCE) || !a.ReadASN1ObjectIdentifier(&oid) {
				return fmt.Errorf("%w: unsigned attribute", errCMS)
			}
			if oid.Equal(oidSignatureTimeStamp) {
				var vals, token cryptobyte.String
				if !a.ReadASN1(&vals, cbasn1.SET) || !vals.ReadASN1Element(&token, cbasn1.SEQUENCE) {
					return fmt.Errorf("%w: signature timestamp", errCMS)
				}
				c.timestamp = []byte(token)
			}
		}
	}
	// The signature is over the attributes as a DER SET OF.
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SET, func(b *cryptobyte.Builder) { b.AddBytes(attrs) })
	var err error
	if c.signedAttrs, err = b.Bytes(); err != nil {
		return fmt.Errorf("%w: %v", errCMS, err)
	}
	for !attrs.Empty() {
		var a, vals cryptobyte.String
		var oid asn1.ObjectIdentifier
		if !attrs.ReadASN1(&a, cbasn1.SEQUENCE) || !a.ReadASN1ObjectIdentifier(&oid) || !a.ReadASN1(&vals, cbasn1.SET) {
			return fmt.Errorf("%w: signed attribute", errCMS)
		}
		switch {
		case oid.Equal(oidMessageDigest):
			if !vals.ReadASN1Bytes(&c.messageDigest, cbasn1.OCTET_STRING) {
				return fmt.Errorf("%w: message digest", errCMS)
			}
		case oid.Equal(oidSigningTime):
			var t time.Time
			if vals.PeekASN1Tag(cbasn1.UTCTime) && vals.ReadASN1UTCTime(&t) ||
				vals.PeekASN1Tag(cbasn1.GeneralizedTime) && vals.ReadASN1GeneralizedTime(&t) {
				c.signingTime = t
			}
		case oid.Equal(oidSigningCertV2):
			var scv2, certsSeq, id cryptobyte.String
			if !vals.ReadASN1(&scv2, cbasn1.SEQUENCE) || !scv2.ReadASN1(&certsSeq, cbasn1.SEQUENCE) || !certsSeq.ReadASN1(&id, cbasn1.SEQUENCE) {
				return fmt.Errorf("%w: signing certificate v2", errCMS)
			}
			if id.PeekASN1Tag(cbasn1.SEQUENCE) { // a hash algorithm other than the default
				var halg cryptobyte.String
				var hoid asn1.ObjectIdentifier
				if !id.ReadASN1(&halg, cbasn1.SEQUENCE) || !halg.ReadASN1ObjectIdentifier(&hoid) || !hoid.Equal(oidSHA256) {
					return fmt.Errorf("%w: signing certificate v2 hash is not SHA-256", errCMS)
				}
			}
			if !id.ReadASN1Bytes(&c.certHashV2, cbasn1.OCTET_STRING) {
				return fmt.Errorf("%w: signing certificate v2 hash", errCMS)
			}
		}
	}
	if c.messageDigest == nil {
		return fmt.Errorf("%w: no message digest", errCMS)
	}
	return nil
}

// newDigest returns the hash the CMS names for the document.
func (c *signedCMS) newDigest() (hash.Hash, error) {
	switch {
	case c.digestAlg.Equal(oidSHA256):
		return sha256.New(), nil
	case c.digestAlg.Equal(oidSHA384):
		return sha512.New384(), nil
	case c.digestAlg.Equal(oidSHA512):
		return sha512.New(), nil
	}
	return nil, fmt.Errorf("unsupported digest algorithm %v", c.digestAlg)
}

// x509Algorithm maps the signature and digest algorithms to Go's.
func (c *signedCMS) x509Algorithm() (x509.SignatureAlgorithm, error) {
	byDigest := func(a256, a384, a512 x509.SignatureAlgorithm) (x509.SignatureAlgorithm, error) {
		switch {
		case c.digestAlg.Equal(oidSHA256):
			return a256, nil
		case c.digestAlg.Equal(oidSHA384):
			return a384, nil
		case c.digestAlg.Equal(oidSHA512):
			return a512, nil
		}
		return 0, fmt.Errorf("unsupported digest algorithm %v", c.digestAlg)
	}
	switch {
	case c.sigAlg.Equal(oidSHA256WithRSA):
		return x509.SHA256WithRSA, nil
	case c.sigAlg.Equal(oidSHA384WithRSA):
		return x509.SHA384WithRSA, nil
	case c.sigAlg.Equal(oidSHA512WithRSA):
		return x509.SHA512WithRSA, nil
	case c.sigAlg.Equal(oidECDSAWithSHA256):
		return x509.ECDSAWithSHA256, nil
	case c.sigAlg.Equal(oidECDSAWithSHA384):
		return x509.ECDSAWithSHA384, nil
	case c.sigAlg.Equal(oidECDSAWithSHA512):
		return x509.ECDSAWithSHA512, nil
	case c.sigAlg.Equal(oidRSAEncryption):
		return byDigest(x509.SHA256WithRSA, x509.SHA384WithRSA, x509.SHA512WithRSA)
	case c.sigAlg.Equal(asn1.ObjectIdentifier{1, 2, 840, 10045, 2, 1}): // id-ecPublicKey, as some signers write
		return byDigest(x509.ECDSAWithSHA256, x509.ECDSAWithSHA384, x509.ECDSAWithSHA512)
	}
	return 0, fmt.Errorf("unsupported signature algorithm %v", c.sigAlg)
}
