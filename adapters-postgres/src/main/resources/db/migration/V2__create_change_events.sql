-- The transactional outbox: one row per committed change of a file, written by the same statement
-- as the change, until it is delivered (then deleted) or parked. PostgreSQL 10 compatible: an
-- identity column for the order, and ids from md5 because gen_random_uuid() needs PostgreSQL 13.
CREATE TABLE change_events (
    sequence        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id              uuid        NOT NULL UNIQUE
                    DEFAULT md5(random()::text || clock_timestamp()::text || txid_current()::text)::uuid,
    type            text        NOT NULL CHECK (type IN ('created', 'updated', 'deleted', 'expired')),
    file_name       text COLLATE "C" NOT NULL,
    etag            text        NOT NULL,
    version         bigint      NOT NULL,
    size            bigint      NOT NULL,
    sha256          text        NOT NULL,
    occurred_at     timestamptz NOT NULL,
    failed_attempts integer     NOT NULL DEFAULT 0,
    -- NULL: due at once (the writer's clock need not agree with the dispatcher's).
    next_attempt_at timestamptz,
    leased_until    timestamptz,
    parked          boolean     NOT NULL DEFAULT false
);

-- The dispatcher reads the pending events in order, and per file the earliest pending one.
CREATE INDEX change_events_pending_idx ON change_events (sequence) WHERE NOT parked;
CREATE INDEX change_events_pending_file_idx ON change_events (file_name, sequence) WHERE NOT parked;
