-- +goose Up
-- Webcam bookings (api-v1.md §2.18) and the credit ledger (§2.3). Times are integer microseconds since
-- the epoch, 0 meaning "not yet"; money is integer hundredths of a credit. Every status change is a
-- compare-and-set on status (and the columns the rule reads); every balance change is a ledger row
-- written in the same transaction.
CREATE TABLE webcam_bookings (
    booking_id            INTEGER PRIMARY KEY,
    client_id             BIGINT  NOT NULL REFERENCES members (user_id),
    session_date          BIGINT  NOT NULL,
    duration              INTEGER NOT NULL CHECK (duration > 0), -- minutes
    session_end           BIGINT  NOT NULL, -- session_date + duration: when the performer is paid
    credits               BIGINT  NOT NULL CHECK (credits >= 0), -- the client's offer
    accepted_credits      BIGINT  NOT NULL DEFAULT 0 CHECK (accepted_credits >= 0), -- the accepting performer's price
    status                TEXT    NOT NULL CHECK (status IN ('Pending', 'Accepted', 'Rejected', 'Confirmed', 'Cancelled')),
    software_type_id      INTEGER NOT NULL,
    sign_in_name_or_email TEXT    NOT NULL,
    also_phone_chat       BOOLEAN NOT NULL DEFAULT FALSE,
    phone_number          TEXT    NOT NULL DEFAULT '',
    send_sms_on_accept    BOOLEAN NOT NULL DEFAULT FALSE,
    created_at            BIGINT  NOT NULL,
    accept_by             BIGINT  NOT NULL, -- a Pending booking lapses (reads as Rejected) from this moment
    accepted_at           BIGINT  NOT NULL DEFAULT 0,
    accepted_by           BIGINT  NOT NULL DEFAULT 0, -- the accepting performer's user_id, 0 until accepted
    confirmed_at          BIGINT  NOT NULL DEFAULT 0,
    cancelled_at          BIGINT  NOT NULL DEFAULT 0,
    reason                TEXT    NOT NULL DEFAULT '',
    reserved              BIGINT  NOT NULL DEFAULT 0 CHECK (reserved >= 0), -- held from the client since confirmation
    settled_at            BIGINT  NOT NULL DEFAULT 0, -- when the reserved credits passed to the performer
    rescheduled_from      BIGINT  NOT NULL DEFAULT 0,
    client_deleted        BOOLEAN NOT NULL DEFAULT FALSE
);
-- The client's list, newest first by default.
CREATE INDEX webcam_bookings_client ON webcam_bookings (client_id, created_at, booking_id);
-- Settlement scans only the confirmed, unsettled bookings, by the end of their session.
CREATE INDEX webcam_bookings_unsettled ON webcam_bookings (session_end) WHERE status = 'Confirmed' AND settled_at = 0;

CREATE TABLE webcam_invitations (
    booking_id        BIGINT  NOT NULL REFERENCES webcam_bookings (booking_id),
    performer_id      BIGINT  NOT NULL REFERENCES members (user_id),
    position          INTEGER NOT NULL, -- the order the client listed the performers in, from 0
    status            TEXT    NOT NULL CHECK (status IN ('Pending', 'Accepted', 'Rejected', 'Cancelled')),
    reason            TEXT    NOT NULL DEFAULT '',
    decided_at        BIGINT  NOT NULL DEFAULT 0,
    performer_deleted BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (booking_id, performer_id)
);
-- The performer's list.
CREATE INDEX webcam_invitations_performer ON webcam_invitations (performer_id, booking_id);

-- A member without a row has a balance of 0.
CREATE TABLE credit_balances (
    user_id INTEGER PRIMARY KEY REFERENCES members (user_id),
    balance BIGINT  NOT NULL CHECK (balance >= 0)
);

CREATE TABLE credit_ledger (
    entry_id      INTEGER PRIMARY KEY,
    user_id       BIGINT  NOT NULL REFERENCES members (user_id),
    amount        BIGINT  NOT NULL CHECK (amount <> 0), -- positive: credits in; negative: credits out
    balance_after BIGINT  NOT NULL CHECK (balance_after >= 0),
    description   TEXT    NOT NULL,
    booking_id    BIGINT  REFERENCES webcam_bookings (booking_id),
    created_at    BIGINT  NOT NULL
);
CREATE INDEX credit_ledger_user ON credit_ledger (user_id, entry_id);

-- +goose Down
DROP TABLE credit_ledger;
DROP TABLE credit_balances;
DROP TABLE webcam_invitations;
DROP TABLE webcam_bookings;
