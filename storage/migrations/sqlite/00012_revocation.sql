-- +goose Up
-- auth_epoch moves on with every revocation (a disabled user, a new
-- password, a revoked token, a logout), in the revoking transaction. Each
-- replica reads it at most once a second and drops its cached users and
-- tokens when it has moved: a revocation reaches every replica within a
-- second (README, "Tokens and revocation").
CREATE TABLE auth_epoch (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    epoch BIGINT NOT NULL
);
INSERT INTO auth_epoch (id, epoch) VALUES (1, 0);

-- The session (an access token's id) that changed the user's password and
-- stays valid while every other session of the user is revoked.
ALTER TABLE users ADD COLUMN kept_session TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE users DROP COLUMN kept_session;
DROP TABLE auth_epoch;
