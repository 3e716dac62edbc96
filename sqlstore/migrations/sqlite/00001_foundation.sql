-- +goose Up
-- Times are stored as integer microseconds since the Unix epoch (UTC) and money as integer hundredths of
-- a credit, identically on both engines, so comparisons and sums are exact and engine-independent.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE projects (
    project_id        INTEGER PRIMARY KEY,
    name              TEXT    NOT NULL,
    api_key_digest    BLOB    NOT NULL UNIQUE,
    api_key_prefix    TEXT    NOT NULL,
    api_secret_digest BLOB    NOT NULL,
    approved          BOOLEAN NOT NULL DEFAULT FALSE,
    created_at        BIGINT  NOT NULL
);

CREATE TABLE groups (
    group_id   INTEGER PRIMARY KEY,
    group_name TEXT NOT NULL UNIQUE
);

CREATE TABLE members (
    user_id           INTEGER PRIMARY KEY,
    nickname          TEXT    NOT NULL,
    nickname_lower    TEXT    NOT NULL UNIQUE,
    email             TEXT    NOT NULL,
    password_hash     TEXT    NOT NULL DEFAULT '',
    birth_date        BIGINT  NOT NULL,
    user_type_id      INTEGER NOT NULL,
    gender_id         INTEGER NOT NULL,
    orientation_id    INTEGER NOT NULL,
    country_id        INTEGER NOT NULL,
    region_id         INTEGER NOT NULL DEFAULT 0,
    county_id         INTEGER NOT NULL DEFAULT 0,
    town              TEXT    NOT NULL DEFAULT '',
    post_code         TEXT    NOT NULL DEFAULT '',
    group_id          BIGINT  REFERENCES groups (group_id),
    is_group_manager  BOOLEAN NOT NULL DEFAULT FALSE,
    is_age_verified   BOOLEAN NOT NULL DEFAULT FALSE,
    is_active         BOOLEAN NOT NULL DEFAULT TRUE,
    verified          BOOLEAN NOT NULL DEFAULT FALSE,
    summary           TEXT    NOT NULL DEFAULT '',
    is_escort         BOOLEAN NOT NULL DEFAULT FALSE,
    is_webcam         BOOLEAN NOT NULL DEFAULT FALSE,
    is_phone_chat     BOOLEAN NOT NULL DEFAULT FALSE,
    is_sms_chat       BOOLEAN NOT NULL DEFAULT FALSE,
    is_content        BOOLEAN NOT NULL DEFAULT FALSE,
    is_alternative    BOOLEAN NOT NULL DEFAULT FALSE,
    is_other_services BOOLEAN NOT NULL DEFAULT FALSE,
    directchat_only   BOOLEAN NOT NULL DEFAULT FALSE,
    registered_at     BIGINT  NOT NULL,
    last_login        BIGINT  NOT NULL,
    last_updated      BIGINT  NOT NULL
);
CREATE INDEX members_group ON members (group_id) WHERE group_id IS NOT NULL;

CREATE TABLE access_tokens (
    token_digest BLOB    PRIMARY KEY,
    user_id      BIGINT  NOT NULL REFERENCES members (user_id),
    project_id   BIGINT  NOT NULL REFERENCES projects (project_id),
    scopes       TEXT    NOT NULL,
    expires_at   BIGINT  NOT NULL,
    revoked      BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE TABLE webcam_settings (
    user_id          INTEGER PRIMARY KEY REFERENCES members (user_id),
    software_types   TEXT    NOT NULL, -- comma-separated SoftwareTypeIDs offered
    minimum_duration INTEGER NOT NULL
);

CREATE TABLE ratings (
    rating_id INTEGER PRIMARY KEY,
    user_id   BIGINT  NOT NULL REFERENCES members (user_id),
    rater_id  BIGINT  NOT NULL REFERENCES members (user_id),
    service   TEXT    NOT NULL,
    score     INTEGER NOT NULL CHECK (score BETWEEN -1 AND 1),
    feedback  TEXT    NOT NULL DEFAULT '',
    rated_at  BIGINT  NOT NULL,
    rated_day INTEGER NOT NULL -- yyyymmdd in the server's zone, for calendar ranges
);
CREATE INDEX ratings_service_day ON ratings (service, rated_day);
CREATE INDEX ratings_user ON ratings (user_id, rated_at);

CREATE TABLE member_views (
    user_id BIGINT  NOT NULL REFERENCES members (user_id),
    kind    INTEGER NOT NULL,
    day     INTEGER NOT NULL, -- yyyymmdd in the server's zone
    views   INTEGER NOT NULL,
    PRIMARY KEY (user_id, kind, day)
);
CREATE INDEX member_views_kind_day ON member_views (kind, day);

-- +goose Down
DROP TABLE member_views;
DROP TABLE ratings;
DROP TABLE webcam_settings;
DROP TABLE access_tokens;
DROP TABLE members;
DROP TABLE groups;
DROP TABLE projects;
DROP TABLE meta;
