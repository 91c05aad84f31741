package sqlstore

import (
	"fmt"
	"slices"
	"sync"

	"github.com/motcua/motcua"
)

// pendingNumber is a dossier created in a PostgreSQL group commit that
// waits for its number (see CreateNumberedDossier).
type pendingNumber struct {
	key    string
	d      *motcua.Dossier
	render func(seq int) string
	// slot is where the dossier's INSERT waits in the pipeline, if it
	// does: its code is then set there instead of by an UPDATE.
	slot pgSlot
}

// flushNumbers draws the numbers of the dossiers created since the last
// flush and gives them their codes: the dossier INSERTs held back in a
// pipeline take their codes with them, the others (inserted under a
// provisional code) get them by one UPDATE.
//
// The numbers come first from those a failed batch of this instance gave
// back (pgSpare), then from one draw of a short transaction of its own
// (pgDrawApart, numbersdraw.go), which adds each key's count to its counter
// row and takes the rows in the order of their keys, so draws never
// deadlock on them and never wait for a batch's commit. Within a key the
// dossiers are numbered in the order their transactions ran. The numbers
// drawn are noted in t.drawn until the batch ends (giveBack).
func (t *tx) flushNumbers() error {
	if len(t.numbers) == 0 {
		return nil
	}
	defer func() {
		clear(t.numbers)
		t.numbers = t.numbers[:0]
	}()
	count := map[string]int64{}
	for _, p := range t.numbers {
		count[p.key]++
	}
	seqs := t.db.pgSpare.take(count)
	var keys []string
	var ns []int64
	for k, c := range count {
		if need := c - int64(len(seqs[k])); need > 0 {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		ns = append(ns, count[k]-int64(len(seqs[k])))
	}
	if len(keys) > 0 {
		last, err := t.db.pgDrawApart(keys, ns)
		if err != nil {
			t.db.pgSpare.give(seqs)
			return err
		}
		for i, k := range keys {
			for n := last[k] - ns[i] + 1; n <= last[k]; n++ {
				seqs[k] = append(seqs[k], n)
			}
		}
	}
	for k, s := range seqs {
		for _, n := range s {
			t.drawn = append(t.drawn, drawnNumber{k, n})
		}
	}
	ids := make([]int64, 0, len(t.numbers))
	codes := make([]string, 0, len(t.numbers))
	all := make([]string, len(t.numbers))
	for i, p := range t.numbers {
		s := seqs[p.key]
		if len(s) == 0 {
			return fmt.Errorf("draw dossier numbers: no number for %q", p.key)
		}
		seqs[p.key] = s[1:]
		all[i] = p.render(int(s[0]))
		if !t.setQueuedCode(p.slot, all[i]) {
			ids, codes = append(ids, p.d.ID), append(codes, all[i])
		}
	}
	// The held INSERTs, with their codes, are queued for the commit.
	t.releaseHeld()
	if len(ids) > 0 {
		// Every dossier must get its code (in a pipeline, checked before
		// the commit).
		err := t.execLater(int64(len(ids)), `UPDATE dossiers SET code = u.code FROM unnest(?::bigint[], ?::text[]) AS u(id, code)
		WHERE dossiers.id = u.id`, ids, codes)
		if err != nil {
			msg := "Mã hồ sơ đã tồn tại."
			if len(codes) == 1 {
				msg = "Mã hồ sơ " + codes[0] + " đã tồn tại."
			}
			return conflict(err, "dossier_code_exists", msg)
		}
	}
	for i, p := range t.numbers {
		p.d.Code = all[i]
	}
	return nil
}

// drawnNumber is a number a batch drew for key.
type drawnNumber struct {
	key string
	seq int64
}

// giveBack hands the numbers t drew to the next draws of this instance: it
// is called only when the batch's transaction certainly did not commit, so
// no stored dossier holds them.
func (t *tx) giveBack() {
	if len(t.drawn) == 0 {
		return
	}
	m := map[string][]int64{}
	for _, d := range t.drawn {
		m[d.key] = append(m[d.key], d.seq)
	}
	t.drawn = nil
	t.db.pgSpare.give(m)
}

// spareNumbers are numbers drawn by batches that did not commit, by key,
// for the next batches of the instance to use before drawing new ones: a
// failed commit then leaves no hole unless the process stops first.
type spareNumbers struct {
	mu sync.Mutex
	m  map[string][]int64
}

// take removes and returns up to count[k] spare numbers of each key k, the
// smallest first.
func (s *spareNumbers) take(count map[string]int64) map[string][]int64 {
	out := make(map[string][]int64, len(count))
	s.mu.Lock()
	defer s.mu.Unlock()
	for k, c := range count {
		have := s.m[k]
		if len(have) == 0 {
			continue
		}
		n := min(int64(len(have)), c)
		out[k] = append([]int64(nil), have[:n]...)
		if rest := have[n:]; len(rest) > 0 {
			s.m[k] = rest
		} else {
			delete(s.m, k)
		}
	}
	return out
}

// give adds numbers to the spares, keeping each key's list sorted. Keys of
// past days are never drawn again; the map is emptied when it grows large
// so that they do not pile up (their numbers stay holes).
func (s *spareNumbers) give(m map[string][]int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m == nil || len(s.m) >= 4096 {
		s.m = map[string][]int64{}
	}
	for k, ns := range m {
		if len(ns) == 0 {
			continue
		}
		all := append(s.m[k], ns...)
		slices.Sort(all)
		s.m[k] = all
	}
}
