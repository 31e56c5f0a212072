-- Orphan collection asks, one page of blob keys at a time, which of them a row still points at
-- (blob_key = any(?)): an index lookup per key instead of a scan of the table. A plain CREATE
-- INDEX, in the migration's transaction: it holds writes for the seconds the build takes on a
-- table bounded by the 30-day retention, and a failure leaves nothing half-built
-- (docs/adr/orphan-collection.md).
CREATE INDEX files_blob_key_idx ON files (blob_key);
