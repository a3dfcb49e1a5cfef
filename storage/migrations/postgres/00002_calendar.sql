-- +goose Up
-- Days the government declares off or working, as admins record them
-- (PUT /calendar/days/{date}); they win over the rules and the shipped
-- announcements for their date.
CREATE TABLE calendar_days (
    day        DATE PRIMARY KEY,
    kind       TEXT NOT NULL CHECK (kind IN ('holiday','working')),
    name       TEXT NOT NULL DEFAULT '',
    updated_by TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

-- +goose Down
DROP TABLE calendar_days;
