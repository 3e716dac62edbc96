-- +goose Up
-- Member-owned data (api-v1.md §2.1, §2.4, §2.10): hotlists, the blacklist, and the account settings
-- that have no column on members. Times are integer microseconds since the epoch.
CREATE TABLE hotlists (
    list_id    INTEGER PRIMARY KEY,
    user_id    BIGINT  NOT NULL REFERENCES members (user_id),
    list_name  TEXT    NOT NULL,
    name_lower TEXT    NOT NULL, -- folded in Go, so the uniqueness rule is the same on both engines
    created_at BIGINT  NOT NULL,
    updated_at BIGINT  NOT NULL
);
-- One name per owner, case-insensitively; it also serves the owner's list of lists.
CREATE UNIQUE INDEX hotlists_user_name ON hotlists (user_id, name_lower);

CREATE TABLE hotlist_members (
    list_id    BIGINT NOT NULL REFERENCES hotlists (list_id),
    member_id  BIGINT NOT NULL REFERENCES members (user_id),
    notes      TEXT   NOT NULL DEFAULT '',
    added_at   BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (list_id, member_id)
);

CREATE TABLE blacklist (
    user_id    BIGINT NOT NULL REFERENCES members (user_id),
    blocked_id BIGINT NOT NULL REFERENCES members (user_id),
    added_at   BIGINT NOT NULL,
    PRIMARY KEY (user_id, blocked_id)
);
-- The member's list, newest first.
CREATE INDEX blacklist_user_added ON blacklist (user_id, added_at, blocked_id);

-- Account settings without a column on members (Details, TVTS and in/out calls live on members, from
-- 00005); no row means the zero settings. CSV columns hold IDs.
CREATE TABLE member_settings (
    user_id         BIGINT  PRIMARY KEY REFERENCES members (user_id),
    enjoys          TEXT    NOT NULL DEFAULT '',
    enjoys_with     TEXT    NOT NULL DEFAULT '',
    alternatives    TEXT    NOT NULL DEFAULT '',
    other_services  TEXT    NOT NULL DEFAULT '',
    group_can_login BOOLEAN NOT NULL DEFAULT FALSE
);

-- +goose Down
DROP TABLE member_settings;
DROP TABLE blacklist;
DROP TABLE hotlist_members;
DROP TABLE hotlists;
