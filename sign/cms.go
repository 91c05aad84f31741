package sign

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/asn1"
	"fmt"
	"slices"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// Object identifiers of the CMS (RFC 5652), ESS (RFC 5035) and the
// algorithms motcua signs with.
var (
	oidData               = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 1}
	oidSignedData         = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 2}
	oidContentType        = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 3}
	oidMessageDigest      = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 4}
	oidSigningTime        = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 5}
	oidSigningCertV2      = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 16, 2, 47}
	oidSHA256             = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 1}
	oidSHA384             = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 2}
	oidSHA512             = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 3}
	oidRSAEncryption      = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 1}
	oidSHA256WithRSA      = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 11}
	oidSHA384WithRSA      = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 12}
	oidSHA512WithRSA      = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 13}
	oidECDSAWithSHA256    = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 2}
	oidECDSAWithSHA384    = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 3}
	oidECDSAWithSHA512    = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 4}
	oidSignatureTimeStamp = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 16, 2, 14}
)

// addOID writes an OBJECT IDENTIFIER.
func addOID(b *cryptobyte.Builder, oid asn1.ObjectIdentifier) {
	b.AddASN1ObjectIdentifier(oid)
}

// addAlgorithm writes an AlgorithmIdentifier; withNull adds the NULL
// parameters RSA algorithms carry.
func addAlgorithm(b *cryptobyte.Builder, oid asn1.ObjectIdentifier, withNull bool) {
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		addOID(b, oid)
		if withNull {
			b.AddASN1NULL()
		}
	})
}

// attribute is one DER-encoded CMS Attribute.
func attribute(oid asn1.ObjectIdentifier, val func(b *cryptobyte.Builder)) ([]byte, error) {
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		addOID(b, oid)
		b.AddASN1(cbasn1.SET, val)
	})
	return b.Bytes()
}

// signedAttributes returns the DER SET OF the signed attributes of a
// signature over content of type contentType whose SHA-256 digest is
// digest, by cert: content type, message digest and the signing
// certificate v2 (which binds the certificate to the signature). A PAdES
// signature states its claimed signing time in the signature dictionary's
// /M, as PAdES requires (EN 319 142-1 §5.3: no signing-time attribute).
func signedAttributes(contentType asn1.ObjectIdentifier, digest []byte, cert *x509.Certificate) ([]byte, error) {
	certHash := sha256.Sum256(cert.Raw)
	attrs := make([][]byte, 0, 3)
	for _, a := range []struct {
		oid asn1.ObjectIdentifier
		val func(b *cryptobyte.Builder)
	}{
		{oidContentType, func(b *cryptobyte.Builder) { addOID(b, contentType) }},
		{oidMessageDigest, func(b *cryptobyte.Builder) { b.AddASN1OctetString(digest) }},
		{oidSigningCertV2, func(b *cryptobyte.Builder) {
			// SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF
			// ESSCertIDv2 }; ESSCertIDv2 with the default SHA-256 (so no
			// hashAlgorithm), the hash, and IssuerSerial.
			b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
				b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
					b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
						b.AddASN1OctetString(certHash[:])
						b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
							b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { // GeneralNames
								b.AddASN1(cbasn1.Tag(4).ContextSpecific().Constructed(), func(b *cryptobyte.Builder) {
									b.AddBytes(cert.RawIssuer)
								})
							})
							b.AddASN1BigInt(cert.SerialNumber)
						})
					})
				})
			})
		}},
	} {
		der, err := attribute(a.oid, a.val)
		if err != nil {
			return nil, fmt.Errorf("cms attribute %v: %w", a.oid, err)
		}
		attrs = append(attrs, der)
	}
	// DER orders the elements of a SET OF by their encodings.
	slices.SortFunc(attrs, bytes.Compare)
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SET, func(b *cryptobyte.Builder) {
		for _, a := range attrs {
			b.AddBytes(a)
		}
	})
	return b.Bytes()
}

// signatureAlgorithm is the CMS signature algorithm of key with SHA-256.
func signatureAlgorithm(pub crypto.PublicKey) (asn1.ObjectIdentifier, bool, error) {
	switch pub.(type) {
	case *rsa.PublicKey:
		return oidSHA256WithRSA, true, nil
	case *ecdsa.PublicKey:
		return oidECDSAWithSHA256, false, nil
	}
	return nil, false, fmt.Errorf("unsupported key type %T", pub)
}

// cmsParams describe one SignedData with one signer.
type cmsParams struct {
	// contentType and content: the content signed; content nil makes a
	// detached signature (PAdES), else it is carried (a timestamp token's
	// TSTInfo).
	contentType asn1.ObjectIdentifier
	content     []byte
	digest      []byte // SHA-256 of the content
	key         crypto.Signer
	cert        *x509.Certificate
	chain       []*x509.Certificate
	// stamp, when set, returns the unsigned attributes (DER Attributes,
	// concatenated) to add once the signature value is known: the
	// signature timestamp of PAdES B-T.
	stamp func(signature []byte) ([]byte, error)
}

// buildCMS returns a DER ContentInfo holding a CMS SignedData (RFC 5652)
// made from p.
func buildCMS(p cmsParams) ([]byte, error) {
	attrs, err := signedAttributes(p.contentType, p.digest, p.cert)
	if err != nil {
		return nil, err
	}
	h := sha256.Sum256(attrs)
	sig, err := p.key.Sign(rand.Reader, h[:], crypto.SHA256)
	if err != nil {
		return nil, fmt.Errorf("sign attributes: %w", err)
	}
	sigAlg, withNull, err := signatureAlgorithm(p.cert.PublicKey)
	if err != nil {
		return nil, err
	}
	var unsigned []byte
	if p.stamp != nil {
		if unsigned, err = p.stamp(sig); err != nil {
			return nil, err
		}
	}
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { // ContentInfo
		addOID(b, oidSignedData)
		b.AddASN1(cbasn1.Tag(0).ContextSpecific().Constructed(), func(b *cryptobyte.Builder) {
			b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { // SignedData
				version := int64(1)
				if !p.contentType.Equal(oidData) {
					version = 3 // RFC 5652 §5.1: eContentType other than id-data
				}
				b.AddASN1Int64(version)
				b.AddASN1(cbasn1.SET, func(b *cryptobyte.Builder) { addAlgorithm(b, oidSHA256, false) })
				b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { // EncapsulatedContentInfo
					addOID(b, p.contentType)
					if p.content != nil {
						b.AddASN1(cbasn1.Tag(0).ContextSpecific().Constructed(), func(b *cryptobyte.Builder) {
							b.AddASN1OctetString(p.content)
						})
					}
				})
				b.AddASN1(cbasn1.Tag(0).ContextSpecific().Constructed(), func(b *cryptobyte.Builder) {
					b.AddBytes(p.cert.Raw)
					for _, c := range p.chain {
						b.AddBytes(c.Raw)
					}
				})
				b.AddASN1(cbasn1.SET, func(b *cryptobyte.Builder) {
					b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { // SignerInfo
						b.AddASN1Int64(1)
						b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { // IssuerAndSerialNumber
							b.AddBytes(p.cert.RawIssuer)
							b.AddASN1BigInt(p.cert.SerialNumber)
						})
						addAlgorithm(b, oidSHA256, false)
						// signedAttrs [0] IMPLICIT: the SET's contents
						// under the context tag.
						var body cryptobyte.String
						in := cryptobyte.String(attrs)
						in.ReadASN1(&body, cbasn1.SET)
						b.AddASN1(cbasn1.Tag(0).ContextSpecific().Constructed(), func(b *cryptobyte.Builder) { b.AddBytes(body) })
						addAlgorithm(b, sigAlg, withNull)
						b.AddASN1OctetString(sig)
						if unsigned != nil {
							b.AddASN1(cbasn1.Tag(1).ContextSpecific().Constructed(), func(b *cryptobyte.Builder) { b.AddBytes(unsigned) })
						}
					})
				})
			})
		})
	})
	return b.Bytes()
}
