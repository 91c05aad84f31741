package motcua

import (
	"context"
	"time"
)

// TextReader reads the text of a scan (OCR): what it returns is a proposal
// for people — to search scans by, and to propose a document's metadata
// that an officer confirms — never believed on its own.
type TextReader interface {
	// ReadText returns the text of doc, a PDF, JPEG or PNG (contentType).
	// Errors: EINVALID for another type or an oversized input.
	ReadText(ctx context.Context, doc []byte, contentType string) (string, error)
}

// DocumentMetadata is what NĐ 118 Art.19(2) asks to be recorded of a
// digitized earlier result or legally required document (the field set of
// a provincial system's digitized-document record, integrations.md §5):
// its type, number and symbol, date, issuer, signer, validity and summary.
// Read from a scan's text it is only proposed; it is recorded when an
// officer confirms it.
type DocumentMetadata struct {
	DocType      string    `json:"doc_type,omitempty"`      // loại giấy tờ (Quyết định, Giấy chứng nhận…)
	NumberSymbol string    `json:"number_symbol,omitempty"` // số, ký hiệu
	IssuedOn     time.Time `json:"issued_on,omitzero"`      // ngày ban hành (a date, Vietnam time)
	Issuer       string    `json:"issuer,omitempty"`        // cơ quan ban hành
	Signer       string    `json:"signer,omitempty"`        // người ký
	ValidUntil   time.Time `json:"valid_until,omitzero"`    // thời hạn hiệu lực; zero: not stated (or without limit)
	Summary      string    `json:"summary,omitempty"`       // trích yếu nội dung
}

// TopicScanText is the outbox topic of reading a stored scan's text (OCR),
// a job done after the upload, never in the request.
const TopicScanText = "file.ocr"
