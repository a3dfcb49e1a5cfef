-- +goose Up
-- What a reader of a task sees beside it (its latest report, the reminders
-- and urgings it has had) kept on the task row, by the transactions that add
-- them, instead of being gathered from three tables for every read: a task
-- and its list pages then read only the tasks table. Counts, not flags, so
-- that each writer adds to them without reading first.
ALTER TABLE tasks ADD COLUMN last_report_id BIGINT;
ALTER TABLE tasks ADD COLUMN reminders_sent INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tasks ADD COLUMN escalations INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tasks ADD COLUMN last_reminder_rule TEXT NOT NULL DEFAULT '';
ALTER TABLE tasks ADD COLUMN last_reminder_on DATE;
ALTER TABLE tasks ADD COLUMN urges INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tasks ADD COLUMN last_urge_at TIMESTAMPTZ;

UPDATE tasks t SET last_report_id = m.id
FROM (SELECT task_id, MAX(id) AS id FROM reports GROUP BY task_id) m WHERE m.task_id = t.id;

UPDATE tasks t SET reminders_sent = m.n, escalations = m.escalations, last_reminder_rule = r.rule, last_reminder_on = r.as_of
FROM (SELECT task_id, COUNT(*) AS n, COUNT(*) FILTER (WHERE rule = 'escalate') AS escalations, MAX(id) AS id
      FROM reminders GROUP BY task_id) m
JOIN reminders r ON r.id = m.id
WHERE m.task_id = t.id;

UPDATE tasks t SET urges = m.n, last_urge_at = e.at
FROM (SELECT task_id, COUNT(*) AS n, MAX(id) AS id FROM events WHERE action = 'urge' GROUP BY task_id) m
JOIN events e ON e.id = m.id
WHERE m.task_id = t.id;

-- Documents, directives and reports are written once and never changed
-- (corrections are new rows): readers keep them in memory on that promise,
-- which these triggers hold everyone to.
-- +goose StatementBegin
CREATE FUNCTION written_once() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% rows are written once: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER documents_no_update BEFORE UPDATE ON documents FOR EACH ROW EXECUTE FUNCTION written_once();
CREATE TRIGGER directives_no_update BEFORE UPDATE ON directives FOR EACH ROW EXECUTE FUNCTION written_once();
CREATE TRIGGER reports_no_update BEFORE UPDATE ON reports FOR EACH ROW EXECUTE FUNCTION written_once();

-- +goose Down
DROP TRIGGER reports_no_update ON reports;
DROP TRIGGER directives_no_update ON directives;
DROP TRIGGER documents_no_update ON documents;
DROP FUNCTION written_once();
ALTER TABLE tasks DROP COLUMN last_urge_at;
ALTER TABLE tasks DROP COLUMN urges;
ALTER TABLE tasks DROP COLUMN last_reminder_on;
ALTER TABLE tasks DROP COLUMN last_reminder_rule;
ALTER TABLE tasks DROP COLUMN escalations;
ALTER TABLE tasks DROP COLUMN reminders_sent;
ALTER TABLE tasks DROP COLUMN last_report_id;
