-- Demo data for development: four users sharing the password "cruddur-dev",
-- their cruds, replies, likes and follows. Safe to run again: fixed uuids,
-- ON CONFLICT clauses, and times refreshed so the cruds are live after a re-run.

INSERT INTO users (uuid, handle, email, display_name, bio, password_hash) VALUES
    ('23a05d14-a6d6-4282-8a42-b683c8111ab9', 'andrewbrown', 'andrewbrown@example.com', 'Andrew Brown', 'Founder of the AWS Cloud Project Bootcamp.', '$2a$10$Sz0YO9q10ThGkN3QfLa7F.93g9SefqpMfqrFwdi2uOIspc3a/gSxS'),
    ('77ce252e-31ee-42ab-9348-564d26f364a0', 'altbrown',    'altbrown@example.com',    'Alt Brown',    'The other Andrew.',                          '$2a$10$Sz0YO9q10ThGkN3QfLa7F.93g9SefqpMfqrFwdi2uOIspc3a/gSxS'),
    ('3af4d3e7-5702-484e-8a87-e4a932c2d98e', 'bayko',       'bayko@example.com',       'Andrew Bayko', 'Cloud engineer, Cruddur regular.',           '$2a$10$Sz0YO9q10ThGkN3QfLa7F.93g9SefqpMfqrFwdi2uOIspc3a/gSxS'),
    ('2df36ebe-55a8-44a1-8b05-2ab51a81445f', 'londo',       'londo@example.com',       'Londo Mollari','Ambassador. Collector of fine cruds.',       '$2a$10$Sz0YO9q10ThGkN3QfLa7F.93g9SefqpMfqrFwdi2uOIspc3a/gSxS')
ON CONFLICT DO NOTHING;

-- Cruds: (uuid, handle, message, age, lifetime).
INSERT INTO activities (uuid, user_uuid, message, created_at, expires_at)
SELECT v.uuid::uuid, u.uuid, v.message, now() - v.age::interval, now() - v.age::interval + v.lifetime::interval
FROM (VALUES
    ('05bd861f-12de-4c7e-a095-45e431aef3db', 'andrewbrown', 'Cloud is very fun! Week 1 is all about containers. #100DaysOfCloud', '10 minutes', '7 days'),
    ('21cda2b8-415f-431e-836e-5e4c5cb06258', 'andrewbrown', 'Remember: multi-stage builds keep your images small. #Docker #100DaysOfCloud', '3 hours', '30 days'),
    ('e9af44ce-0cf4-4ecb-8b2c-194836f8e171', 'andrewbrown', 'Who else is documenting their notifications endpoint in OpenAPI today?', '1 day', '3 days'),
    ('2ce0a568-a103-4228-8eeb-1005527e11d7', 'altbrown',    'I am the other Andrew. This was imported as seed data!', '2 hours', '1 day'),
    ('a510b1fe-46a0-48a9-ba53-96dd14911bea', 'altbrown',    'DynamoDB single-table design finally clicked for me. #AWS', '2 days', '7 days'),
    ('398faa5f-3a0d-4bb0-8a0d-4457128f27ba', 'bayko',       'Just got docker compose up with every service healthy. #100DaysOfCloud', '30 minutes', '12 hours'),
    ('9553d46b-b1fb-42a7-9737-58464b83f005', 'bayko',       'Hot take: healthchecks are the most underrated line in a compose file.', '5 hours', '7 days'),
    ('e90b2fd4-61f9-4d81-bca7-d9db07d34d76', 'londo',       'Ah, the cloud. So many regions, so little time. #AWS', '45 minutes', '3 days'),
    ('f124257f-d89f-4fab-9afc-43c70d26bdfc', 'londo',       'Posting from the embassy. Cruds expire, but glory is forever.', '6 hours', '30 days'),
    ('cb0907d8-9d46-4511-b020-a8013769c71b', 'londo',       '@andrewbrown your bootcamp is the talk of the embassy.', '15 minutes', '7 days')
) AS v (uuid, handle, message, age, lifetime)
JOIN users u ON u.handle = v.handle
ON CONFLICT (uuid) DO UPDATE SET created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at;

-- Replies: (uuid, handle, crud uuid, message, age); they expire with their crud.
INSERT INTO activities (uuid, user_uuid, message, reply_to_activity_uuid, created_at, expires_at)
SELECT v.uuid::uuid, u.uuid, v.message, p.uuid, now() - v.age::interval, p.expires_at
FROM (VALUES
    ('3fbaf444-631e-4dd7-a605-93bcd6a5d389', 'bayko',       '05bd861f-12de-4c7e-a095-45e431aef3db', 'Containers all the way down!', '5 minutes'),
    ('1e0408b8-b2a4-4f2d-ac2a-af76d53a64a4', 'londo',       '05bd861f-12de-4c7e-a095-45e431aef3db', 'This crud has honour.', '2 minutes'),
    ('78cfe375-88fe-4a95-a8cc-32c1c22a62ca', 'andrewbrown', '398faa5f-3a0d-4bb0-8a0d-4457128f27ba', 'Nice work! Now try the prod target.', '20 minutes'),
    ('d2c39c53-f334-4025-ac08-94483411702a', 'altbrown',    'e90b2fd4-61f9-4d81-bca7-d9db07d34d76', 'Pick us-east-1 and never look back.', '40 minutes')
) AS v (uuid, handle, parent, message, age)
JOIN users u ON u.handle = v.handle
JOIN activities p ON p.uuid = v.parent::uuid
ON CONFLICT (uuid) DO UPDATE SET created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at;

INSERT INTO likes (activity_uuid, user_uuid)
SELECT v.activity::uuid, u.uuid
FROM (VALUES
    ('05bd861f-12de-4c7e-a095-45e431aef3db', 'bayko'),
    ('05bd861f-12de-4c7e-a095-45e431aef3db', 'londo'),
    ('05bd861f-12de-4c7e-a095-45e431aef3db', 'altbrown'),
    ('21cda2b8-415f-431e-836e-5e4c5cb06258', 'bayko'),
    ('398faa5f-3a0d-4bb0-8a0d-4457128f27ba', 'andrewbrown'),
    ('e90b2fd4-61f9-4d81-bca7-d9db07d34d76', 'andrewbrown'),
    ('3fbaf444-631e-4dd7-a605-93bcd6a5d389', 'andrewbrown')
) AS v (activity, handle)
JOIN users u ON u.handle = v.handle
JOIN activities a ON a.uuid = v.activity::uuid
ON CONFLICT DO NOTHING;

INSERT INTO reposts (activity_uuid, user_uuid)
SELECT v.activity::uuid, u.uuid
FROM (VALUES
    ('05bd861f-12de-4c7e-a095-45e431aef3db', 'bayko'),
    ('9553d46b-b1fb-42a7-9737-58464b83f005', 'andrewbrown')
) AS v (activity, handle)
JOIN users u ON u.handle = v.handle
JOIN activities a ON a.uuid = v.activity::uuid
ON CONFLICT DO NOTHING;

INSERT INTO follows (follower_uuid, followee_uuid)
SELECT f.uuid, t.uuid
FROM (VALUES
    ('bayko', 'andrewbrown'), ('londo', 'andrewbrown'), ('altbrown', 'andrewbrown'),
    ('andrewbrown', 'bayko'), ('andrewbrown', 'londo')
) AS v (follower, followee)
JOIN users f ON f.handle = v.follower
JOIN users t ON t.handle = v.followee
ON CONFLICT DO NOTHING;

-- Counters are kept by the API in the same transaction as each write; the
-- seed writes rows directly, so it sets them from the rows.
UPDATE activities a SET
    likes_count   = (SELECT count(*) FROM likes l WHERE l.activity_uuid = a.uuid),
    reposts_count = (SELECT count(*) FROM reposts r WHERE r.activity_uuid = a.uuid),
    replies_count = (SELECT count(*) FROM activities c WHERE c.reply_to_activity_uuid = a.uuid)
WHERE a.user_uuid IN (SELECT uuid FROM users WHERE handle IN ('andrewbrown', 'altbrown', 'bayko', 'londo'));
