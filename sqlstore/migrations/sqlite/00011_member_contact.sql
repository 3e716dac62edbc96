-- +goose Up
-- Whether the member shows their mobile number on their profile (getProfileDetails ReturnContact);
-- the number itself is mobile_number (00003).
ALTER TABLE members ADD COLUMN show_mobile_number BOOLEAN NOT NULL DEFAULT FALSE;

-- +goose Down
ALTER TABLE members DROP COLUMN show_mobile_number;
