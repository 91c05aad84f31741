package api

import (
	"encoding/csv"
	"io"
	"strconv"
)

// utf8BOM starts every CSV export: without it Excel reads the file in the
// machine's legacy code page and garbles Vietnamese.
const utf8BOM = "\ufeff"

// newCSV starts a CSV export on w: the byte order mark, then records.
func newCSV(w io.Writer) csvWriter {
	io.WriteString(w, utf8BOM)
	return csvWriter{csv.NewWriter(w)}
}

// csvWriter writes CSV whose cells a spreadsheet never runs: exports are
// public, and agency names, reasons and codes are typed by people.
type csvWriter struct{ *csv.Writer }

// Write writes one record, each cell made safe (formulaSafe).
func (w csvWriter) Write(rec []string) error {
	out := make([]string, len(rec))
	for i, c := range rec {
		out[i] = formulaSafe(c)
	}
	return w.Writer.Write(out)
}

// formulaSafe returns cell so that a spreadsheet reads it as text: a cell
// that starts with "=", "+", "-", "@", a tab or a carriage return is read
// by Excel and LibreOffice as a formula (=HYPERLINK, =cmd|…), so it gets a
// leading apostrophe, as OWASP advises. Numbers, negative ones included,
// are left as they are.
func formulaSafe(cell string) string {
	if cell == "" {
		return cell
	}
	switch cell[0] {
	case '=', '+', '-', '@', '\t', '\r':
		if _, err := strconv.ParseFloat(cell, 64); err == nil && cell[0] != '=' && cell[0] != '@' {
			return cell
		}
		return "'" + cell
	}
	return cell
}
