-- +goose Up
-- The public profile read model (api-v1.md §5 "Profile summary object", §2.13, §2.16): what a profile
-- shows beyond the core account columns, the denormalised counters search orders by, profile images
-- and escort tours. Only the facts are stored: image URLs are derived from (user_id, image_no), and
-- availability is evaluated against the clock when read.
ALTER TABLE members ADD COLUMN nationality_id INTEGER NOT NULL DEFAULT 0; -- a CountryID; 0: not given
ALTER TABLE members ADD COLUMN details TEXT NOT NULL DEFAULT ''; -- the About-You details text
ALTER TABLE members ADD COLUMN tvts BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE members ADD COLUMN does_in_calls BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE members ADD COLUMN does_out_calls BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE members ADD COLUMN is_directcam BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE members ADD COLUMN is_directchat BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE members ADD COLUMN has_gallery BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE members ADD COLUMN has_private_gallery BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE members ADD COLUMN has_movie_clips BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE members ADD COLUMN has_movie_rentals BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE members ADD COLUMN has_sale_items BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE members ADD COLUMN has_blog BOOLEAN NOT NULL DEFAULT FALSE;
-- Availability: escort for one calendar day (yyyymmdd in the server's zone, 0: none); webcam and phone
-- chat "now" until an instant (microseconds, 0: not available).
ALTER TABLE members ADD COLUMN available_escort_day INTEGER NOT NULL DEFAULT 0;
ALTER TABLE members ADD COLUMN webcam_available_until BIGINT NOT NULL DEFAULT 0;
ALTER TABLE members ADD COLUMN phonechat_available_until BIGINT NOT NULL DEFAULT 0;
-- Denormalised counters, kept in step by the store in the same transaction as the rows they count, so
-- ordering by views or rating is an index scan: views = all-time profile-page views (member_views kind
-- 1); rating_* count the member's ratings by score, rating_disputes those under dispute, and
-- rating_score = positive - negative (the Ratings block's Total).
ALTER TABLE members ADD COLUMN views BIGINT NOT NULL DEFAULT 0;
ALTER TABLE members ADD COLUMN rating_positive INTEGER NOT NULL DEFAULT 0;
ALTER TABLE members ADD COLUMN rating_neutral INTEGER NOT NULL DEFAULT 0;
ALTER TABLE members ADD COLUMN rating_negative INTEGER NOT NULL DEFAULT 0;
ALTER TABLE members ADD COLUMN rating_disputes INTEGER NOT NULL DEFAULT 0;
ALTER TABLE members ADD COLUMN rating_score INTEGER NOT NULL DEFAULT 0;
ALTER TABLE ratings ADD COLUMN disputed BOOLEAN NOT NULL DEFAULT FALSE;

-- Search reads only active members offering services; partial indexes keep to those rows. Queries
-- must repeat the predicate literally ("is_active AND user_type_id = 1") for both planners to use them.
-- The last-updated orderings (the default) carry gender and birth date too, so the typical client query
-- (gender + age + place, newest first) and its deep pages are answered from the index alone.
CREATE INDEX members_public_updated ON members (last_updated, user_id, gender_id, birth_date) WHERE is_active AND user_type_id = 1;
CREATE INDEX members_public_country_updated ON members (country_id, last_updated, user_id, gender_id, birth_date) WHERE is_active AND user_type_id = 1;
CREATE INDEX members_public_country_gender_age ON members (country_id, gender_id, birth_date) WHERE is_active AND user_type_id = 1;
CREATE INDEX members_public_region_updated ON members (region_id, last_updated, user_id, gender_id, birth_date) WHERE is_active AND user_type_id = 1;
CREATE INDEX members_public_county_updated ON members (county_id, last_updated, user_id, gender_id, birth_date) WHERE is_active AND user_type_id = 1;
CREATE INDEX members_public_post_code ON members (post_code, last_updated, user_id, gender_id, birth_date) WHERE is_active AND user_type_id = 1;
CREATE INDEX members_public_rating ON members (rating_score, user_id) WHERE is_active AND user_type_id = 1;
CREATE INDEX members_public_views ON members (views, user_id) WHERE is_active AND user_type_id = 1;
CREATE INDEX members_public_age ON members (birth_date, user_id) WHERE is_active AND user_type_id = 1;
CREATE INDEX members_public_registered ON members (registered_at, user_id) WHERE is_active AND user_type_id = 1;
CREATE INDEX members_public_nickname ON members (nickname_lower) WHERE is_active AND user_type_id = 1;

-- Profile images 1..5; the URLs (thumbnail, medium, large, square) are derived, never stored. safe: a
-- moderator judged the image suitable for minors (X-MaskImages).
CREATE TABLE member_images (
    user_id     BIGINT  NOT NULL REFERENCES members (user_id),
    image_no    INTEGER NOT NULL CHECK (image_no BETWEEN 1 AND 5),
    safe        BOOLEAN NOT NULL DEFAULT FALSE,
    description TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (user_id, image_no)
);

-- Escort tours: a member visiting a place on calendar days date_from..date_to (yyyymmdd in the
-- server's zone, inclusive). IsOnTour reads the tour covering today; searchTours reads by place.
CREATE TABLE tours (
    tour_id    BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    user_id    BIGINT  NOT NULL REFERENCES members (user_id),
    country_id INTEGER NOT NULL,
    region_id  INTEGER NOT NULL DEFAULT 0,
    county_id  INTEGER NOT NULL DEFAULT 0,
    town       TEXT    NOT NULL DEFAULT '',
    post_code  TEXT    NOT NULL DEFAULT '', -- outward code, for proximity
    date_from  INTEGER NOT NULL,
    date_to    INTEGER NOT NULL,
    created    BIGINT  NOT NULL,
    CHECK (date_from <= date_to)
);
CREATE INDEX tours_user ON tours (user_id, date_to);
CREATE INDEX tours_place ON tours (country_id, region_id, date_from);
CREATE INDEX tours_dates ON tours (date_to, date_from);

-- +goose Down
DROP TABLE tours;
DROP TABLE member_images;
DROP INDEX members_public_nickname;
DROP INDEX members_public_registered;
DROP INDEX members_public_age;
DROP INDEX members_public_views;
DROP INDEX members_public_rating;
DROP INDEX members_public_post_code;
DROP INDEX members_public_county_updated;
DROP INDEX members_public_region_updated;
DROP INDEX members_public_country_gender_age;
DROP INDEX members_public_country_updated;
DROP INDEX members_public_updated;
ALTER TABLE ratings DROP COLUMN disputed;
ALTER TABLE members DROP COLUMN rating_score;
ALTER TABLE members DROP COLUMN rating_disputes;
ALTER TABLE members DROP COLUMN rating_negative;
ALTER TABLE members DROP COLUMN rating_neutral;
ALTER TABLE members DROP COLUMN rating_positive;
ALTER TABLE members DROP COLUMN views;
ALTER TABLE members DROP COLUMN phonechat_available_until;
ALTER TABLE members DROP COLUMN webcam_available_until;
ALTER TABLE members DROP COLUMN available_escort_day;
ALTER TABLE members DROP COLUMN has_blog;
ALTER TABLE members DROP COLUMN has_sale_items;
ALTER TABLE members DROP COLUMN has_movie_rentals;
ALTER TABLE members DROP COLUMN has_movie_clips;
ALTER TABLE members DROP COLUMN has_private_gallery;
ALTER TABLE members DROP COLUMN has_gallery;
ALTER TABLE members DROP COLUMN is_directchat;
ALTER TABLE members DROP COLUMN is_directcam;
ALTER TABLE members DROP COLUMN does_out_calls;
ALTER TABLE members DROP COLUMN does_in_calls;
ALTER TABLE members DROP COLUMN tvts;
ALTER TABLE members DROP COLUMN details;
ALTER TABLE members DROP COLUMN nationality_id;
