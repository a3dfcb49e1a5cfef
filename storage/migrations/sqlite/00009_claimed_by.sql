-- +goose Up
-- Which replica (DONDOC_REPLICA) holds, or last held, a delivery's claim:
-- when deliveries stall or repeat across replicas, the row names the process
-- to look at.
ALTER TABLE notifications ADD COLUMN claimed_by TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE notifications DROP COLUMN claimed_by;
