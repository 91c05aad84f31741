\timing on
-- A 1.6-million-dossier PostgreSQL province made from the generated 200k one
-- (p200) by copying its dossiers seven times inside PostgreSQL: ids offset
-- by k×1,000,000 (events by k×10,000,000), codes suffixed "-k", the live
-- counters multiplied by 8. Same agencies, procedures and year: eight times
-- the dossiers per agency.
BEGIN;
INSERT INTO dossiers SELECT x.id + k*1000000, x.code || '-' || k, x.procedure_id, x.procedure_version, x.procedure_code, x.procedure_name, x.channel, x.reception_point_id, x.reception_agency_id, x.competent_agency_id, x.applicant_id_number, x.applicant_name, x.verifier, x.facts, x.created_at, x.state, x.step, x.holder_agency_id, x.assignee_id, x.submitted_at, x.received_at, x.clock_start_at, x.due_at, x.step_due_at, x.action_due_at, x.finished_at, x.returned_at, x.next_due_at, x.seq, x.status, x.finish_class, x.ontime_766, x.handle_ms, x.supp_count, x.supp_last_at, x.report_flags, x.last_event_at FROM dossiers x CROSS JOIN generate_series(1,7) k WHERE x.id < 1000000;
INSERT INTO dossier_events (id, dossier_id, seq, action, at, actor_id, actor_agency_id, from_state, to_state, from_agency_id, to_agency_id, timeliness, due_at, actor_name, actor_role, from_step, to_step, clock_start_at, step_due_at, action_due_at, handover_due_at, duties, data) SELECT x.id + k*10000000, x.dossier_id + k*1000000, x.seq, x.action, x.at, x.actor_id, x.actor_agency_id, x.from_state, x.to_state, x.from_agency_id, x.to_agency_id, x.timeliness, x.due_at, x.actor_name, x.actor_role, x.from_step, x.to_step, x.clock_start_at, x.step_due_at, x.action_due_at, x.handover_due_at, x.duties, x.data FROM dossier_events x CROSS JOIN generate_series(1,7) k WHERE x.id < 10000000;
INSERT INTO dossier_work SELECT agency_id, role, user_id, next_due_at, dossier_id + k*1000000
  FROM dossier_work CROSS JOIN generate_series(1,7) k WHERE dossier_id < 1000000;
UPDATE stat_counts SET n = n * 8;
UPDATE stat_deltas SET n = n * 8;
SELECT setval(pg_get_serial_sequence('dossiers','id'), (SELECT max(id) FROM dossiers));
SELECT setval(pg_get_serial_sequence('dossier_events','id'), (SELECT max(id) FROM dossier_events));
COMMIT;
VACUUM (ANALYZE);
SELECT pg_database_size('x8'), (SELECT count(*) FROM dossiers), (SELECT count(*) FROM dossier_events);
