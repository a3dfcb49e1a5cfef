-- +goose Up
-- A year's working calendar as the government announced it, entered by an
-- admin in one step (PUT /calendar/years/{year}). Each entry is kept: the
-- latest per year is the one in force, the earlier ones are its history. An
-- entry also says what it changed (the days, the due dates moved and the
-- fixed due dates that fell on a new day off), so the table is the audit of
-- calendar changes and, like the events, append-only.
CREATE TABLE calendar_years (
    id              BIGSERIAL PRIMARY KEY,
    year            INTEGER NOT NULL,
    document_number TEXT NOT NULL,
    schedule        TEXT NOT NULL, -- JSON: the announced schedule (calendar.Schedule)
    changes         TEXT NOT NULL, -- JSON: what the entry changed
    created_by      TEXT NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX calendar_years_year ON calendar_years (year, id);
-- +goose StatementBegin
CREATE FUNCTION calendar_years_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'calendar_years is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER calendar_years_no_update BEFORE UPDATE ON calendar_years FOR EACH ROW EXECUTE FUNCTION calendar_years_append_only();
CREATE TRIGGER calendar_years_no_delete BEFORE DELETE ON calendar_years FOR EACH ROW EXECUTE FUNCTION calendar_years_append_only();
CREATE TRIGGER calendar_years_no_truncate BEFORE TRUNCATE ON calendar_years FOR EACH STATEMENT EXECUTE FUNCTION calendar_years_append_only();

-- +goose Down
DROP TRIGGER calendar_years_no_truncate ON calendar_years;
DROP TRIGGER calendar_years_no_delete ON calendar_years;
DROP TRIGGER calendar_years_no_update ON calendar_years;
DROP FUNCTION calendar_years_append_only();
DROP TABLE calendar_years;
