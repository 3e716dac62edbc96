-- +goose Up
-- Email (api-v1.md §2.7): one copy of each message per mailbox (the sender's in Sent items, folder
-- -1; the recipient's in the Inbox, folder 0), custom folders, counters per member and folder, and
-- spam reports. A deleted message stays in folder -2, out of every list, so Manage can be repeated.
-- Times are integer microseconds, as elsewhere.
CREATE TABLE emails (
    email_id           INTEGER PRIMARY KEY,
    owner_id           BIGINT  NOT NULL REFERENCES members (user_id),
    other_id           BIGINT  NOT NULL REFERENCES members (user_id),
    folder_id          BIGINT  NOT NULL CHECK (folder_id >= -2),
    outgoing           BOOLEAN NOT NULL,
    is_read            BOOLEAN NOT NULL,
    subject            TEXT    NOT NULL,
    body               TEXT    NOT NULL,
    sent_at            BIGINT  NOT NULL,
    allow_face_picture BOOLEAN NOT NULL,
    thread_id          BIGINT  NOT NULL
);
-- A folder's page in date order (covering the ID, so a deep page reads only the index), its unread
-- messages (UnreadOnly), and a sender's messages (Spam).
CREATE INDEX emails_folder ON emails (owner_id, folder_id, sent_at, email_id);
CREATE INDEX emails_unread ON emails (owner_id, folder_id, sent_at, email_id) WHERE NOT is_read;
CREATE INDEX emails_other ON emails (owner_id, other_id);

-- Full-text search over subject and body, within one mailbox: an external-content FTS5 table kept in
-- step by triggers, whose first column holds the owner as one word ("u<owner_id>", from the view
-- below), so a Search matches the owner's word and the searched words together in the index, and never
-- walks every member's messages that hold a common word. unicode61 splits words on anything but
-- letters and digits, without stemming, as PostgreSQL's 'simple' configuration does, and
-- awapi.EmailSearchTerms splits a Search the same way.
CREATE VIEW emails_fts_content AS SELECT email_id, 'u' || owner_id AS owner, subject, body FROM emails;
CREATE VIRTUAL TABLE emails_fts USING fts5 (owner, subject, body, content = 'emails_fts_content', content_rowid = 'email_id');
-- +goose StatementBegin
CREATE TRIGGER emails_fts_insert AFTER INSERT ON emails BEGIN
    INSERT INTO emails_fts (rowid, owner, subject, body) VALUES (new.email_id, 'u' || new.owner_id, new.subject, new.body);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER emails_fts_delete AFTER DELETE ON emails BEGIN
    INSERT INTO emails_fts (emails_fts, rowid, owner, subject, body) VALUES ('delete', old.email_id, 'u' || old.owner_id, old.subject, old.body);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER emails_fts_update AFTER UPDATE OF owner_id, subject, body ON emails BEGIN
    INSERT INTO emails_fts (emails_fts, rowid, owner, subject, body) VALUES ('delete', old.email_id, 'u' || old.owner_id, old.subject, old.body);
    INSERT INTO emails_fts (rowid, owner, subject, body) VALUES (new.email_id, 'u' || new.owner_id, new.subject, new.body);
END;
-- +goose StatementEnd

CREATE TABLE email_folders (
    folder_id   INTEGER PRIMARY KEY,
    owner_id    BIGINT  NOT NULL REFERENCES members (user_id),
    folder_name TEXT    NOT NULL,
    name_lower  TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL,
    UNIQUE (owner_id, name_lower)
);

-- Messages and unread messages per member and folder (deleted ones not counted), changed in the
-- transaction of every change: GetUnreadEmails sums a member's few rows, never their mailbox.
CREATE TABLE email_counts (
    owner_id  BIGINT NOT NULL REFERENCES members (user_id),
    folder_id BIGINT NOT NULL,
    total     BIGINT NOT NULL CHECK (total >= 0),
    unread    BIGINT NOT NULL CHECK (unread >= 0 AND unread <= total),
    PRIMARY KEY (owner_id, folder_id)
);

CREATE TABLE email_spam_reports (
    reporter_id BIGINT NOT NULL REFERENCES members (user_id),
    spammer_id  BIGINT NOT NULL REFERENCES members (user_id),
    reported_at BIGINT NOT NULL,
    PRIMARY KEY (reporter_id, spammer_id)
);
CREATE INDEX email_spam_reports_spammer ON email_spam_reports (spammer_id);

-- +goose Down
DROP TABLE email_spam_reports;
DROP TABLE email_counts;
DROP TABLE email_folders;
DROP TRIGGER emails_fts_update;
DROP TRIGGER emails_fts_delete;
DROP TRIGGER emails_fts_insert;
DROP TABLE emails_fts;
DROP VIEW emails_fts_content;
DROP TABLE emails;
