-- +goose Up
-- DirectCam (api-v1.md §2.5): performers' settings, their scheduled shows with the shows' images, and
-- the paid sessions the sandbox records. Times are integer microseconds (0: not yet), money integer
-- hundredths of a credit, as elsewhere.
CREATE TABLE directcam_settings (
    user_id                  BIGINT  PRIMARY KEY REFERENCES members (user_id),
    does_free                BOOLEAN NOT NULL,
    allow_guest_free_preview BOOLEAN NOT NULL,
    free_time_mins           INTEGER NOT NULL,
    free_time_period         INTEGER NOT NULL,
    does_group               BOOLEAN NOT NULL,
    group_ppm                BIGINT  NOT NULL CHECK (group_ppm >= 0),
    does_private             BOOLEAN NOT NULL,
    private_ppm              BIGINT  NOT NULL CHECK (private_ppm >= 0),
    chat_only                BOOLEAN NOT NULL,
    does_audio_private       BOOLEAN NOT NULL,
    does_audio_group         BOOLEAN NOT NULL,
    does_audio_free          BOOLEAN NOT NULL,
    webcam_category_id       INTEGER NOT NULL,
    show_live_thumbnails     INTEGER NOT NULL,
    title                    TEXT    NOT NULL,
    updated_at               BIGINT  NOT NULL
);

CREATE TABLE directcam_shows (
    scheduled_id       INTEGER PRIMARY KEY,
    user_id            BIGINT  NOT NULL REFERENCES members (user_id),
    scheduled_date     BIGINT  NOT NULL,
    length_minutes     INTEGER NOT NULL CHECK (length_minutes > 0),
    end_at             BIGINT  NOT NULL, -- scheduled_date + length: the show has finished from then
    title              TEXT    NOT NULL,
    summary            TEXT    NOT NULL,
    details            TEXT    NOT NULL,
    webcam_category_id INTEGER NOT NULL,
    image_format       TEXT    NOT NULL CHECK (image_format IN ('jpeg', 'png')),
    image_safe         BOOLEAN NOT NULL DEFAULT FALSE,
    created_at         BIGINT  NOT NULL,
    updated_at         BIGINT  NOT NULL,
    cancelled_at       BIGINT  NOT NULL DEFAULT 0
);
-- A performer's list (getScheduledShowsForUser) and the upcoming shows the overlap check reads.
CREATE INDEX directcam_shows_user ON directcam_shows (user_id, scheduled_date, scheduled_id);

-- Images apart from the shows, so lists never read them.
CREATE TABLE directcam_show_images (
    scheduled_id BIGINT  PRIMARY KEY REFERENCES directcam_shows (scheduled_id) ON DELETE CASCADE,
    width        INTEGER NOT NULL,
    height       INTEGER NOT NULL,
    data         BLOB    NOT NULL
);

CREATE TABLE directcam_sessions (
    session_id   INTEGER PRIMARY KEY,
    performer_id BIGINT  NOT NULL REFERENCES members (user_id),
    client_id    BIGINT  NOT NULL REFERENCES members (user_id),
    mode         TEXT    NOT NULL CHECK (mode IN ('private', 'group')),
    minutes      INTEGER NOT NULL CHECK (minutes > 0),
    ppm          BIGINT  NOT NULL CHECK (ppm > 0),
    credits      BIGINT  NOT NULL CHECK (credits > 0),
    ran_at       BIGINT  NOT NULL
);

-- IsDirectCam now follows the settings (a member is DirectCam when their settings offer a show), and
-- nobody has settings yet.
UPDATE members SET is_directcam = FALSE WHERE is_directcam;

-- +goose Down
DROP TABLE directcam_sessions;
DROP TABLE directcam_show_images;
DROP TABLE directcam_shows;
DROP TABLE directcam_settings;
