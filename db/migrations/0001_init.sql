-- Users, cruds (activities), likes, reposts, follows and sign-in sessions.

CREATE TABLE users (
    uuid          uuid PRIMARY KEY,
    handle        text NOT NULL CHECK (handle ~ '^[a-z0-9_]{3,30}$'),
    email         text NOT NULL CHECK (email = lower(email) AND email LIKE '%_@_%'),
    display_name  text NOT NULL CHECK (char_length(btrim(display_name)) BETWEEN 1 AND 50),
    bio           text NOT NULL DEFAULT '' CHECK (char_length(bio) <= 160),
    password_hash text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);
-- Handles and emails are stored lower-cased, so plain unique indexes make them
-- unique case-insensitively.
CREATE UNIQUE INDEX users_handle_key ON users (handle);
CREATE UNIQUE INDEX users_email_key ON users (email);

-- A crud is an activity with no reply_to_activity_uuid; a reply has one and
-- expires with its crud.
CREATE TABLE activities (
    uuid                   uuid PRIMARY KEY,
    user_uuid              uuid NOT NULL REFERENCES users (uuid) ON DELETE CASCADE,
    message                text NOT NULL,
    reply_to_activity_uuid uuid REFERENCES activities (uuid) ON DELETE CASCADE,
    likes_count            integer NOT NULL DEFAULT 0 CHECK (likes_count >= 0),
    replies_count          integer NOT NULL DEFAULT 0 CHECK (replies_count >= 0),
    reposts_count          integer NOT NULL DEFAULT 0 CHECK (reposts_count >= 0),
    created_at             timestamptz NOT NULL DEFAULT now(),
    expires_at             timestamptz NOT NULL,
    search                 tsvector GENERATED ALWAYS AS (to_tsvector('english', message)) STORED,
    CHECK (btrim(message) <> ''),
    CHECK (char_length(message) <= CASE WHEN reply_to_activity_uuid IS NULL THEN 280 ELSE 1024 END),
    CHECK (expires_at > created_at)
);
-- Home feed: newest top-level cruds first, keyset-paginated on (created_at, uuid).
CREATE INDEX activities_home_idx ON activities (created_at DESC, uuid DESC)
    WHERE reply_to_activity_uuid IS NULL;
-- A user's feed and profile counts.
CREATE INDEX activities_user_idx ON activities (user_uuid, created_at DESC, uuid DESC)
    WHERE reply_to_activity_uuid IS NULL;
-- Replies embedded under their crud, oldest first.
CREATE INDEX activities_replies_idx ON activities (reply_to_activity_uuid, created_at, uuid)
    WHERE reply_to_activity_uuid IS NOT NULL;
CREATE INDEX activities_search_idx ON activities USING gin (search);

CREATE TABLE likes (
    activity_uuid uuid NOT NULL REFERENCES activities (uuid) ON DELETE CASCADE,
    user_uuid     uuid NOT NULL REFERENCES users (uuid) ON DELETE CASCADE,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (activity_uuid, user_uuid)
);
CREATE INDEX likes_user_idx ON likes (user_uuid);

CREATE TABLE reposts (
    activity_uuid uuid NOT NULL REFERENCES activities (uuid) ON DELETE CASCADE,
    user_uuid     uuid NOT NULL REFERENCES users (uuid) ON DELETE CASCADE,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (activity_uuid, user_uuid)
);
CREATE INDEX reposts_user_idx ON reposts (user_uuid);

CREATE TABLE follows (
    follower_uuid uuid NOT NULL REFERENCES users (uuid) ON DELETE CASCADE,
    followee_uuid uuid NOT NULL REFERENCES users (uuid) ON DELETE CASCADE,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (follower_uuid, followee_uuid),
    CHECK (follower_uuid <> followee_uuid)
);
CREATE INDEX follows_followee_idx ON follows (followee_uuid);

-- Only the SHA-256 of a sign-in token is kept: a leaked table holds no usable token.
CREATE TABLE sessions (
    token_hash bytea PRIMARY KEY CHECK (octet_length(token_hash) = 32),
    user_uuid  uuid NOT NULL REFERENCES users (uuid) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL
);
CREATE INDEX sessions_user_idx ON sessions (user_uuid);
