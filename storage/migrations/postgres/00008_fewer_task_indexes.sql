-- +goose Up
-- Every index on a column a transition changes is rewritten by it, and the
-- one SQLite writer does that work for every command: reporting a task done
-- rewrote ten index pages. Two of them are folded into the others.
--
-- An agency's tasks of one status (or its overdue ones) are read from its
-- open tasks in due order, which now carry their status: the agency
-- index by status, due date and id went.
DROP INDEX tasks_agency_status_due;
DROP INDEX tasks_agency_open_due;
CREATE INDEX tasks_agency_open_due ON tasks (agency_code, due_on, id, status) WHERE status IN ('assigned','in_progress','reported');
-- Tasks in progress across agencies are read from the open tasks in due
-- order (tasks_open_due); this index keeps the other statuses, so that
-- reporting a task done adds an entry instead of moving one. Queries state
-- its condition literally, as a partial index requires (workflow/tasks.go).
DROP INDEX tasks_status_due;
CREATE INDEX tasks_status_due ON tasks (status, due_on, id) WHERE status <> 'in_progress';

-- +goose Down
DROP INDEX tasks_status_due;
CREATE INDEX tasks_status_due ON tasks (status, due_on, id);
DROP INDEX tasks_agency_open_due;
CREATE INDEX tasks_agency_open_due ON tasks (agency_code, due_on, id) WHERE status IN ('assigned','in_progress','reported');
CREATE INDEX tasks_agency_status_due ON tasks (agency_code, status, due_on, id);
