package sqlstore

import (
	"github.com/motcua/motcua"
)

// byCode is the condition on a table's dossier_id that names the dossier
// by its code, so that every part of a record can be asked for before the
// dossier's id is known (the code is unique, its index makes it one
// lookup).
const byCode = `dossier_id = (SELECT id FROM dossiers WHERE code = ?)`

// DossierRecord implements motcua.DossierStore. Its statements, the
// dossier's and one per part chosen, go to the server as one batch
// (readSteps): on PostgreSQL one round trip where they were one each, with
// a read's BEGIN in the same one (or none, in a read without a snapshot).
func (t *tx) DossierRecord(_ ctxT, code string, parts motcua.RecordParts) (*motcua.DossierRecord, error) {
	r := &motcua.DossierRecord{}
	var found bool
	c := []any{code}
	steps := []readStep{{`SELECT ` + dossierColumns + ` FROM dossiers WHERE code = ?`, c, func(rows rowsScanner) (err error) {
		if found = rows.Next(); found {
			r.Dossier, err = scanDossier(rows)
		}
		return err
	}}}
	for _, p := range []struct {
		part motcua.RecordParts
		step readStep
	}{
		{motcua.RecordEvents, readStep{eventsByCode, c, func(rows rowsScanner) (err error) {
			r.Events, err = scanEvents(rows)
			return err
		}}},
		{motcua.RecordFiles, readStep{`SELECT ` + fileColumns + ` FROM dossier_files WHERE ` + byCode + ` ORDER BY id`, c, func(rows rowsScanner) (err error) {
			r.Files, err = scanFiles(rows)
			return err
		}}},
		{motcua.RecordPortalSync, readStep{`SELECT ` + portalSyncColumns + ` FROM portal_sync WHERE ` + byCode, c, func(rows rowsScanner) (err error) {
			if rows.Next() {
				r.PortalSync, err = scanPortalSync(rows)
			}
			return err
		}}},
		{motcua.RecordPayments, readStep{`SELECT ` + paymentColumns + ` FROM payments WHERE ` + byCode + ` ORDER BY id`, c, func(rows rowsScanner) (err error) {
			r.Payments, err = scanPayments(rows)
			return err
		}}},
		{motcua.RecordWarnings, readStep{`SELECT ` + warningColumns + ` FROM dossier_warnings WHERE ` + byCode + ` ORDER BY at, id`, c, func(rows rowsScanner) (err error) {
			r.Warnings, err = scanWarnings(rows)
			return err
		}}},
	} {
		if parts&p.part != 0 {
			steps = append(steps, p.step)
		}
	}
	if err := t.readSteps(steps); err != nil {
		return nil, err
	}
	if !found {
		return nil, motcua.Errorf(motcua.ENOTFOUND, "dossier_not_found", "Không tìm thấy hồ sơ có mã %s.", code)
	}
	return r, t.fillNames(r.Dossier)
}
