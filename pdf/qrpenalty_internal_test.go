package pdf

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestQRPenaltyFollowsTheRules scores random grids of every size from
// version 1 to 10, and the eight masked symbols of a lookup address, with
// qrPenalty and with rulePenalty, which applies §7.8.3 as the standard
// words it, module by module: the two must agree, or the encoder would
// choose other masks than the rules do.
func TestQRPenaltyFollowsTheRules(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	var grids [][]byte
	for v := 1; v <= 10; v++ {
		n := 17 + 4*v
		for range 20 {
			g := make([]byte, n*n)
			light := rng.IntN(100) // from nearly all dark to nearly all light
			for i := range g {
				if rng.IntN(100) >= light {
					g[i] = qrDark
				}
				if rng.IntN(8) == 0 {
					g[i] |= qrFunc // the flag must not count
				}
			}
			grids = append(grids, g)
		}
	}
	v, data := qrCodewords([]byte("https://motcua.example.vn/tra-cuu?ma=h99.101-250310-0001&k=q7rk2mwx9pzl4vnc8tby3a"))
	n := 17 + 4*v
	g := make([]byte, n*n)
	qrFunctionPatterns(g, n, v)
	qrPlace(g, n, data)
	for m := range 8 {
		w := slices.Clone(g)
		qrMask(w, n, m)
		qrFormat(w, n, m)
		grids = append(grids, w)
	}
	for i, g := range grids {
		n := 21
		for n*n < len(g) {
			n += 4
		}
		cols := make([]byte, n*n)
		if got, want := qrPenalty(g, cols, n), rulePenalty(g, n); got != want {
			t.Errorf("grid %d (%d×%d): qrPenalty %d, the rules %d", i, n, n, got, want)
		}
	}
}

// rulePenalty is §7.8.3 applied as written.
func rulePenalty(g []byte, n int) int {
	at := func(x, y int) int { return int(g[y*n+x] & qrDark) }
	score := 0
	line := func(get func(i int) int) {
		// N1: a run of k ≥ 5 modules of one colour scores 3 + (k − 5).
		for i := 0; i < n; {
			j := i
			for j < n && get(j) == get(i) {
				j++
			}
			if k := j - i; k >= 5 {
				score += 3 + k - 5
			}
			i = j
		}
		// N3: dark-light-dark-dark-dark-light-dark with four light
		// modules before or after it scores 40.
		finder, light := []int{1, 0, 1, 1, 1, 0, 1}, []int{0, 0, 0, 0}
		for i := 0; i+11 <= n; i++ {
			w := make([]int, 11)
			for k := range w {
				w[k] = get(i + k)
			}
			if slices.Equal(w[:4], light) && slices.Equal(w[4:], finder) {
				score += 40
			}
			if slices.Equal(w[:7], finder) && slices.Equal(w[7:], light) {
				score += 40
			}
		}
	}
	dark := 0
	for y := range n {
		line(func(i int) int { return at(i, y) })
		line(func(i int) int { return at(y, i) })
		for x := range n {
			dark += at(x, y)
		}
	}
	// N2: each 2×2 block of one colour scores 3.
	for y := 0; y+1 < n; y++ {
		for x := 0; x+1 < n; x++ {
			if at(x, y) == at(x+1, y) && at(x, y) == at(x, y+1) && at(x, y) == at(x+1, y+1) {
				score += 3
			}
		}
	}
	// N4: 10 for each step of 5 % by which the dark share is off 50 %:
	// k is the smallest with the share within 50 ± 5(k + 1) %.
	k := 0
	for abs(20*dark-10*n*n) > (k+1)*n*n {
		k++
	}
	return score + 10*k
}
