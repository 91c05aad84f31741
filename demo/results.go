package demo

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/service"
)

// pendingResult is an electronic result a generated history issued: the
// leader (or issuer) by signs it at time at, and its file is stored right
// after event afterSeq, before the issue_result that names it. It is made
// once the dossier has its code, which its document code carries
// (motcua.ResultCode), and codes are given in the order dossiers are
// stored.
type pendingResult struct {
	by       *motcua.User
	at       time.Time
	afterSeq int
	seed     uint64
}

// result makes, signs as r.by, verifies and stores the electronic result of
// dossier d (whose code is set), and returns its file record, named and
// coded as service.SignResult names and codes its results. The page is a
// stand-in for the result document (Scanner.Page: small, no font), with
// the document code in its title.
func (sc *Scanner) result(ctx context.Context, d *motcua.Dossier, r *pendingResult) (*motcua.DossierFile, error) {
	code := motcua.ResultCode(d.Code)
	page, err := sc.Page("Kết quả giải quyết thủ tục hành chính "+code, d.ProcedureName+" — "+d.Applicant.FullName, r.seed)
	if err != nil {
		return nil, fmt.Errorf("result page: %w", err)
	}
	f, err := sc.signStore(ctx, r.by, r.at, page, service.ResultReason)
	if err != nil {
		return nil, fmt.Errorf("result %s: %w", code, err)
	}
	f.ComponentID, f.Name, f.DocCode = motcua.ResultComponent, code+".pdf", code
	return f, nil
}

// signResults makes the pending electronic results of the dossiers ds
// (results[i] of ds[i], nil for none), a few at a time since storing waits
// on the disk, and adds each to its dossier's files. The first failure is
// returned; the batch must then not be stored, for its histories claim
// signed results.
func (g *generator) signResults(ds []*motcua.Dossier, results []*pendingResult, files [][]motcua.HistoryFile) error {
	sc := g.o.Scans
	made := make([]*motcua.DossierFile, len(ds))
	errs := make([]error, len(ds))
	sem := make(chan struct{}, 8)
	var wg sync.WaitGroup
	for i, r := range results {
		if r == nil {
			continue
		}
		if sc == nil {
			return fmt.Errorf("dossier %s: a signed result without a signer", ds[i].Code)
		}
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			made[i], errs[i] = sc.result(g.ctx, ds[i], r)
		}()
	}
	wg.Wait()
	for i, f := range made {
		if errs[i] != nil {
			return errs[i]
		}
		if f != nil {
			files[i] = append(files[i], motcua.HistoryFile{File: f, AfterSeq: results[i].afterSeq})
		}
	}
	return nil
}
