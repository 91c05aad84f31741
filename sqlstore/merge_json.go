package sqlstore

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// The JSON documents stored in rows (a procedure's data, a dossier's facts
// and status, an event's data, an outbox payload, a catalogue import's
// data) name agencies, users, dossiers, procedures and files by id. A
// merge rewrites those ids by the name of their key, wherever the key
// appears: every such key in motcua's documents means the same kind of id.
var jsonIDKeys = map[string]byte{
	"agency_id": 'a', "holder_agency_id": 'a', "competent_agency_id": 'a', "reception_agency_id": 'a',
	"part_agency_id": 'a', "actor_agency_id": 'a', "from_agency_id": 'a', "to_agency_id": 'a',
	"user_id": 'u', "assignee_id": 'u', "appraiser_id": 'u', "actor_id": 'u', "uploaded_by": 'u',
	"recorded_by": 'u', "started_by": 'u', "updated_by": 'u',
	"dossier_id": 'd', "procedure_id": 'p', "reception_point_id": 'r',
	"result_file_ref": 'f', "file_id": 'f',
}

// remapJSON rewrites the ids of doc (see jsonIDKeys); topID, when not 0,
// is the kind of the document's own top-level "id" ('p' for a procedure).
// It rewrites the values in place and leaves every other byte as it was
// (key order, spacing), so an unchanged document stays byte for byte the
// same; it scans the text once instead of decoding it, which is what
// makes a merge of millions of events affordable.
func (m *mergeMaps) remapJSON(doc string, topID byte) (string, error) {
	if doc == "" || (!strings.Contains(doc, `_id"`) && !strings.Contains(doc, `_by"`) &&
		!strings.Contains(doc, `_ref"`) && topID == 0) {
		return doc, nil
	}
	var b strings.Builder
	b.Grow(len(doc) + 16)
	depth := 0
	for i := 0; i < len(doc); {
		c := doc[i]
		switch c {
		case '{', '[':
			depth++
		case '}', ']':
			depth--
		case '"':
			j, err := stringEnd(doc, i)
			if err != nil {
				return "", err
			}
			b.WriteString(doc[i:j])
			k := j
			for k < len(doc) && isSpace(doc[k]) {
				k++
			}
			if k >= len(doc) || doc[k] != ':' {
				i = j
				continue
			}
			key := doc[i+1 : j-1]
			kind, ok := jsonIDKeys[key]
			if key == "id" && depth == 1 && topID != 0 {
				kind, ok = topID, true
			}
			if !ok {
				i = j
				continue
			}
			k++
			for k < len(doc) && isSpace(doc[k]) {
				k++
			}
			b.WriteString(doc[j:k])
			v, err := m.remapValue(doc, k, kind, &b)
			if err != nil {
				return "", fmt.Errorf("%s: %w", key, err)
			}
			i = v
			continue
		}
		b.WriteByte(c)
		i++
	}
	if depth != 0 {
		return "", errors.New("unbalanced JSON document")
	}
	return b.String(), nil
}

// remapValue writes the mapped value that starts at doc[k] (a number, or
// a string of digits naming an id in text) and returns where it ends; any
// other value is copied as it is.
func (m *mergeMaps) remapValue(doc string, k int, kind byte, b *strings.Builder) (int, error) {
	if k < len(doc) && doc[k] == '"' {
		j, err := stringEnd(doc, k)
		if err != nil {
			return 0, err
		}
		if id, err := strconv.ParseInt(doc[k+1:j-1], 10, 64); err == nil {
			b.WriteByte('"')
			b.WriteString(strconv.FormatInt(m.mapID(kind, id), 10))
			b.WriteByte('"')
		} else {
			b.WriteString(doc[k:j])
		}
		return j, nil
	}
	j := k
	for j < len(doc) && (doc[j] == '-' || doc[j] >= '0' && doc[j] <= '9') {
		j++
	}
	if j == k { // null, an object…: not an id, scanned as usual
		return k, nil
	}
	id, err := strconv.ParseInt(doc[k:j], 10, 64)
	if err != nil || (j < len(doc) && (doc[j] == '.' || doc[j] == 'e' || doc[j] == 'E')) {
		return 0, fmt.Errorf("not an integer id at %d", k)
	}
	b.WriteString(strconv.FormatInt(m.mapID(kind, id), 10))
	return j, nil
}

// stringEnd returns the index after the JSON string starting at doc[i].
func stringEnd(doc string, i int) (int, error) {
	for j := i + 1; j < len(doc); j++ {
		switch doc[j] {
		case '\\':
			j++
		case '"':
			return j + 1, nil
		}
	}
	return 0, errors.New("unterminated string in JSON document")
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }
