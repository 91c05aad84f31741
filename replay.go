package motcua

// ReplayHistory folds history lines (HistoryLine, oldest first per
// dossier, as ReportStore.HistoryBefore returns them) into each dossier's
// standing after its last line: the state and appointment of that line,
// how many lines asked for a supplement and the time of the last that did.
// It is what ReportStore.StandingsBefore computes, and the reference its
// implementations are tested against.
func ReplayHistory(lines []HistoryLine) map[int64]Pending766 {
	out := map[int64]Pending766{}
	for _, l := range lines { // the last line wins
		out[l.DossierID] = out[l.DossierID].Next(l)
	}
	return out
}
