-- +goose Up
-- One booking engine for every service (webcam now, phone chat next): webcam_bookings becomes
-- bookings, with the service it is for, a version that every change increments (the engine's
-- compare-and-set), and what only one service records as JSON details. Existing webcam bookings keep
-- their IDs, and the credit ledger's references follow the rename.
ALTER TABLE webcam_bookings RENAME TO bookings;
ALTER TABLE webcam_invitations RENAME TO booking_invitations;
ALTER TABLE bookings ADD COLUMN service TEXT NOT NULL DEFAULT 'Webcam';
ALTER TABLE bookings ADD COLUMN version BIGINT NOT NULL DEFAULT 0;
ALTER TABLE bookings ADD COLUMN details TEXT NOT NULL DEFAULT '{}';
UPDATE bookings SET details = json_object(
    'SoftwareTypeID', software_type_id,
    'SignInNameOrEmail', sign_in_name_or_email,
    'AlsoPhoneChat', json(CASE WHEN also_phone_chat THEN 'true' ELSE 'false' END),
    'SendSMSOnAccept', json(CASE WHEN send_sms_on_accept THEN 'true' ELSE 'false' END),
    'PhoneNumber', phone_number);
ALTER TABLE bookings DROP COLUMN software_type_id;
ALTER TABLE bookings DROP COLUMN sign_in_name_or_email;
ALTER TABLE bookings DROP COLUMN also_phone_chat;
ALTER TABLE bookings DROP COLUMN phone_number;
ALTER TABLE bookings DROP COLUMN send_sms_on_accept;
DROP INDEX webcam_bookings_client;
DROP INDEX webcam_bookings_unsettled;
DROP INDEX webcam_invitations_performer;
-- A client's list of one service, newest first by default.
CREATE INDEX bookings_client ON bookings (client_id, service, created_at, booking_id);
-- Settlement scans only the confirmed, unsettled bookings, by the end of their session.
CREATE INDEX bookings_unsettled ON bookings (session_end) WHERE status = 'Confirmed' AND settled_at = 0;
-- A performer's list.
CREATE INDEX booking_invitations_performer ON booking_invitations (performer_id, booking_id);

-- +goose Down
DROP INDEX booking_invitations_performer;
DROP INDEX bookings_unsettled;
DROP INDEX bookings_client;
ALTER TABLE bookings ADD COLUMN software_type_id INTEGER NOT NULL DEFAULT 0;
ALTER TABLE bookings ADD COLUMN sign_in_name_or_email TEXT NOT NULL DEFAULT '';
ALTER TABLE bookings ADD COLUMN also_phone_chat BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE bookings ADD COLUMN phone_number TEXT NOT NULL DEFAULT '';
ALTER TABLE bookings ADD COLUMN send_sms_on_accept BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE bookings SET software_type_id = COALESCE(details ->> 'SoftwareTypeID', 0),
    sign_in_name_or_email = COALESCE(details ->> 'SignInNameOrEmail', ''),
    also_phone_chat = COALESCE(details ->> 'AlsoPhoneChat', 0),
    phone_number = COALESCE(details ->> 'PhoneNumber', ''),
    send_sms_on_accept = COALESCE(details ->> 'SendSMSOnAccept', 0);
DELETE FROM booking_invitations WHERE booking_id IN (SELECT booking_id FROM bookings WHERE service <> 'Webcam');
UPDATE credit_ledger SET booking_id = NULL WHERE booking_id IN (SELECT booking_id FROM bookings WHERE service <> 'Webcam');
DELETE FROM bookings WHERE service <> 'Webcam';
ALTER TABLE bookings DROP COLUMN details;
ALTER TABLE bookings DROP COLUMN version;
ALTER TABLE bookings DROP COLUMN service;
ALTER TABLE booking_invitations RENAME TO webcam_invitations;
ALTER TABLE bookings RENAME TO webcam_bookings;
CREATE INDEX webcam_bookings_client ON webcam_bookings (client_id, created_at, booking_id);
CREATE INDEX webcam_bookings_unsettled ON webcam_bookings (session_end) WHERE status = 'Confirmed' AND settled_at = 0;
CREATE INDEX webcam_invitations_performer ON webcam_invitations (performer_id, booking_id);
