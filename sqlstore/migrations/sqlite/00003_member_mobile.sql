-- +goose Up
-- A member's mobile number; SendSMSOnAccept needs a verified one.
ALTER TABLE members ADD COLUMN mobile_number TEXT NOT NULL DEFAULT '';
ALTER TABLE members ADD COLUMN mobile_verified BOOLEAN NOT NULL DEFAULT FALSE;

-- +goose Down
ALTER TABLE members DROP COLUMN mobile_verified;
ALTER TABLE members DROP COLUMN mobile_number;
