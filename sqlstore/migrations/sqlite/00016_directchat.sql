-- +goose Up
-- DirectChat (api-v1.md §2.6, §4.2; docs/directchat.md): performers' settings (the block nested in
-- PhoneChat settings), the PINs clients hold to call a performer's line, and the calls made with them.
-- Times are integer microseconds (0: not yet), money integer hundredths of a credit, as elsewhere.
CREATE TABLE directchat_settings (
    user_id           BIGINT  PRIMARY KEY REFERENCES members (user_id),
    offer_directchat  BOOLEAN NOT NULL,
    ppm               BIGINT  NOT NULL CHECK (ppm >= 0),
    available_now     BOOLEAN NOT NULL,
    available_from    INTEGER NOT NULL CHECK (available_from BETWEEN 0 AND 1439),
    available_until   INTEGER NOT NULL CHECK (available_until BETWEEN 0 AND 1439),
    max_call_minutes  INTEGER NOT NULL CHECK (max_call_minutes >= 0),
    updated_at        BIGINT  NOT NULL
);

-- A removed PIN keeps its row (removed_at > 0) so its calls keep their PIN; a live PIN is unique, and a
-- client holds at most one live PIN per performer.
CREATE TABLE directchat_pins (
    pin_id       INTEGER PRIMARY KEY,
    pin          TEXT    NOT NULL,
    client_id    BIGINT  NOT NULL REFERENCES members (user_id),
    performer_id BIGINT  NOT NULL REFERENCES members (user_id),
    created_at   BIGINT  NOT NULL,
    removed_at   BIGINT  NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX directchat_pins_live ON directchat_pins (pin) WHERE removed_at = 0;
CREATE UNIQUE INDEX directchat_pins_pair ON directchat_pins (client_id, performer_id) WHERE removed_at = 0;

-- ended_at 0: the call is in progress. minutes and credits are what was paid so far.
CREATE TABLE directchat_calls (
    call_id      INTEGER PRIMARY KEY,
    pin_id       BIGINT  NOT NULL REFERENCES directchat_pins (pin_id),
    client_id    BIGINT  NOT NULL REFERENCES members (user_id),
    performer_id BIGINT  NOT NULL REFERENCES members (user_id),
    ppm          BIGINT  NOT NULL CHECK (ppm > 0),
    max_minutes  INTEGER NOT NULL CHECK (max_minutes > 0),
    started_at   BIGINT  NOT NULL,
    ended_at     BIGINT  NOT NULL DEFAULT 0,
    minutes      INTEGER NOT NULL CHECK (minutes >= 0),
    credits      BIGINT  NOT NULL CHECK (credits >= 0),
    cut          BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX directchat_calls_pin ON directchat_calls (pin_id, started_at);
-- At most one call in progress per PIN, whatever races.
CREATE UNIQUE INDEX directchat_calls_in_progress ON directchat_calls (pin_id) WHERE ended_at = 0;

-- IsDirectChat now follows the settings, and nobody has settings yet.
UPDATE members SET is_directchat = FALSE WHERE is_directchat;

-- +goose Down
DROP TABLE directchat_calls;
DROP TABLE directchat_pins;
DROP TABLE directchat_settings;
