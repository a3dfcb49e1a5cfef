-- +goose Up
-- The engine: agencies, users, documents, directives, tasks and their history.
-- Dates are ISO text (YYYY-MM-DD), which sorts chronologically; instants are
-- UTC text written by the driver.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE agencies (
    code           TEXT PRIMARY KEY,
    name           TEXT NOT NULL,
    short_name     TEXT NOT NULL DEFAULT '',
    kind           TEXT NOT NULL CHECK (kind IN ('ministry','ministerial_agency','government_agency','province','committee','other')),
    valid_from     DATE,
    valid_to       DATE,
    successor_code TEXT,
    aliases        TEXT NOT NULL DEFAULT '[]',
    gso_code       TEXT NOT NULL DEFAULT '',
    search_text    TEXT NOT NULL DEFAULT '',
    source         TEXT NOT NULL DEFAULT '',
    updated_at     TIMESTAMP NOT NULL
);
CREATE INDEX agencies_kind ON agencies (kind, code);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('admin','secretariat','agency','leader')),
    agency_code   TEXT REFERENCES agencies (code),
    display_name  TEXT NOT NULL DEFAULT '',
    email         TEXT NOT NULL DEFAULT '',
    disabled      BOOLEAN NOT NULL DEFAULT 0,
    token_version INTEGER NOT NULL DEFAULT 0,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    CHECK ((role = 'agency') = (agency_code IS NOT NULL))
);
CREATE INDEX users_agency ON users (agency_code) WHERE agency_code IS NOT NULL;

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id),
    name         TEXT NOT NULL,
    prefix       TEXT NOT NULL,
    hash         TEXT NOT NULL UNIQUE,
    created_at   TIMESTAMP NOT NULL,
    expires_at   TIMESTAMP,
    revoked_at   TIMESTAMP,
    last_used_at TIMESTAMP
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE documents (
    id         INTEGER PRIMARY KEY,
    number     TEXT NOT NULL,
    kind       TEXT NOT NULL,
    title      TEXT NOT NULL,
    issued_on  DATE NOT NULL,
    signer     TEXT NOT NULL DEFAULT '',
    body       TEXT NOT NULL DEFAULT '',
    created_by INTEGER NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    UNIQUE (number, issued_on)
);
CREATE INDEX documents_issued ON documents (issued_on, id);

CREATE TABLE directives (
    id                  INTEGER PRIMARY KEY,
    document_id         INTEGER NOT NULL REFERENCES documents (id),
    content             TEXT NOT NULL,
    field               TEXT NOT NULL DEFAULT '',
    priority            TEXT NOT NULL DEFAULT 'normal',
    due_kind            TEXT NOT NULL,
    due_on              DATE,
    due_in_working_days INTEGER,
    due_period          TEXT NOT NULL DEFAULT '',
    reporting_period    TEXT NOT NULL DEFAULT '',
    agency_group        TEXT NOT NULL DEFAULT '',
    search_text         TEXT NOT NULL DEFAULT '',
    created_by          INTEGER NOT NULL REFERENCES users (id),
    created_at          TIMESTAMP NOT NULL
);
CREATE INDEX directives_document ON directives (document_id);

CREATE TABLE tasks (
    id              INTEGER PRIMARY KEY,
    directive_id    INTEGER NOT NULL REFERENCES directives (id),
    agency_code     TEXT NOT NULL REFERENCES agencies (code),
    role            TEXT NOT NULL CHECK (role IN ('lead','coordinator')),
    status          TEXT NOT NULL CHECK (status IN ('assigned','in_progress','reported','completed','cancelled')),
    due_on          DATE,
    original_due_on DATE,
    assigned_on     DATE NOT NULL,
    reported_on     DATE,
    completed_on    DATE,
    percent         INTEGER NOT NULL DEFAULT 0,
    last_report_at  TIMESTAMP,
    version         INTEGER NOT NULL DEFAULT 1,
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL
);
-- A directive names each agency once, but an agency that took over a
-- dissolved one's work may hold both shares: no unique key here.
CREATE INDEX tasks_directive ON tasks (directive_id, agency_code);
-- An agency's list: its tasks by status and due date.
CREATE INDEX tasks_agency_status_due ON tasks (agency_code, status, due_on, id);
-- Lists across agencies by status, and the overdue review over open tasks only.
CREATE INDEX tasks_status_due ON tasks (status, due_on, id);
CREATE INDEX tasks_open_due ON tasks (due_on, id) WHERE status IN ('assigned','in_progress');
-- Statistics: tasks assigned in a period.
CREATE INDEX tasks_assigned ON tasks (assigned_on, agency_code);

CREATE TABLE events (
    id          INTEGER PRIMARY KEY,
    task_id     INTEGER NOT NULL REFERENCES tasks (id),
    seq         INTEGER NOT NULL,
    action      TEXT NOT NULL,
    from_status TEXT NOT NULL DEFAULT '',
    to_status   TEXT NOT NULL DEFAULT '',
    actor       TEXT NOT NULL,
    actor_role  TEXT NOT NULL DEFAULT '',
    at          TIMESTAMP NOT NULL,
    comment     TEXT NOT NULL DEFAULT '',
    data        TEXT NOT NULL DEFAULT '',
    prev_hash   TEXT NOT NULL DEFAULT '',
    hash        TEXT NOT NULL,
    UNIQUE (task_id, seq)
);

CREATE TABLE reports (
    id        INTEGER PRIMARY KEY,
    task_id   INTEGER NOT NULL REFERENCES tasks (id),
    kind      TEXT NOT NULL CHECK (kind IN ('progress','completion')),
    body      TEXT NOT NULL,
    percent   INTEGER NOT NULL DEFAULT 0 CHECK (percent BETWEEN 0 AND 100),
    author    TEXT NOT NULL,
    author_id INTEGER NOT NULL,
    at        TIMESTAMP NOT NULL
);
CREATE INDEX reports_task ON reports (task_id, id);

CREATE TABLE extension_requests (
    id               INTEGER PRIMARY KEY,
    task_id          INTEGER NOT NULL REFERENCES tasks (id),
    requested_due_on DATE NOT NULL,
    current_due_on   DATE,
    reason           TEXT NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('pending','approved','rejected')),
    requested_by     TEXT NOT NULL,
    requested_at     TIMESTAMP NOT NULL,
    decided_by       TEXT NOT NULL DEFAULT '',
    decided_at       TIMESTAMP,
    decision_comment TEXT NOT NULL DEFAULT ''
);
CREATE INDEX extension_requests_task ON extension_requests (task_id, id);
-- At most one pending request per task.
CREATE UNIQUE INDEX extension_requests_one_pending ON extension_requests (task_id) WHERE status = 'pending';

CREATE TABLE notifications (
    id              INTEGER PRIMARY KEY,
    channel         TEXT NOT NULL CHECK (channel IN ('inapp','email','webhook')),
    kind            TEXT NOT NULL,
    user_id         INTEGER REFERENCES users (id),
    recipient       TEXT NOT NULL DEFAULT '',
    task_id         INTEGER REFERENCES tasks (id),
    title           TEXT NOT NULL,
    body            TEXT NOT NULL DEFAULT '',
    payload         TEXT NOT NULL DEFAULT '',
    dedup_key       TEXT NOT NULL UNIQUE,
    status          TEXT NOT NULL CHECK (status IN ('pending','sent','dead')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    claimed_until   TIMESTAMP,
    last_error      TEXT NOT NULL DEFAULT '',
    created_at      TIMESTAMP NOT NULL,
    sent_at         TIMESTAMP,
    read_at         TIMESTAMP
);
-- The dispatcher's queue: pending deliveries by when they are due.
CREATE INDEX notifications_due ON notifications (next_attempt_at, id) WHERE status = 'pending';
-- A user's in-app notifications, newest first.
CREATE INDEX notifications_user ON notifications (user_id, id) WHERE channel = 'inapp';
CREATE INDEX notifications_status ON notifications (status, id);

CREATE TABLE idempotency_keys (
    id               INTEGER PRIMARY KEY,
    user_id          INTEGER NOT NULL,
    key              TEXT NOT NULL,
    method           TEXT NOT NULL,
    path             TEXT NOT NULL,
    request_hash     TEXT NOT NULL,
    status_code      INTEGER NOT NULL DEFAULT 0,
    response_body    BLOB,
    response_headers TEXT NOT NULL DEFAULT '',
    created_at       TIMESTAMP NOT NULL,
    UNIQUE (user_id, key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);

-- +goose Down
DROP TABLE idempotency_keys;
DROP TABLE notifications;
DROP TABLE extension_requests;
DROP TABLE reports;
DROP TABLE events;
DROP TABLE tasks;
DROP TABLE directives;
DROP TABLE documents;
DROP TABLE api_tokens;
DROP TABLE users;
DROP TABLE agencies;
DROP TABLE settings;
