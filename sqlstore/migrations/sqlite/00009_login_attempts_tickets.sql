-- +goose Up
-- Login throttling records every sign-in attempt before its password is checked (a successful one
-- deletes its rows afterwards), so the count and the new row are taken together under a lock and
-- parallel attempts cannot all pass the check. Rows need an ID for that delete, so this table
-- replaces login_failures, whose rows only matter for 15 minutes.
DROP TABLE login_failures;
CREATE TABLE login_attempts (
    attempt_id   INTEGER PRIMARY KEY,
    key          TEXT   NOT NULL,
    attempted_at BIGINT NOT NULL
);
CREATE INDEX login_attempts_key ON login_attempts (key, attempted_at);
CREATE INDEX login_attempts_at ON login_attempts (attempted_at);

-- Login-page tickets are single-use: a submitted ticket's digest is kept until it has expired, and a
-- second submission finds it here (the primary key makes the check atomic across instances).
CREATE TABLE spent_tickets (
    ticket_digest BLOB   PRIMARY KEY,
    expires_at    BIGINT NOT NULL
);
CREATE INDEX spent_tickets_expires ON spent_tickets (expires_at);

-- +goose Down
DROP TABLE spent_tickets;
DROP TABLE login_attempts;
CREATE TABLE login_failures (
    key       TEXT   NOT NULL,
    failed_at BIGINT NOT NULL
);
CREATE INDEX login_failures_key ON login_failures (key, failed_at);
CREATE INDEX login_failures_at ON login_failures (failed_at);
