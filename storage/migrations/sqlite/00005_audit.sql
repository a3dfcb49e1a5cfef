-- +goose Up
-- The audit trail is append-only: dondoc never changes or removes an event,
-- and these triggers refuse it to anyone else using the database file
-- through SQL. (Whoever can write the file can drop them; the hash chain is
-- what shows that.)
-- +goose StatementBegin
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN
    SELECT RAISE(ABORT, 'events are append-only');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN
    SELECT RAISE(ABORT, 'events are append-only');
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER events_no_delete;
DROP TRIGGER events_no_update;
