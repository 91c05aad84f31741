-- Electronic results (issue 11): a result counts as electronic (indicator
-- 4.1) when its issue_result names a result file verified signed when
-- stored, which issue_result events and statuses now record as
-- result_signed. Results issued before that are marked here from their
-- file records (component 0, signed_at set, named by id), so that they go
-- on counting when their dossier next changes; a result named by an
-- unsigned file, or by a file kept elsewhere, is not marked.
UPDATE dossier_events e SET data = jsonb_set(e.data::jsonb, '{result_signed}', 'true'::jsonb)::text
 WHERE e.action = 'issue_result' AND EXISTS (
    SELECT 1 FROM dossier_files f
     WHERE f.dossier_id = e.dossier_id AND f.component_id = 0 AND f.signed_at <> 0
       AND f.id::text = (e.data::jsonb ->> 'result_file_ref'));
UPDATE dossiers d SET status = jsonb_set(d.status::jsonb, '{result_signed}', 'true'::jsonb)::text
 WHERE d.state IN ('result_ready', 'returned') AND EXISTS (
    SELECT 1 FROM dossier_files f
     WHERE f.dossier_id = d.id AND f.component_id = 0 AND f.signed_at <> 0
       AND f.id::text = (d.status::jsonb ->> 'result_file_ref'));
