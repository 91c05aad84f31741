package sqlstore

// Migration 0043 (PostgreSQL only) replaced the dossiers' foreign keys to
// agencies, procedures and reception points by triggers; its undo puts
// the keys back as 0001–0042 had them. SQLite's 0043 changed nothing.
func init() {
	migrationUndoFuncs[43] = func(t *tx) error {
		if t.pgtx == nil {
			return nil
		}
		for _, q := range []string{
			`DROP TRIGGER dossier_parents_added ON dossiers`, `DROP TRIGGER dossier_parents_moved ON dossiers`,
			`DROP TRIGGER agencies_kept_for_dossiers ON agencies`, `DROP TRIGGER agencies_id_kept_for_dossiers ON agencies`,
			`DROP TRIGGER procedures_kept_for_dossiers ON procedures`, `DROP TRIGGER procedures_id_kept_for_dossiers ON procedures`,
			`DROP TRIGGER reception_points_kept_for_dossiers ON reception_points`,
			`DROP TRIGGER reception_points_id_kept_for_dossiers ON reception_points`,
			`DROP TRIGGER agencies_not_truncated ON agencies`, `DROP TRIGGER procedures_not_truncated ON procedures`,
			`DROP TRIGGER reception_points_not_truncated ON reception_points`,
			`DROP FUNCTION dossier_parents_added()`, `DROP FUNCTION dossier_parents_moved()`,
			`DROP FUNCTION dossier_parent_kept()`, `DROP FUNCTION dossier_parents_not_truncated()`,
			`DROP FUNCTION dossier_parents_missing(TEXT, BIGINT, BIGINT, BIGINT, BIGINT)`,
			`ALTER TABLE dossiers
				ADD CONSTRAINT dossiers_procedure_id_fkey FOREIGN KEY (procedure_id) REFERENCES procedures(id),
				ADD CONSTRAINT dossiers_reception_point_id_fkey FOREIGN KEY (reception_point_id) REFERENCES reception_points(id),
				ADD CONSTRAINT dossiers_reception_agency_id_fkey FOREIGN KEY (reception_agency_id) REFERENCES agencies(id),
				ADD CONSTRAINT dossiers_competent_agency_id_fkey FOREIGN KEY (competent_agency_id) REFERENCES agencies(id)`,
		} {
			if _, err := t.exec(q); err != nil {
				return err
			}
		}
		return nil
	}
}
