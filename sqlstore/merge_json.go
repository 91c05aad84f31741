package sqlstore

import (
	"bytes"
	"encoding/json"
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
// A document without any id key is returned unchanged, byte for byte.
// Key order is not kept (it carries no meaning to any reader).
func (m *mergeMaps) remapJSON(doc string, topID byte) (string, error) {
	if doc == "" || (!strings.Contains(doc, `_id"`) && !strings.Contains(doc, `_by"`) &&
		!strings.Contains(doc, `_ref"`) && topID == 0) {
		return doc, nil
	}
	dec := json.NewDecoder(strings.NewReader(doc))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return "", err
	}
	if obj, ok := v.(map[string]any); ok && topID != 0 {
		if n, ok := obj["id"].(json.Number); ok {
			id, err := n.Int64()
			if err != nil {
				return "", err
			}
			obj["id"] = json.Number(strconv.FormatInt(m.mapID(topID, id), 10))
		}
	}
	if err := m.walkJSON(v); err != nil {
		return "", err
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	if err := enc.Encode(v); err != nil {
		return "", err
	}
	return strings.TrimSuffix(buf.String(), "\n"), nil
}

func (m *mergeMaps) walkJSON(v any) error {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			kind, ok := jsonIDKeys[k]
			if !ok {
				if err := m.walkJSON(e); err != nil {
					return err
				}
				continue
			}
			switch n := e.(type) {
			case json.Number:
				id, err := n.Int64()
				if err != nil {
					return err
				}
				x[k] = json.Number(strconv.FormatInt(m.mapID(kind, id), 10))
			case string: // a file named by its id in text
				if id, err := strconv.ParseInt(n, 10, 64); err == nil {
					x[k] = strconv.FormatInt(m.mapID(kind, id), 10)
				}
			}
		}
	case []any:
		for _, e := range x {
			if err := m.walkJSON(e); err != nil {
				return err
			}
		}
	}
	return nil
}
