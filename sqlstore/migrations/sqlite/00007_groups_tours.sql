-- +goose Up
-- Groups in public (api-v1.md §2.9 getGroupDetails) and escort tours (§2.17 searchTours): the group's
-- own page (details, contact, place, opening hours, images) and members' escort rates per rate break,
-- which getGroupDetails shows and orders by (inrates-*/outrates-* use the 1-hour rate). Image URLs are
-- derived from (group_id, image_no), never stored. Prices are integer hundredths of a credit.
ALTER TABLE groups ADD COLUMN details TEXT NOT NULL DEFAULT '';
ALTER TABLE groups ADD COLUMN website TEXT NOT NULL DEFAULT '';
ALTER TABLE groups ADD COLUMN phone_number TEXT NOT NULL DEFAULT '';
ALTER TABLE groups ADD COLUMN country_id INTEGER NOT NULL DEFAULT 0;
ALTER TABLE groups ADD COLUMN region_id INTEGER NOT NULL DEFAULT 0;
ALTER TABLE groups ADD COLUMN county_id INTEGER NOT NULL DEFAULT 0;
ALTER TABLE groups ADD COLUMN town TEXT NOT NULL DEFAULT '';
ALTER TABLE groups ADD COLUMN post_code TEXT NOT NULL DEFAULT '';
-- getGroupDetails finds a group by GroupName case-insensitively.
CREATE INDEX groups_name_lower ON groups (LOWER(group_name));

-- The days a group opens (0 Sunday .. 6 Saturday); a day without a row is closed. Minutes after
-- midnight; closes <= opens means it closes after midnight.
CREATE TABLE group_opening_hours (
    group_id BIGINT  NOT NULL REFERENCES groups (group_id),
    weekday  INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 6),
    opens    INTEGER NOT NULL CHECK (opens BETWEEN 0 AND 1439),
    closes   INTEGER NOT NULL CHECK (closes BETWEEN 0 AND 1439),
    PRIMARY KEY (group_id, weekday)
);

CREATE TABLE group_images (
    group_id    BIGINT  NOT NULL REFERENCES groups (group_id),
    image_no    INTEGER NOT NULL CHECK (image_no BETWEEN 1 AND 5),
    safe        BOOLEAN NOT NULL DEFAULT FALSE,
    description TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (group_id, image_no)
);

-- A member's escort prices per rate break (refdata escort rate breaks); NULL: that kind of call is not
-- offered for the break.
CREATE TABLE member_escort_rates (
    user_id       BIGINT  NOT NULL REFERENCES members (user_id),
    rate_break_id INTEGER NOT NULL,
    in_call       BIGINT  CHECK (in_call > 0),
    out_call      BIGINT  CHECK (out_call > 0),
    PRIMARY KEY (user_id, rate_break_id)
);

-- A group's members in the default order (last updated) straight from the index.
CREATE INDEX members_group_updated ON members (group_id, last_updated, user_id) WHERE group_id IS NOT NULL AND is_active;

-- searchTours: the place index of 00005 serves country + region (+ date); proximity joins on post code.
CREATE INDEX tours_post_code ON tours (post_code, date_from);

-- +goose Down
DROP INDEX tours_post_code;
DROP INDEX members_group_updated;
DROP TABLE member_escort_rates;
DROP TABLE group_images;
DROP TABLE group_opening_hours;
DROP INDEX groups_name_lower;
ALTER TABLE groups DROP COLUMN post_code;
ALTER TABLE groups DROP COLUMN town;
ALTER TABLE groups DROP COLUMN county_id;
ALTER TABLE groups DROP COLUMN region_id;
ALTER TABLE groups DROP COLUMN country_id;
ALTER TABLE groups DROP COLUMN phone_number;
ALTER TABLE groups DROP COLUMN website;
ALTER TABLE groups DROP COLUMN details;
