-- +goose Up
-- The date an approval granted, which the secretariat may set earlier or
-- later than the one requested; NULL until a request is approved. Requests
-- approved before this column existed granted the requested date.
ALTER TABLE extension_requests ADD COLUMN granted_due_on DATE;
UPDATE extension_requests SET granted_due_on = requested_due_on WHERE status = 'approved';

-- +goose Down
ALTER TABLE extension_requests DROP COLUMN granted_due_on;
