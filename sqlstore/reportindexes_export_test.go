package sqlstore

// Migration 0032 (PostgreSQL only) trimmed the report indexes; its undo
// puts back those of migrations 0003 and 0026, as an older database has
// them. SQLite's 0032 changed nothing.
func init() {
	migrationUndoFuncs[32] = func(t *tx) error {
		if t.pgtx == nil {
			return nil
		}
		for _, q := range []string{
			`DROP INDEX dossiers_received`,
			`CREATE INDEX dossiers_received ON dossiers (received_at, competent_agency_id, procedure_id, channel, report_flags, finished_at, finish_class, ontime_766, handle_ms)
				WHERE received_at IS NOT NULL`,
			`DROP INDEX dossiers_finished`,
			`CREATE INDEX dossiers_finished ON dossiers (finished_at, competent_agency_id, procedure_id, finish_class, ontime_766, handle_ms, received_at)
				WHERE received_at IS NOT NULL AND finished_at IS NOT NULL`,
			`CREATE INDEX dossiers_agency_received ON dossiers (competent_agency_id, channel, received_at) WHERE received_at IS NOT NULL`,
			`CREATE INDEX dossiers_agency_finished ON dossiers (competent_agency_id, finish_class, ontime_766, finished_at, received_at)
				WHERE received_at IS NOT NULL AND finished_at IS NOT NULL`,
		} {
			if _, err := t.exec(q); err != nil {
				return err
			}
		}
		return nil
	}
}
