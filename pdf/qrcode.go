package pdf

// A QR code encoder (ISO/IEC 18004) for what the forms print: byte mode,
// error correction level M, versions 1–10 (up to 213 bytes; a lookup
// address is about 90). boombuler/barcode, which the forms used alone
// before, builds all eight masked symbols as images and scores them
// through an interface per module: ~2.5 ms of a receipt's ~4.5. This one
// works on a byte grid. Longer contents still go to boombuler.

// qrVersion is the block structure of one version at level M: the
// error correction codewords per block, and the data codewords of each
// block.
type qrVersion struct {
	ecc    int
	blocks []int
}

// qrVersionsM are versions 1–10 at level M (ISO/IEC 18004:2015 Table 9).
var qrVersionsM = [...]qrVersion{
	1:  {10, []int{16}},
	2:  {16, []int{28}},
	3:  {26, []int{44}},
	4:  {18, []int{32, 32}},
	5:  {24, []int{43, 43}},
	6:  {16, []int{27, 27, 27, 27}},
	7:  {18, []int{31, 31, 31, 31}},
	8:  {22, []int{38, 38, 39, 39}},
	9:  {22, []int{36, 36, 36, 37, 37}},
	10: {26, []int{43, 43, 43, 43, 44}},
}

// qrAlign are the centre coordinates of the alignment patterns (Annex E).
var qrAlign = [...][]int{
	2: {6, 18}, 3: {6, 22}, 4: {6, 26}, 5: {6, 30}, 6: {6, 34},
	7: {6, 22, 38}, 8: {6, 24, 42}, 9: {6, 26, 46}, 10: {6, 28, 50},
}

// Module values of the grid: light or dark, and whether the module is
// part of a function pattern (never masked, never data).
const (
	qrLight byte = 0
	qrDark  byte = 1
	qrFunc  byte = 2
)

// qrMatrix returns the modules of the QR code of content (true: dark),
// row by row, and false when content does not fit version 10.
func qrMatrix(content string) ([][]bool, bool) {
	v, data := qrCodewords([]byte(content))
	if v == 0 {
		return nil, false
	}
	n := 17 + 4*v
	g := make([]byte, n*n)
	qrFunctionPatterns(g, n, v)
	qrPlace(g, n, data)
	best, bestScore := -1, 0
	work, cols := make([]byte, n*n), make([]byte, n*n)
	for m := range 8 {
		copy(work, g)
		qrMask(work, n, m)
		qrFormat(work, n, m)
		if s := qrPenalty(work, cols, n); best < 0 || s < bestScore {
			best, bestScore = m, s
		}
	}
	qrMask(g, n, best)
	qrFormat(g, n, best)
	out := make([][]bool, n)
	for y := range n {
		out[y] = make([]bool, n)
		for x := range n {
			out[y][x] = g[y*n+x]&qrDark != 0
		}
	}
	return out, true
}

// qrCodewords chooses the smallest version that holds b in byte mode and
// returns it with the final codewords: data and error correction of every
// block, interleaved (§7.6). Version 0: too long.
func qrCodewords(b []byte) (int, []byte) {
	v := 0
	for i := 1; i < len(qrVersionsM); i++ {
		count := 8
		if i >= 10 {
			count = 16
		}
		capacity := 0
		for _, d := range qrVersionsM[i].blocks {
			capacity += d
		}
		if 4+count+8*len(b) <= 8*capacity {
			v = i
			break
		}
	}
	if v == 0 {
		return 0, nil
	}
	ver := qrVersionsM[v]
	capacity := 0
	for _, d := range ver.blocks {
		capacity += d
	}
	// The bit stream: mode 0100 (bytes), the count, the bytes, a
	// terminator of up to four zeros, zeros to a byte, then the pad
	// bytes 11101100 and 00010001 in turn.
	var bits []byte
	var acc, nacc int
	put := func(val, width int) {
		for i := width - 1; i >= 0; i-- {
			acc = acc<<1 | (val>>i)&1
			nacc++
			if nacc == 8 {
				bits = append(bits, byte(acc))
				acc, nacc = 0, 0
			}
		}
	}
	put(4, 4)
	if v >= 10 {
		put(len(b), 16)
	} else {
		put(len(b), 8)
	}
	for _, c := range b {
		put(int(c), 8)
	}
	put(0, min(4, 8*capacity-(len(bits)*8+nacc)))
	if nacc > 0 {
		put(0, 8-nacc)
	}
	for i := 0; len(bits) < capacity; i++ {
		bits = append(bits, [2]byte{0xec, 0x11}[i%2])
	}
	// Blocks, each with its error correction, then interleaved: the
	// i-th data codeword of every block in turn, then the i-th error
	// correction codeword of every block.
	gen := rsGenerator(ver.ecc)
	var blocks, eccs [][]byte
	at := 0
	for _, d := range ver.blocks {
		blk := bits[at : at+d]
		at += d
		blocks = append(blocks, blk)
		eccs = append(eccs, rsRemainder(blk, gen))
	}
	out := make([]byte, 0, capacity+ver.ecc*len(ver.blocks))
	for i := 0; i < ver.blocks[len(ver.blocks)-1]; i++ {
		for _, blk := range blocks {
			if i < len(blk) {
				out = append(out, blk[i])
			}
		}
	}
	for i := range ver.ecc {
		for _, e := range eccs {
			out = append(out, e[i])
		}
	}
	return v, out
}

// gfExp and gfLog are the powers of α and their logarithms in GF(256)
// with the QR code's polynomial x⁸+x⁴+x³+x²+1.
var gfExp, gfLog = func() (e [512]byte, l [256]byte) {
	x := 1
	for i := range 255 {
		e[i] = byte(x)
		l[x] = byte(i)
		x <<= 1
		if x&0x100 != 0 {
			x ^= 0x11d
		}
	}
	for i := 255; i < 512; i++ {
		e[i] = e[i-255]
	}
	return
}()

func gfMul(a, b byte) byte {
	if a == 0 || b == 0 {
		return 0
	}
	return gfExp[int(gfLog[a])+int(gfLog[b])]
}

// rsGenerator is the Reed–Solomon generator polynomial of degree n,
// (x−α⁰)(x−α¹)…(x−αⁿ⁻¹), its coefficients from the highest power down
// (the leading 1 left out).
func rsGenerator(n int) []byte {
	g := []byte{1}
	for i := range n {
		next := make([]byte, len(g)+1)
		for j, c := range g {
			next[j] ^= c
			next[j+1] ^= gfMul(c, gfExp[i])
		}
		g = next
	}
	return g[1:]
}

// rsRemainder is the error correction of data: the remainder of data·xⁿ
// divided by the generator.
func rsRemainder(data, gen []byte) []byte {
	r := make([]byte, len(gen))
	for _, d := range data {
		f := d ^ r[0]
		copy(r, r[1:])
		r[len(r)-1] = 0
		for i, c := range gen {
			r[i] ^= gfMul(c, f)
		}
	}
	return r
}

// qrFunctionPatterns draws the finder patterns and their separators, the
// timing patterns, the alignment patterns, the dark module and the
// version information, and reserves the format information's modules.
func qrFunctionPatterns(g []byte, n, v int) {
	set := func(x, y int, dark bool) {
		c := qrFunc
		if dark {
			c |= qrDark
		}
		g[y*n+x] = c
	}
	for i := range n {
		set(6, i, i%2 == 0)
		set(i, 6, i%2 == 0)
	}
	finder := func(cx, cy int) {
		for dy := -4; dy <= 4; dy++ {
			for dx := -4; dx <= 4; dx++ {
				x, y := cx+dx, cy+dy
				if x < 0 || y < 0 || x >= n || y >= n {
					continue
				}
				d := max(abs(dx), abs(dy))
				set(x, y, d != 2 && d != 4)
			}
		}
	}
	finder(3, 3)
	finder(n-4, 3)
	finder(3, n-4)
	al := qrAlign[v]
	for i, cy := range al {
		for j, cx := range al {
			if i == 0 && j == 0 || i == 0 && j == len(al)-1 || i == len(al)-1 && j == 0 {
				continue // where the finder patterns are
			}
			for dy := -2; dy <= 2; dy++ {
				for dx := -2; dx <= 2; dx++ {
					set(cx+dx, cy+dy, max(abs(dx), abs(dy)) != 1)
				}
			}
		}
	}
	qrFormat(g, n, 0) // reserves the modules; the mask's bits come later
	if v >= 7 {
		// 6 bits of version, 12 of BCH code (generator 0x1f25), in two
		// 6×3 blocks beside the top-right and bottom-left finders.
		r := v
		for range 12 {
			r = r<<1 ^ (r>>11)*0x1f25
		}
		bits := v<<12 | r
		for i := range 18 {
			dark := bits>>i&1 == 1
			a, b := n-11+i%3, i/3
			set(a, b, dark)
			set(b, a, dark)
		}
	}
}

// qrFormat writes the format information of level M and mask m (5 bits,
// 10 of BCH code with generator 0x537, XOR 0x5412) in its two copies, and
// the dark module.
func qrFormat(g []byte, n, m int) {
	data := 0<<3 | m // level M is 00
	r := data
	for range 10 {
		r = r<<1 ^ (r>>9)*0x537
	}
	bits := (data<<10 | r) ^ 0x5412
	set := func(x, y, i int) {
		g[y*n+x] = qrFunc | byte(bits>>i&1)
	}
	for i := 0; i <= 5; i++ {
		set(8, i, i)
	}
	set(8, 7, 6)
	set(8, 8, 7)
	set(7, 8, 8)
	for i := 9; i < 15; i++ {
		set(14-i, 8, i)
	}
	for i := range 8 {
		set(n-1-i, 8, i)
	}
	for i := 8; i < 15; i++ {
		set(8, n-15+i, i)
	}
	g[(n-8)*n+8] = qrFunc | qrDark
}

// qrPlace writes the codewords' bits, most significant first, into the
// modules no function pattern holds: two columns at a time from the
// right, upwards then downwards in turn, the vertical timing column
// skipped (§7.7.3). Modules left over (remainder bits) stay light.
func qrPlace(g []byte, n int, data []byte) {
	i := 0
	for right := n - 1; right >= 1; right -= 2 {
		if right == 6 {
			right = 5
		}
		for vert := range n {
			for j := range 2 {
				x := right - j
				up := (right+1)&2 == 0
				y := vert
				if up {
					y = n - 1 - vert
				}
				if g[y*n+x]&qrFunc != 0 {
					continue
				}
				if i < 8*len(data) {
					g[y*n+x] = data[i>>3] >> (7 - i&7) & 1
					i++
				}
			}
		}
	}
}

// qrMask inverts the data modules that mask m selects (§7.8.2).
func qrMask(g []byte, n, m int) {
	for y := range n {
		for x := range n {
			if g[y*n+x]&qrFunc != 0 {
				continue
			}
			var inv bool
			switch m {
			case 0:
				inv = (x+y)%2 == 0
			case 1:
				inv = y%2 == 0
			case 2:
				inv = x%3 == 0
			case 3:
				inv = (x+y)%3 == 0
			case 4:
				inv = (x/3+y/2)%2 == 0
			case 5:
				inv = x*y%2+x*y%3 == 0
			case 6:
				inv = (x*y%2+x*y%3)%2 == 0
			case 7:
				inv = ((x+y)%2+x*y%3)%2 == 0
			}
			if inv {
				g[y*n+x] ^= qrDark
			}
		}
	}
}

// qrPenalty scores a masked symbol by the four rules of §7.8.3: runs of
// five or more modules of one colour in a row or column, 2×2 blocks of
// one colour, the 1:1:3:1:1 finder-like pattern with four light modules
// on either side, and the imbalance of dark and light. The mask of the
// lowest score is used.
//
// The columns are scored as the rows of a transposed copy (cols, n×n,
// the caller's scratch), so that both are read in order without a call
// per module: the penalty of the eight masks was a fifth of a receipt's
// CPU.
func qrPenalty(g, cols []byte, n int) int {
	for y := range n {
		for x, c := range g[y*n : y*n+n] {
			cols[x*n+y] = c & qrDark
		}
	}
	score, dark := 0, 0
	for i := range n {
		s, d := qrLinePenalty(g[i*n : i*n+n])
		c, _ := qrLinePenalty(cols[i*n : i*n+n])
		score, dark = score+s+c, dark+d
	}
	for y := range n - 1 {
		r0, r1 := g[y*n:y*n+n], g[y*n+n:y*n+2*n]
		for x := range n - 1 {
			c := r0[x] & qrDark
			if c == r0[x+1]&qrDark && c == r1[x]&qrDark && c == r1[x+1]&qrDark {
				score += 3
			}
		}
	}
	total := n * n
	k := (abs(dark*20-total*10) + total - 1) / total
	score += 10 * max(0, k-1)
	return score
}

// qrLinePenalty scores one row or column by the rules on lines (runs of
// five or more, the finder-like pattern) and counts its dark modules.
func qrLinePenalty(line []byte) (score, dark int) {
	run := 0
	var prev byte = 0xff
	var bits int // the line so far, newest module in bit 0
	for x, m := range line {
		c := m & qrDark
		dark += int(c)
		if c == prev {
			run++
		} else {
			if run >= 5 {
				score += run - 2
			}
			run, prev = 1, c
		}
		bits = (bits<<1 | int(c)) & 0x7ff
		// 1011101 with 0000 before or after, in 11 modules.
		if x >= 10 && (bits == 0x05d || bits == 0x5d0) {
			score += 40
		}
	}
	if run >= 5 {
		score += run - 2
	}
	return score, dark
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
