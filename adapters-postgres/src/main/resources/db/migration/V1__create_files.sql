-- One row per live (or expired, not yet purged) file. Names sort by their UTF-8 bytes
-- (COLLATE "C"), the order of the listing, so that keyset pages are ranges of the primary key.
CREATE TABLE files (
    name       text COLLATE "C" PRIMARY KEY CHECK (octet_length(name) BETWEEN 1 AND 255),
    size       bigint      NOT NULL CHECK (size >= 0),
    sha256     text        NOT NULL,
    etag       text        NOT NULL,
    version    bigint      NOT NULL CHECK (version >= 1),
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    blob_key   text        NOT NULL
);

-- The purge takes expired rows oldest first without reading the live ones.
CREATE INDEX files_expires_at_idx ON files (expires_at);

-- Before PostgreSQL 15 every role may create tables in schema public; only the migration role
-- may here. (Takes effect where the migration role owns the schema; see the README.)
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
