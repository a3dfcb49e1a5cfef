-- +goose Up
-- What a reader of a task sees beside it (its latest report, the reminders
-- and urgings it has had) kept on the task row, by the transactions that add
-- them, instead of being gathered from three tables for every read: a task
-- and its list pages then read only the tasks table. Counts, not flags, so
-- that each writer adds to them without reading first.
ALTER TABLE tasks ADD COLUMN last_report_id INTEGER;
ALTER TABLE tasks ADD COLUMN reminders_sent INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tasks ADD COLUMN escalations INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tasks ADD COLUMN last_reminder_rule TEXT NOT NULL DEFAULT '';
ALTER TABLE tasks ADD COLUMN last_reminder_on DATE;
ALTER TABLE tasks ADD COLUMN urges INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tasks ADD COLUMN last_urge_at TIMESTAMP;

UPDATE tasks SET last_report_id = (SELECT MAX(r.id) FROM reports r WHERE r.task_id = tasks.id)
WHERE id IN (SELECT task_id FROM reports);

UPDATE tasks SET
    reminders_sent = (SELECT COUNT(*) FROM reminders r WHERE r.task_id = tasks.id),
    escalations = (SELECT COUNT(*) FROM reminders r WHERE r.task_id = tasks.id AND r.rule = 'escalate'),
    last_reminder_rule = (SELECT r.rule FROM reminders r WHERE r.task_id = tasks.id ORDER BY r.id DESC LIMIT 1),
    last_reminder_on = (SELECT r.as_of FROM reminders r WHERE r.task_id = tasks.id ORDER BY r.id DESC LIMIT 1)
WHERE id IN (SELECT task_id FROM reminders);

UPDATE tasks SET
    urges = (SELECT COUNT(*) FROM events e WHERE e.task_id = tasks.id AND e.action = 'urge'),
    last_urge_at = (SELECT e.at FROM events e WHERE e.task_id = tasks.id AND e.action = 'urge' ORDER BY e.id DESC LIMIT 1)
WHERE id IN (SELECT task_id FROM events WHERE action = 'urge');

-- Documents, directives and reports are written once and never changed
-- (corrections are new rows): readers keep them in memory on that promise,
-- which these triggers hold everyone to.
-- +goose StatementBegin
CREATE TRIGGER documents_no_update BEFORE UPDATE ON documents
BEGIN
    SELECT RAISE(ABORT, 'documents are written once');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER directives_no_update BEFORE UPDATE ON directives
BEGIN
    SELECT RAISE(ABORT, 'directives are written once');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER reports_no_update BEFORE UPDATE ON reports
BEGIN
    SELECT RAISE(ABORT, 'reports are written once');
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER reports_no_update;
DROP TRIGGER directives_no_update;
DROP TRIGGER documents_no_update;
ALTER TABLE tasks DROP COLUMN last_urge_at;
ALTER TABLE tasks DROP COLUMN urges;
ALTER TABLE tasks DROP COLUMN last_reminder_on;
ALTER TABLE tasks DROP COLUMN last_reminder_rule;
ALTER TABLE tasks DROP COLUMN escalations;
ALTER TABLE tasks DROP COLUMN reminders_sent;
ALTER TABLE tasks DROP COLUMN last_report_id;
