package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/service"
)

// errAuditChain is returned (exit status 2) when verification finds a
// problem, so that a scheduled check alerts.
var errAuditChain = errors.New("audit chain verification failed")

// runAudit runs "motcua audit seal" (seal what is old enough now, as the
// job does) or "motcua audit verify" (walk the chain, report the first
// altered, deleted or inserted entry).
func runAudit(ctx context.Context, cfg Config, sub string, stdout io.Writer) error {
	if sub != "verify" && sub != "seal" {
		return fmt.Errorf("audit: say what to do: motcua audit verify | motcua audit seal (got %q)", sub)
	}
	db, err := openStore(ctx, cfg, true)
	if err != nil {
		return err
	}
	defer db.Close()
	// The audit chain needs no calendar, rules or password hasher.
	svc := service.New(db, nil, nil, service.Config{Rules: motcua.DefaultRules()})
	if sub == "seal" {
		n, err := svc.SealAudit(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%d entries sealed.\n", n)
		return nil
	}
	v, err := svc.VerifyAudit(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "sealed entries: %d, gaps: %d, not sealed yet: %d\nhead: id %d, hash %s\n",
		v.Sealed, v.Gaps, v.Unsealed, v.HeadID, v.HeadHash)
	if !v.OK() {
		fmt.Fprintf(stdout, "FAILED: entry %d %s\n", v.ProblemID, v.Problem)
		return fmt.Errorf("%w: entry %d %s", errAuditChain, v.ProblemID, v.Problem)
	}
	fmt.Fprintln(stdout, "OK: the chain is intact up to the head; compare the head hash with one kept outside the database.")
	return nil
}
