-- +goose Up
-- The directives /documents/{id}/extract proposed for a document, as
-- proposed, and what became of each: the directive created from it (and
-- which of its fields the secretariat changed), or nothing (dropped). What
-- the secretariat changes is how right the extractor is in use
-- (GET /extract/quality) and the corrections that grow its test data
-- (dondoc extract corrections).
CREATE TABLE proposals (
    id           INTEGER PRIMARY KEY,
    document_id  INTEGER NOT NULL REFERENCES documents (id),
    proposal_key TEXT NOT NULL,            -- the proposal's id as /extract gave it
    passage      TEXT NOT NULL,            -- the sentence it was read from
    proposed     TEXT NOT NULL,            -- JSON: lead, coordinators, group, due, action as proposed
    created_at   TIMESTAMP NOT NULL,
    directive_id INTEGER REFERENCES directives (id),
    edited       TEXT NOT NULL DEFAULT '', -- the fields changed, comma-separated: lead,coordinators,group,due,action
    decided_at   TIMESTAMP,
    UNIQUE (document_id, proposal_key)
);
CREATE UNIQUE INDEX proposals_directive ON proposals (directive_id);

-- +goose Down
DROP TABLE proposals;
