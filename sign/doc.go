// Package sign makes and checks the digital signatures of motcua's
// documents: PAdES signatures on PDFs (ETSI EN 319 142-1, baseline B, and
// B-T with an RFC 3161 timestamp), added as an incremental update so that
// the signed bytes are the original file, with a CMS SignedData (RFC 5652)
// carrying the signing-certificate-v2 attribute. Keys come from PEM key
// files (Keyring over a folder) or from a PKCS#11 token (OpenToken). The
// certificate is checked before every signature (validity, key usage, key
// size as Thông tư 15/2025/TT-BKHCN asks); the verifier checks the byte
// range, the digest, the signature, the certificate at the signing time,
// the timestamp and the trust path to the configured authorities, and says
// whether the file changed after it was signed. It is an adapter: it
// implements motcua.DocumentSigner with the standard library's x509 and
// golang.org/x/crypto/cryptobyte for the ASN.1, and github.com/miekg/pkcs11
// for tokens (builds with cgo only). Every signature it makes is checked
// with poppler's pdfsig in the tests.
package sign
