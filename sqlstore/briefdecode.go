package sqlstore

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/motcua/motcua"
)

// An inbox page decodes fifty dossiers, and decoding their two JSON
// documents (the facts and the status's extra) with encoding/json was a
// twelfth of the paced mixed workload's CPU (docs/deployment.md §17, "The
// filtered inbox and the 512-session tail"), for two things the inbox
// shows: the applicant's assisted flag and the clocks of inter-agency
// parts. A brief dossier decodes only those, and only from a document that
// holds their key: most documents hold neither.

// briefFacts is the part of the facts document a brief dossier holds
// (motcua.DossierFilter.Brief): the assisted flag, the applicant's kind
// and ID kind where they are not the usual ones (migration 0036), and the
// applicant's ID number and name where the document keeps them (written
// before migration 0030). json skips the rest without building it.
type briefFacts struct {
	Applicant struct {
		IDNumber string                `json:"id_number,omitempty"`
		FullName string                `json:"full_name,omitempty"`
		Kind     *motcua.ApplicantKind `json:"kind,omitempty"`
		IDKind   *motcua.IDKind        `json:"id_kind,omitempty"`
	} `json:"applicant"`
	Assisted bool `json:"assisted,omitempty"`
}

// decodeBriefFacts sets only d's applicant's ID number and name (the
// columns', unless the document holds its own, as decodeFacts reads them),
// kind and ID kind (the usual ones unless the document names others), and
// assisted flag.
func decodeBriefFacts(d *motcua.Dossier, facts, idNumber, name string) error {
	var f briefFacts
	if mayHoldKey(facts, "assisted", "id_number", "full_name", "kind", "id_kind") {
		if err := json.Unmarshal([]byte(facts), &f); err != nil {
			return fmt.Errorf("decode dossier %d: %w", d.ID, err)
		}
	}
	d.Applicant = storedApplicant{IDNumber: f.Applicant.IDNumber, FullName: f.Applicant.FullName,
		Kind: f.Applicant.Kind, IDKind: f.Applicant.IDKind}.read(idNumber, name)
	d.Assisted = f.Assisted
	return nil
}

// briefStatus is the part of the status's extra document a brief dossier
// holds: the inter-agency parts, whose clocks the inbox's alert weighs
// (motcua.WorstClock).
type briefStatus struct {
	Parts []motcua.PartStatus `json:"parts,omitempty"`
}

// decodeBriefStatus sets only s's parts from the status's extra document.
func decodeBriefStatus(id int64, status string, s *motcua.Status) error {
	if !mayHoldKey(status, "parts") {
		return nil
	}
	var b briefStatus
	if err := json.Unmarshal([]byte(status), &b); err != nil {
		return fmt.Errorf("decode dossier %d status: %w", id, err)
	}
	s.Parts = b.Parts
	return nil
}

// mayHoldKey reports whether the JSON document doc may hold an object key
// equal to one of keys (lower case) as encoding/json matches them, that
// is without regard to case: whether one of them, between quotes, occurs
// in it. It never misses one (a key is a quoted string), and rarely finds
// one that is not there (a string value equal to a key), which costs only
// the decoding it would have saved. An escaped key (\u0061ssisted) is not
// seen: encoding/json never writes one, and the documents are the
// program's own.
func mayHoldKey(doc string, keys ...string) bool {
	for i := strings.IndexByte(doc, '"'); i >= 0 && i+1 < len(doc); {
		rest := doc[i+1:]
		for _, k := range keys {
			if len(rest) > len(k) && rest[len(k)] == '"' && strings.EqualFold(rest[:len(k)], k) {
				return true
			}
		}
		j := strings.IndexByte(rest, '"')
		if j < 0 {
			return false
		}
		i += 1 + j
	}
	return false
}
