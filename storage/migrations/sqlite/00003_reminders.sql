-- +goose Up
-- Reminders: each (task, rule, effective due date) is reminded once, across
-- restarts and replicas: the unique key enforces it.
CREATE TABLE reminders (
    id         INTEGER PRIMARY KEY,
    task_id    INTEGER NOT NULL REFERENCES tasks (id),
    rule       TEXT NOT NULL,
    due_on     DATE NOT NULL,
    fire_on    DATE NOT NULL,
    as_of      DATE NOT NULL,
    created_at TIMESTAMP NOT NULL,
    -- Escalations go to leaders as one digest each, built after the scan;
    -- this marks those already in a digest.
    digested_at TIMESTAMP,
    UNIQUE (task_id, rule, due_on)
);
CREATE INDEX reminders_as_of ON reminders (as_of, id);
CREATE INDEX reminders_undigested ON reminders (id) WHERE rule = 'escalate' AND digested_at IS NULL;

-- The next day a reminder of the task may go out, set only while the task
-- is open (assigned or in progress): the scan reads the tasks whose day has
-- come, an index range, never every task. The index states no status, so
-- that its one condition is implied by the scan's range and SQLite's
-- planner takes it even without statistics.
ALTER TABLE tasks ADD COLUMN next_remind_on DATE;
CREATE INDEX tasks_next_remind ON tasks (next_remind_on, id) WHERE next_remind_on IS NOT NULL;
-- Tasks that exist before this migration are looked at by the first scan.
UPDATE tasks SET next_remind_on = COALESCE(due_on, CURRENT_DATE) WHERE status IN ('assigned','in_progress');

CREATE TABLE webhooks (
    id          INTEGER PRIMARY KEY,
    url         TEXT NOT NULL,
    secret      TEXT NOT NULL,
    events      TEXT NOT NULL DEFAULT '[]',
    agency_code TEXT REFERENCES agencies (code),
    active      BOOLEAN NOT NULL DEFAULT 1,
    created_by  TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL
);

CREATE TABLE scan_runs (
    id          INTEGER PRIMARY KEY,
    as_of       DATE NOT NULL,
    replica     TEXT NOT NULL,
    started_at  TIMESTAMP NOT NULL,
    finished_at TIMESTAMP,
    tasks       INTEGER NOT NULL DEFAULT 0,
    reminders   INTEGER NOT NULL DEFAULT 0,
    escalations INTEGER NOT NULL DEFAULT 0,
    error       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX scan_runs_as_of ON scan_runs (as_of, id);

-- +goose Down
DROP TABLE scan_runs;
DROP TABLE webhooks;
DROP INDEX tasks_next_remind;
ALTER TABLE tasks DROP COLUMN next_remind_on;
DROP TABLE reminders;
