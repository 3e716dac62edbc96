-- +goose Up
-- PhoneChat (api-v1.md §2.14): performers' phone-chat settings. Phone-chat bookings are bookings of the
-- shared engine (service 'PhoneChat', migration 00012); only the settings are new (OfferDirectChat and the
-- nested DirectChat block are DirectChat's settings, migration 00016). Money is integer
-- hundredths of a credit and times integer microseconds (0: never), as elsewhere.
CREATE TABLE phonechat_settings (
    user_id               BIGINT  PRIMARY KEY REFERENCES members (user_id),
    phonechat_number      TEXT    NOT NULL, -- '': the performer places every call
    show_phonechat_number BOOLEAN NOT NULL,
    phonechat_ppm         BIGINT  NOT NULL CHECK (phonechat_ppm > 0),
    offer_skype           BOOLEAN NOT NULL,
    available_until       BIGINT  NOT NULL,
    updated_at            BIGINT  NOT NULL
);
-- HasPhoneNumber in profiles and search: the member shows a phone-chat number (kept in step with the
-- settings in the transaction that saves them), besides a mobile number on the account.
ALTER TABLE members ADD COLUMN phonechat_number_shown BOOLEAN NOT NULL DEFAULT FALSE;

-- +goose Down
ALTER TABLE members DROP COLUMN phonechat_number_shown;
DROP TABLE phonechat_settings;
