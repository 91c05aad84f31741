package pdf

import "io"

// RenderWith writes a dossier form on the fast writer (fast) or through
// fpdf, without the fallback from one to the other: for tests comparing
// them.
func (r *Renderer) RenderWith(w io.Writer, form Form, d *Dossier, fast bool) error {
	fns := map[Form]func(io.Writer, *Dossier, bool) error{
		FormReceipt: r.receipt, FormSupplement: r.supplement, FormRefusal: r.refusal, FormExtension: r.extension,
		FormStop: r.stop, FormControl: r.controlSheet, FormTransfer: r.transfer,
	}
	return fns[form](w, d, fast)
}

// ErrGlyphs is errGlyphs, for tests.
var ErrGlyphs = errGlyphs
