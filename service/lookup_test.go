package service_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// TestLookupGuessing probes the public lookup as the outside probe did:
// a stranger guessing one code's four digits is stopped by address and
// does not lock the citizen out (who types the digits from elsewhere, or
// opens the receipt's QR link from the same address); 60 concurrent
// guesses from one address get no more tries than the limit; guesses
// spread over many codes from one address stop at the same limit; the QR
// link's secret is long and random, and a wrong one finds nothing.
func TestLookupGuessing(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		f := newFixture(t, e, vn(2025, 3, 10, 9, 0), nil)
		var ds []*motcua.Dossier
		for i := range 3 {
			in, err := f.svc.ReceiveDossier(f.as("motcua.anphu"), "", f.newDossier(fmt.Sprintf("091234%04d", 5678+i)))
			if err != nil {
				t.Fatal(err)
			}
			ds = append(ds, in.Dossier)
		}
		code, secret := ds[0].Code, ds[0].LookupSecret
		if len(secret) != motcua.LookupSecretLen || secret == ds[1].LookupSecret {
			t.Fatalf("lookup secrets %q %q", secret, ds[1].LookupSecret)
		}
		const stranger, citizen = "203.0.113.5", "198.51.100.20"

		// Sixty guesses at once from one address: at most the limit (20)
		// are tried, the rest refused before any check.
		var wg sync.WaitGroup
		var mu sync.Mutex
		tried, refused := 0, 0
		for i := range 60 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := f.svc.Lookup(ctx, code, fmt.Sprintf("%04d", 1000+i), stranger)
				mu.Lock()
				defer mu.Unlock()
				switch motcua.ErrorCode(err) {
				case motcua.ENOTFOUND:
					tried++
				case motcua.ETOOMANY:
					refused++
				default:
					t.Errorf("guess %d: %v", i, err)
				}
			}()
		}
		wg.Wait()
		if tried > 20 || tried+refused != 60 {
			t.Errorf("%d of 60 concurrent guesses were tried (limit 20), %d refused", tried, refused)
		}
		// The stranger is stopped for every code, the right digits too.
		_, err := f.svc.Lookup(ctx, ds[1].Code, "5679", stranger)
		wantCode(t, err, motcua.ETOOMANY, "too_many_lookup_failures")

		// The citizen is not locked out: from their own address with the
		// digits, and from the stranger's address with the QR link.
		if p, err := f.svc.Lookup(ctx, code, "5678", citizen); err != nil || p.Code != code {
			t.Errorf("the citizen typing their digits: %v", err)
		}
		if p, err := f.svc.Lookup(ctx, code, secret, stranger); err != nil || p.Code != code {
			t.Errorf("the citizen's QR link from a blocked address: %v", err)
		}
		// A wrong secret, or another dossier's, finds nothing.
		for _, bad := range []string{strings.Repeat("A", motcua.LookupSecretLen), ds[1].LookupSecret} {
			_, err := f.svc.Lookup(ctx, code, bad, citizen)
			wantCode(t, err, motcua.ENOTFOUND, "dossier_not_found")
		}

		// Many codes, a few guesses each, from one IPv6 /64 whose
		// addresses all differ: the same limit.
		n := 0
		for i := range 40 {
			ip := fmt.Sprintf("2001:db8:1:2::%x", i+1)
			_, err := f.svc.Lookup(ctx, fmt.Sprintf("H99.101-250310-%04d", i%3+1), "0000", ip)
			if motcua.ErrorCode(err) == motcua.ENOTFOUND {
				n++
			}
		}
		if n != 20 {
			t.Errorf("%d guesses tried from one /64, want 20", n)
		}
		// Successes cost nothing: a citizen may look up as often as they like.
		for range 50 {
			if _, err := f.svc.Lookup(ctx, code, "5678", "198.51.100.21"); err != nil {
				t.Fatalf("repeated lookups by the citizen: %v", err)
			}
		}
	})
}
