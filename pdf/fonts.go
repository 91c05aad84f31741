package pdf

import (
	"sync"

	"github.com/go-fonts/dejavu/dejavusans"
	"github.com/go-fonts/dejavu/dejavusansbold"
	"github.com/go-fonts/dejavu/dejavusansoblique"
	"github.com/go-pdf/fpdf"
)

// The font families a document registers: the fonts cut to the repertoire
// below, and the whole fonts, added only when a text needs them.
const (
	fontCut  = "dejavu"
	fontFull = "dejavu-full"
)

// repertoire is what the cut fonts hold, as ranges of code points: Latin
// with every Vietnamese letter (ơ, ư and the tone-marked vowels of Latin
// Extended Additional), the combining marks a text not fully composed
// keeps, punctuation, currency (₫), № and a few arrows and operators. It
// ends low on purpose: the library walks every code point up to the
// font's last one for each font of each document. A text with anything
// else (another script, a symbol) switches its document to the whole
// fonts.
var repertoire = [][2]rune{
	{0x20, 0x7e}, {0xa0, 0x24f}, {0x300, 0x36f}, {0x1e00, 0x1eff},
	{0x2000, 0x206f}, {0x20a0, 0x20cf}, {0x2116, 0x2116}, {0x2122, 0x2122},
	{0x2190, 0x2193}, {0x2212, 0x2212}, {0x2248, 0x2248}, {0x2260, 0x2260},
	{0x2264, 0x2265},
}

// covered reports whether every character of s is in the repertoire of the
// cut fonts (line breaks and tabs, which are never drawn, included).
func covered(s string) bool {
	for _, r := range s {
		if r < 0x7f && (r >= 0x20 || r == '\n' || r == '\r' || r == '\t') {
			continue
		}
		if !inRepertoire(r) {
			return false
		}
	}
	return true
}

func inRepertoire(r rune) bool {
	for _, rg := range repertoire {
		if r >= rg[0] && r <= rg[1] {
			return true
		}
	}
	return false
}

// fontFiles are the TrueType files of the regular, bold and oblique styles.
type fontFiles [3][]byte

var fullFonts = fontFiles{dejavusans.TTF, dejavusansbold.TTF, dejavusansoblique.TTF}

var cut struct {
	once  sync.Once
	fonts fontFiles
}

// cutFonts returns the DejaVu fonts cut to the repertoire, made once per
// process (~0.2 s): about a fifth of the glyphs, so that the library's
// parsing and subsetting of every document's fonts costs a fraction.
func cutFonts() fontFiles {
	cut.once.Do(func() {
		var rs []rune
		for _, rg := range repertoire {
			for r := rg[0]; r <= rg[1]; r++ {
				rs = append(rs, r)
			}
		}
		set := string(rs)
		for i, ttf := range fullFonts {
			cut.fonts[i] = fpdf.UTF8CutFont(ttf, set)
		}
	})
	return cut.fonts
}

// addFonts registers the three styles of files under family.
func addFonts(f *fpdf.Fpdf, family string, files fontFiles) {
	for i, style := range []string{"", "B", "I"} {
		f.AddUTF8FontFromBytes(family, style, files[i])
	}
}
