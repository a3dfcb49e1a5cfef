-- +goose Up
-- Files (issue 22): contents addressed by their SHA-256 and kept in the
-- database, in chunks, so that one backup holds everything, replicas on one
-- PostgreSQL see every file, and no statement carries a whole file. The same
-- bytes uploaded twice are stored once; an attachment names a blob and says
-- what it belongs to: a document (its source file), or a task's report or
-- extension request.
CREATE TABLE blobs (
    sha256     TEXT PRIMARY KEY CHECK (length(sha256) = 64),
    size       INTEGER NOT NULL CHECK (size >= 0),
    chunks     INTEGER NOT NULL CHECK (chunks >= 0),
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE blob_chunks (
    sha256 TEXT NOT NULL REFERENCES blobs (sha256),
    seq    INTEGER NOT NULL CHECK (seq >= 0),
    data   BLOB NOT NULL,
    PRIMARY KEY (sha256, seq)
);

CREATE TABLE attachments (
    id           INTEGER PRIMARY KEY,
    sha256       TEXT NOT NULL REFERENCES blobs (sha256),
    name         TEXT NOT NULL,
    size         INTEGER NOT NULL,
    content_type TEXT NOT NULL,
    document_id  INTEGER REFERENCES documents (id),
    task_id      INTEGER REFERENCES tasks (id),
    report_id    INTEGER REFERENCES reports (id),
    extension_id INTEGER REFERENCES extension_requests (id),
    created_by   INTEGER NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    -- A document's file, or a task's (with its report or extension request).
    CHECK ((document_id IS NOT NULL AND task_id IS NULL) OR
           (document_id IS NULL AND task_id IS NOT NULL AND (report_id IS NOT NULL OR extension_id IS NOT NULL)))
);
CREATE UNIQUE INDEX attachments_document ON attachments (document_id) WHERE document_id IS NOT NULL;
CREATE INDEX attachments_task ON attachments (task_id, id) WHERE task_id IS NOT NULL;
CREATE INDEX attachments_report ON attachments (report_id) WHERE report_id IS NOT NULL;
CREATE INDEX attachments_extension ON attachments (extension_id) WHERE extension_id IS NOT NULL;
CREATE INDEX attachments_blob ON attachments (sha256);

-- +goose Down
DROP TABLE attachments;
DROP TABLE blob_chunks;
DROP TABLE blobs;
