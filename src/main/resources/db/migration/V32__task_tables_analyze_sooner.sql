-- The sync path's queue-like tables change their status mix quickly (a burst of changes arrives PENDING, then ends DONE
-- / SYNCED). With PostgreSQL's default analyze trigger (10 % of a table's rows changed) the planner long believed most
-- operations were not DONE and planned the in-doubt checks from the partner's open tasks, probing each for operations:
-- hundreds of index scans per event while a burst waited (issue 14, README run J). Analyzed after 2 % (and at least
-- 200 rows), the statistics keep up with a burst.
ALTER TABLE task_operation SET (autovacuum_analyze_scale_factor = 0.02, autovacuum_analyze_threshold = 200);
ALTER TABLE sync_task SET (autovacuum_analyze_scale_factor = 0.02, autovacuum_analyze_threshold = 200);
