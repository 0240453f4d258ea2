-- Hand-written (the Prisma schema cannot describe partial indexes): the terminal history entries
-- (one per drive that ended) by time and source, for GET /reports/sources. An index-only scan of
-- a range instead of a scan of the month's partitions (docs/status-sources-2026.md, measurement).
CREATE INDEX "drive_history_end_idx" ON "drive_history" ("observed_at", "source") WHERE "status" IN (3, 4);
