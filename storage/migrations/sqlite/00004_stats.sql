-- +goose Up
-- What leaders look at (issue 6): statistics, their monthly snapshots, and
-- calendar feed tokens.

-- The statistics are one grouped query that walks the agencies and, for
-- each, seeks this index by (agency, role, period): it holds every column
-- the categories read, so the query never touches the table rows.
CREATE INDEX tasks_stats ON tasks (agency_code, role, assigned_on, status, due_on, reported_on, completed_on);

-- A reporting month (15th of the previous month to the 14th) whose figures
-- were frozen when it closed. month is 'YYYY-MM', the month of its 14th.
CREATE TABLE stats_months (
    month       TEXT PRIMARY KEY,
    period_from DATE NOT NULL,
    period_to   DATE NOT NULL,
    taken_at    TIMESTAMP NOT NULL
);

-- The frozen counts of a closed reporting month, per role, agency and field,
-- so that any filter of the statistics can be answered from them.
CREATE TABLE stats_snapshots (
    month               TEXT NOT NULL REFERENCES stats_months (month),
    role                TEXT NOT NULL,
    agency_code         TEXT NOT NULL,
    field               TEXT NOT NULL,
    completed_on_time   INTEGER NOT NULL DEFAULT 0,
    completed_late      INTEGER NOT NULL DEFAULT 0,
    in_progress_on_time INTEGER NOT NULL DEFAULT 0,
    in_progress_overdue INTEGER NOT NULL DEFAULT 0,
    no_deadline         INTEGER NOT NULL DEFAULT 0,
    total               INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (month, role, agency_code, field)
);

-- One calendar feed token per user (a new one replaces the old). Only its
-- SHA-256 is stored; the token itself is shown once.
CREATE TABLE feed_tokens (
    user_id    INTEGER PRIMARY KEY REFERENCES users (id),
    prefix     TEXT NOT NULL,
    hash       TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL
);

-- +goose Down
DROP TABLE feed_tokens;
DROP TABLE stats_snapshots;
DROP TABLE stats_months;
DROP INDEX tasks_stats;
