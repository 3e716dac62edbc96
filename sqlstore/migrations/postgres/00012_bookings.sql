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
UPDATE bookings SET details = jsonb_build_object(
    'SoftwareTypeID', software_type_id,
    'SignInNameOrEmail', sign_in_name_or_email,
    'AlsoPhoneChat', also_phone_chat,
    'SendSMSOnAccept', send_sms_on_accept,
    'PhoneNumber', phone_number)::text;
ALTER TABLE bookings DROP COLUMN software_type_id, DROP COLUMN sign_in_name_or_email, DROP COLUMN also_phone_chat,
    DROP COLUMN phone_number, DROP COLUMN send_sms_on_accept;
DROP INDEX webcam_bookings_client;
ALTER INDEX webcam_bookings_unsettled RENAME TO bookings_unsettled;
ALTER INDEX webcam_invitations_performer RENAME TO booking_invitations_performer;
-- A client's list of one service, newest first by default.
CREATE INDEX bookings_client ON bookings (client_id, service, created_at, booking_id);

-- +goose Down
DROP INDEX bookings_client;
ALTER INDEX booking_invitations_performer RENAME TO webcam_invitations_performer;
ALTER INDEX bookings_unsettled RENAME TO webcam_bookings_unsettled;
ALTER TABLE bookings ADD COLUMN software_type_id INTEGER NOT NULL DEFAULT 0,
    ADD COLUMN sign_in_name_or_email TEXT NOT NULL DEFAULT '', ADD COLUMN also_phone_chat BOOLEAN NOT NULL DEFAULT FALSE,
    ADD COLUMN phone_number TEXT NOT NULL DEFAULT '', ADD COLUMN send_sms_on_accept BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE bookings SET software_type_id = COALESCE((details::jsonb ->> 'SoftwareTypeID')::int, 0),
    sign_in_name_or_email = COALESCE(details::jsonb ->> 'SignInNameOrEmail', ''),
    also_phone_chat = COALESCE((details::jsonb ->> 'AlsoPhoneChat')::boolean, FALSE),
    phone_number = COALESCE(details::jsonb ->> 'PhoneNumber', ''),
    send_sms_on_accept = COALESCE((details::jsonb ->> 'SendSMSOnAccept')::boolean, FALSE);
DELETE FROM booking_invitations WHERE booking_id IN (SELECT booking_id FROM bookings WHERE service <> 'Webcam');
UPDATE credit_ledger SET booking_id = NULL WHERE booking_id IN (SELECT booking_id FROM bookings WHERE service <> 'Webcam');
DELETE FROM bookings WHERE service <> 'Webcam';
ALTER TABLE bookings DROP COLUMN details, DROP COLUMN version, DROP COLUMN service;
ALTER TABLE booking_invitations RENAME TO webcam_invitations;
ALTER TABLE bookings RENAME TO webcam_bookings;
CREATE INDEX webcam_bookings_client ON webcam_bookings (client_id, created_at, booking_id);
