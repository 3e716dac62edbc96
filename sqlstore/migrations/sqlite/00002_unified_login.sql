-- +goose Up
-- Unified Login (OAuth 2.0). A grant is a member's consent for a project; authorization codes, access
-- tokens and refresh tokens hang off it and die with it. Codes and tokens are stored only as SHA-256
-- digests. Times are integer microseconds since the epoch; 0 means "not yet" (used_at, rotated_at,
-- revoked_at), so every state change is a compare-and-set on "= 0".

-- OAuth client credentials of a project; API-key-only projects have no client_id.
ALTER TABLE projects ADD COLUMN client_id TEXT;
ALTER TABLE projects ADD COLUMN client_secret_digest BLOB; -- NULL for public clients
ALTER TABLE projects ADD COLUMN redirect_uris TEXT NOT NULL DEFAULT ''; -- newline-separated
ALTER TABLE projects ADD COLUMN allowed_scopes TEXT NOT NULL DEFAULT ''; -- space-separated
ALTER TABLE projects ADD COLUMN is_public BOOLEAN NOT NULL DEFAULT FALSE;
CREATE UNIQUE INDEX projects_client_id ON projects (client_id);

-- Sign-in by email address, case-insensitively.
CREATE INDEX members_email_lower ON members (lower(email));

CREATE TABLE grants (
    grant_id   INTEGER PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES members (user_id),
    project_id BIGINT NOT NULL REFERENCES projects (project_id),
    scopes     TEXT   NOT NULL,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX grants_user_project ON grants (user_id, project_id);

CREATE TABLE auth_codes (
    code_digest           BLOB   PRIMARY KEY,
    grant_id              BIGINT NOT NULL REFERENCES grants (grant_id),
    redirect_uri          TEXT   NOT NULL,
    code_challenge        TEXT   NOT NULL DEFAULT '',
    code_challenge_method TEXT   NOT NULL DEFAULT '',
    expires_at            BIGINT NOT NULL,
    used_at               BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX auth_codes_grant ON auth_codes (grant_id);

CREATE TABLE refresh_tokens (
    token_digest BLOB   PRIMARY KEY,
    grant_id     BIGINT NOT NULL REFERENCES grants (grant_id),
    project_id   BIGINT NOT NULL REFERENCES projects (project_id),
    scopes       TEXT   NOT NULL,
    expires_at   BIGINT NOT NULL,
    rotated_at   BIGINT NOT NULL DEFAULT 0,
    created_at   BIGINT NOT NULL
);
CREATE INDEX refresh_tokens_grant ON refresh_tokens (grant_id);

-- Access tokens issued through Unified Login belong to a grant; admin-minted sandbox tokens have none.
ALTER TABLE access_tokens ADD COLUMN grant_id BIGINT REFERENCES grants (grant_id);
CREATE INDEX access_tokens_grant ON access_tokens (grant_id);

-- One row per failed sign-in, for throttling; rows older than the window are pruned as failures arrive.
CREATE TABLE login_failures (
    key       TEXT   NOT NULL,
    failed_at BIGINT NOT NULL
);
CREATE INDEX login_failures_key ON login_failures (key, failed_at);
CREATE INDEX login_failures_at ON login_failures (failed_at);

-- +goose Down
DROP TABLE login_failures;
DROP INDEX access_tokens_grant;
ALTER TABLE access_tokens DROP COLUMN grant_id;
DROP TABLE refresh_tokens;
DROP TABLE auth_codes;
DROP TABLE grants;
DROP INDEX members_email_lower;
DROP INDEX projects_client_id;
ALTER TABLE projects DROP COLUMN is_public;
ALTER TABLE projects DROP COLUMN allowed_scopes;
ALTER TABLE projects DROP COLUMN redirect_uris;
ALTER TABLE projects DROP COLUMN client_secret_digest;
ALTER TABLE projects DROP COLUMN client_id;
