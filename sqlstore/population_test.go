package sqlstore_test

import (
	"bytes"
	"reflect"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// TestPopulationLookups stores lookups and reads them back whole (the
// answer, the token hash), lists them by ID number newest first, links one
// to a dossier once, and counts them by period.
func TestPopulationLookups(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		db := sqltest.Open(t, e)
		at := time.Date(2026, 3, 10, 2, 0, 0, 0, time.UTC)
		c := &motcua.Citizen{IDNumber: "001090001234", FullName: "Nguyễn Thị Lan", DateOfBirth: "1990-04-02", Gender: "Nữ",
			Permanent: motcua.RegisterAddress{ProvinceCode: "01", CommuneCode: "00004", Detail: "Số 5 ngõ 12", Text: "Số 5 ngõ 12, Phường Ba Đình, Thành phố Hà Nội"},
			Father:    &motcua.Relative{IDNumber: "001060001111", FullName: "Nguyễn Văn Hùng"}, EIDLevel: 2}
		found := &motcua.PopulationLookup{At: at, UserID: 7, AgencyID: 3, IDNumber: c.IDNumber, Purpose: "Tiếp nhận hồ sơ",
			Outcome: motcua.LookupFound, Citizen: c, TokenHash: []byte{1, 2, 3, 250}}
		down := &motcua.PopulationLookup{At: at.Add(time.Minute), UserID: 7, AgencyID: 3, IDNumber: c.IDNumber, Purpose: "Tiếp nhận hồ sơ",
			DossierCode: "H99.101-260310-0001", Outcome: motcua.LookupUnavailable}
		other := &motcua.PopulationLookup{At: at.Add(48 * time.Hour), UserID: 8, AgencyID: 3, IDNumber: "079200004321", Purpose: "x",
			Outcome: motcua.LookupNotFound}
		for _, l := range []*motcua.PopulationLookup{found, down, other} {
			mustWrite(t, db, func(tx motcua.Tx) error { return tx.SavePopulationLookup(ctx, l) })
			if l.ID == 0 {
				t.Fatal("no id set")
			}
		}
		var got *motcua.PopulationLookup
		mustWrite(t, db, func(tx motcua.Tx) (err error) { got, err = tx.PopulationLookup(ctx, found.ID); return err })
		if !reflect.DeepEqual(got.Citizen, c) || !bytes.Equal(got.TokenHash, found.TokenHash) || !got.At.Equal(at) || got.Outcome != motcua.LookupFound {
			t.Errorf("read back %+v", got)
		}
		var list []*motcua.PopulationLookup
		mustWrite(t, db, func(tx motcua.Tx) (err error) { list, err = tx.PopulationLookups(ctx, c.IDNumber, 0); return err })
		if len(list) != 2 || list[0].ID != down.ID || list[1].ID != found.ID || list[0].Citizen != nil || list[0].DossierCode != down.DossierCode {
			t.Errorf("lookups of %s: %+v", c.IDNumber, list)
		}
		mustWrite(t, db, func(tx motcua.Tx) error { return tx.LinkPopulationLookup(ctx, found.ID, 42) })
		mustWrite(t, db, func(tx motcua.Tx) error { return tx.LinkPopulationLookup(ctx, found.ID, 42) })
		err := db.Write(ctx, func(tx motcua.Tx) error { return tx.LinkPopulationLookup(ctx, found.ID, 43) })
		if motcua.ErrorCode(err) != motcua.ECONFLICT {
			t.Errorf("second dossier linked: %v", err)
		}
		var n motcua.LookupCounts
		mustWrite(t, db, func(tx motcua.Tx) (err error) {
			n, err = tx.PopulationLookupCounts(ctx, at, at.Add(24*time.Hour))
			return err
		})
		if n != (motcua.LookupCounts{Lookups: 2, Found: 1}) {
			t.Errorf("counts: %+v", n)
		}
		if e := db.Read(ctx, func(tx motcua.Tx) error { _, err := tx.PopulationLookup(ctx, 9999); return err }); motcua.ErrorCode(e) != motcua.ENOTFOUND {
			t.Errorf("missing lookup: %v", e)
		}
	})
}
