package main

import (
	"context"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/sqlstore"
)

// citizenRows gives the copy a citizen session and a result in the
// province's store that the national store accepted (the seed's issued
// results are there already, not yet pushed), so that both tables are
// copied and checked with every kind of value.
func citizenRows(t *testing.T, db *sqlstore.DB) {
	t.Helper()
	ctx := context.Background()
	at := time.Date(2026, 4, 30, 3, 0, 0, 0, time.UTC)
	if err := db.Write(ctx, func(tx motcua.Tx) error {
		if err := tx.CreateCitizenSession(ctx, &motcua.CitizenSession{TokenHash: []byte("citizen-token-hash-0123456789abc"),
			IDNumber: "089186001234", FullName: "Nguyễn Thị Thanh Hà", Level: 2, CreatedAt: at, ExpiresAt: at.Add(30 * time.Minute),
			IP: "192.0.2.7", UserAgent: "Điện thoại"}); err != nil {
			return err
		}
		ds, err := tx.DossiersOfApplicant(ctx, "089186001234", 1)
		if err != nil || len(ds) == 0 {
			return err
		}
		r := &motcua.PersonalResult{IDNumber: "089186001234", DossierID: ds[0].ID, DossierCode: ds[0].Code, ProcedureCode: ds[0].ProcedureCode,
			ProcedureName: ds[0].ProcedureName, ResultCode: "KQ.HT.KS", ResultName: "Giấy khai sinh", Number: "7/2026/TLKS",
			AgencyCode: "H99.101", AgencyName: "Ủy ban nhân dân xã An Phú", IssuedAt: at}
		if err := tx.SavePersonalResult(ctx, r); err != nil {
			return err
		}
		return tx.PersonalResultPushed(ctx, r.ID, at.Add(time.Minute))
	}); err != nil {
		t.Fatal(err)
	}
}
