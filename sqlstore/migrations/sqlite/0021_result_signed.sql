-- Electronic results (issue 11): a result counts as electronic (indicator
-- 4.1) when its issue_result names a result file verified signed when
-- stored, which issue_result events and statuses now record as
-- result_signed. Results issued before that are marked here from their
-- file records (component 0, signed_at set, named by id), so that they go
-- on counting when their dossier next changes; a result named by an
-- unsigned file, or by a file kept elsewhere, is not marked.
UPDATE dossier_events SET data = json_set(data, '$.result_signed', json('true'))
 WHERE action = 'issue_result' AND EXISTS (
    SELECT 1 FROM dossier_files f
     WHERE f.dossier_id = dossier_events.dossier_id AND f.component_id = 0 AND f.signed_at <> 0
       AND CAST(f.id AS TEXT) = json_extract(dossier_events.data, '$.result_file_ref'));
UPDATE dossiers SET status = json_set(status, '$.result_signed', json('true'))
 WHERE state IN ('result_ready', 'returned') AND EXISTS (
    SELECT 1 FROM dossier_files f
     WHERE f.dossier_id = dossiers.id AND f.component_id = 0 AND f.signed_at <> 0
       AND CAST(f.id AS TEXT) = json_extract(dossiers.status, '$.result_file_ref'));
