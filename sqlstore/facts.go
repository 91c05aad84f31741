package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/motcua/motcua"
)

// A dossier's facts document (dossiers.facts) does not repeat what the row
// has in columns or what is always the same (bytes per dossier, issue 15,
// migration 0030): the applicant's ID number and name are the columns
// applicant_id_number and applicant_name, and a stored fee is only its
// name and amount: whether fees are paid is read from the payments table
// (motcua.MarkFeesPaid), so a paid flag in the stored facts — set by an
// older version, or by whoever built the dossier — is neither kept nor
// believed. Documents written before keep those keys and are read as
// before: a key present in the document wins over the column.

// Since migration 0036 the document also leaves out the values nearly every
// dossier has: a citizen applicant (kind), a personal ID (id_kind) and the
// result returned at the counter (return_method), 67 bytes of a dossier
// without them. Those keys were always written before (no omitempty), so a
// key that is absent can only mean the usual value; any other value, ""
// included, is written out.
const (
	usualApplicantKind = motcua.ApplicantCitizen
	usualIDKind        = motcua.IDPersonal
	usualReturnMethod  = "counter"
)

// storedApplicant is the applicant as the facts document holds it: the
// two fields below, when empty, are left out and read from the columns;
// kind and id_kind are left out when usual. They shadow the embedded ones
// of the same JSON name (encoding/json takes the less nested field).
type storedApplicant struct {
	motcua.Applicant
	IDNumber string                `json:"id_number,omitempty"`
	FullName string                `json:"full_name,omitempty"`
	Kind     *motcua.ApplicantKind `json:"kind,omitempty"`
	IDKind   *motcua.IDKind        `json:"id_kind,omitempty"`
}

// storeApplicant returns a as the document holds it, without its ID
// number and name (the columns') and without a usual kind or ID kind.
func storeApplicant(a motcua.Applicant) storedApplicant {
	a.IDNumber, a.FullName = "", ""
	s := storedApplicant{Applicant: a}
	if a.Kind != usualApplicantKind {
		s.Kind = &a.Kind
	}
	if a.IDKind != usualIDKind {
		s.IDKind = &a.IDKind
	}
	return s
}

// read returns the applicant, its ID number and name from the columns
// unless the document holds them (written before migration 0030), its kind
// and ID kind the usual ones unless the document names others.
func (a storedApplicant) read(idNumber, name string) motcua.Applicant {
	out := a.Applicant
	out.IDNumber, out.FullName = a.IDNumber, a.FullName
	if out.IDNumber == "" {
		out.IDNumber = idNumber
	}
	if out.FullName == "" {
		out.FullName = name
	}
	out.Kind, out.IDKind = usualApplicantKind, usualIDKind
	if a.Kind != nil {
		out.Kind = *a.Kind
	}
	if a.IDKind != nil {
		out.IDKind = *a.IDKind
	}
	return out
}

// storeReturnMethod is m as the document holds it: nil (left out) when
// usual.
func storeReturnMethod(m string) *string {
	if m == usualReturnMethod {
		return nil
	}
	return &m
}

// readReturnMethod is the return method of a document: the usual one when
// it names none.
func readReturnMethod(m *string) string {
	if m == nil {
		return usualReturnMethod
	}
	return *m
}

// storedFee is a fee as the facts document holds it.
type storedFee struct {
	Name   string `json:"name"`
	Amount int64  `json:"amount"`
}

// encodeFacts returns d's facts document.
func encodeFacts(d *motcua.Dossier) (string, error) {
	f := dossierFacts{Applicant: storeApplicant(d.Applicant), Assisted: d.Assisted, Content: d.Content,
		ReturnMethod: storeReturnMethod(d.ReturnMethod), LookupSecret: d.LookupSecret}
	f.Packed, f.Components = packComponents(storeComponents(d.Components))
	if d.Fees != nil {
		f.Fees = make([]packedFee, len(d.Fees))
		for i, x := range d.Fees {
			f.Fees[i] = packedFee{Name: x.Name, Amount: x.Amount}
		}
	}
	b, err := json.Marshal(f)
	if err != nil {
		return "", fmt.Errorf("encode dossier: %w", err)
	}
	return string(b), nil
}

// decodeFacts sets d's facts from its document and its applicant columns.
func decodeFacts(d *motcua.Dossier, facts, idNumber, name string) error {
	var f dossierFacts
	if err := json.Unmarshal([]byte(facts), &f); err != nil {
		return fmt.Errorf("decode dossier %d: %w", d.ID, err)
	}
	d.Applicant = f.Applicant.read(idNumber, name)
	d.Assisted, d.Content, d.ReturnMethod = f.Assisted, f.Content, readReturnMethod(f.ReturnMethod)
	cs := f.Components
	if f.Packed != "" {
		if cs != nil {
			return fmt.Errorf("decode dossier %d: components both packed and not", d.ID)
		}
		var err error
		if cs, err = unpackComponents(f.Packed); err != nil {
			return fmt.Errorf("decode dossier %d: %w", d.ID, err)
		}
	}
	d.Components, d.LookupSecret = loadComponents(cs), f.LookupSecret
	d.Fees = nil
	if f.Fees != nil {
		d.Fees = make([]motcua.DossierFee, len(f.Fees))
		for i, x := range f.Fees {
			d.Fees[i] = motcua.DossierFee{Name: x.Name, Amount: x.Amount}
		}
	}
	return nil
}

// compactFacts rewrites the facts documents written before migrations 0030
// and 0036 in their form, 5,000 dossiers at a time; a document whose applicant's ID
// number or name differs from its column keeps it (decodeFacts prefers
// the document's), so every dossier reads back as before. only, when not
// "", is an SQL condition that picks the documents to read (those the
// migration's own SQL may have left).
func compactFacts(ctx context.Context, c *sql.Conn, dl dialect, only string) error {
	if only != "" {
		only = " AND (" + only + ")"
	}
	sel, upd := `SELECT id, applicant_id_number, applicant_name, facts FROM dossiers WHERE id > ?`+only+` ORDER BY id LIMIT 5000`,
		`UPDATE dossiers SET facts = ? WHERE id = ?`
	if dl == postgresDialect {
		sel, upd = rebind(sel), rebind(upd)
	}
	type change struct {
		id    int64
		facts string
	}
	var after int64
	for {
		rows, err := c.QueryContext(ctx, sel, after)
		if err != nil {
			return fmt.Errorf("read dossiers: %w", err)
		}
		var changes []change
		n := 0
		for rows.Next() {
			var d motcua.Dossier
			var idNumber, name, facts string
			if err := rows.Scan(&d.ID, &idNumber, &name, &facts); err != nil {
				rows.Close()
				return err
			}
			n, after = n+1, d.ID
			if err := decodeFacts(&d, facts, "", ""); err != nil {
				rows.Close()
				return err
			}
			keepID, keepName := d.Applicant.IDNumber, d.Applicant.FullName
			out, err := encodeFacts(&d)
			if err != nil {
				rows.Close()
				return err
			}
			if keepID != idNumber || keepName != name {
				// Rare (not written by this program): keep the document's
				// applicant whole.
				var f dossierFacts
				if err := json.Unmarshal([]byte(out), &f); err != nil {
					rows.Close()
					return err
				}
				f.Applicant.IDNumber, f.Applicant.FullName = keepID, keepName
				b, err := json.Marshal(f)
				if err != nil {
					rows.Close()
					return err
				}
				out = string(b)
			}
			if out != facts {
				changes = append(changes, change{d.ID, out})
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if dl == postgresDialect && len(changes) > 0 {
			// One statement for the chunk: a round trip per dossier made
			// the rewrite of 1.6 million documents take some ten minutes.
			ids, docs := make([]int64, len(changes)), make([]string, len(changes))
			for i, ch := range changes {
				ids[i], docs[i] = ch.id, ch.facts
			}
			if _, err := c.ExecContext(ctx, `UPDATE dossiers d SET facts = u.facts
				FROM unnest($1::bigint[], $2::text[]) AS u(id, facts) WHERE d.id = u.id`, ids, docs); err != nil {
				return fmt.Errorf("facts of dossiers %d–%d: %w", ids[0], ids[len(ids)-1], err)
			}
			changes = nil
		}
		for _, ch := range changes {
			if _, err := c.ExecContext(ctx, upd, ch.facts, ch.id); err != nil {
				return fmt.Errorf("facts of dossier %d: %w", ch.id, err)
			}
		}
		if n < 5000 {
			return nil
		}
	}
}
