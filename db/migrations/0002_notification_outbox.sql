-- Notifications are born in PostgreSQL, in the same transaction as the
-- reply, like, repost, mention or follow that causes them, and delivered to
-- DynamoDB by the outbox dispatcher, which deletes a row only once DynamoDB
-- has it.

-- At most one notification per (recipient, type, actor, target): like,
-- unlike, like again notifies once.
CREATE TABLE notification_keys (
    recipient_uuid uuid NOT NULL,
    type           text NOT NULL,
    actor_uuid     uuid NOT NULL,
    target_uuid    uuid NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (recipient_uuid, type, actor_uuid, target_uuid)
);

CREATE TABLE notification_outbox (
    id                 uuid PRIMARY KEY, -- UUIDv7, the notification's id in DynamoDB
    recipient_uuid     uuid NOT NULL REFERENCES users (uuid) ON DELETE CASCADE,
    type               text NOT NULL CHECK (type IN ('reply', 'like', 'repost', 'mention', 'follow', 'message')),
    actor_uuid         uuid NOT NULL,
    actor_handle       text NOT NULL,
    actor_display_name text NOT NULL,
    subject_uuid       uuid NOT NULL,
    activity_uuid      uuid,
    message            text NOT NULL DEFAULT '',
    created_at         timestamptz NOT NULL DEFAULT now(),
    expires_at         timestamptz NOT NULL,
    attempts           integer NOT NULL DEFAULT 0,
    next_attempt_at    timestamptz NOT NULL DEFAULT now(),
    last_error         text,
    CHECK (recipient_uuid <> actor_uuid)
);
CREATE INDEX notification_outbox_due_idx ON notification_outbox (next_attempt_at, id);
