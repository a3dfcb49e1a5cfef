-- +goose Up
-- An agency's open tasks in due order: the first page an officer opens, and
-- the one the month-end rush repeats. With (agency_code, status, due_on) the
-- three open statuses had to be merged and sorted on every request (12 ms
-- for an agency with a few thousand open tasks); this index is walked in
-- order and stops at the page's end. Its condition is stated literally in
-- the query (workflow/tasks.go), as a partial index requires.
CREATE INDEX tasks_agency_open_due ON tasks (agency_code, due_on, id) WHERE status IN ('assigned','in_progress','reported');

-- +goose Down
DROP INDEX tasks_agency_open_due;
