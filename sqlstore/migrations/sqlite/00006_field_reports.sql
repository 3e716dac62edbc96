-- +goose Up
-- Field reports (api-v1.md §2.8, §2.17): a client's review of a meeting with a performer. Days are
-- yyyymmdd in the server's zone so the yyyy-MM-dd filters compare whole days; created is the instant.
CREATE TABLE field_reports (
    report_id   INTEGER PRIMARY KEY,
    user_id     BIGINT  NOT NULL REFERENCES members (user_id), -- the reviewed member
    author_id   BIGINT  NOT NULL REFERENCES members (user_id), -- the client who wrote it
    created     BIGINT  NOT NULL,
    created_day INTEGER NOT NULL,
    meet_day    INTEGER NOT NULL,
    in_call     BOOLEAN NOT NULL DEFAULT FALSE,
    out_call    BOOLEAN NOT NULL DEFAULT FALSE,
    recommended BOOLEAN NOT NULL DEFAULT FALSE,
    visit_again BOOLEAN NOT NULL DEFAULT FALSE,
    rating      INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 10),
    title       TEXT    NOT NULL,
    report      TEXT    NOT NULL,
    country_id  INTEGER NOT NULL DEFAULT 0, -- where the meeting took place
    region_id   INTEGER NOT NULL DEFAULT 0,
    county_id   INTEGER NOT NULL DEFAULT 0,
    town        TEXT    NOT NULL DEFAULT ''
);
-- searchFieldReports: the default order (newest first) with or without a place, a member's reports,
-- the meet-date orderings, and an author's reports (foreign-key checks when members go).
CREATE INDEX field_reports_created ON field_reports (created, report_id);
CREATE INDEX field_reports_user ON field_reports (user_id, created);
CREATE INDEX field_reports_place ON field_reports (country_id, region_id, created);
CREATE INDEX field_reports_meet ON field_reports (meet_day, report_id);
CREATE INDEX field_reports_author ON field_reports (author_id);

-- Denormalised: how many field reports a member has received (MinReports), kept in step by the store in
-- the same transaction as the reports.
ALTER TABLE members ADD COLUMN field_report_count INTEGER NOT NULL DEFAULT 0;

-- getRatings pages one member's feedback for some services: service in the key lets the count and
-- the page use the index alone.
CREATE INDEX ratings_user_service ON ratings (user_id, service, rated_at);

-- +goose Down
DROP INDEX ratings_user_service;
ALTER TABLE members DROP COLUMN field_report_count;
DROP TABLE field_reports;
