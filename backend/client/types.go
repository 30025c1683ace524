package client

import (
	"time"

	"github.com/google/uuid"
)

// Activity is a crud, or a reply when ReplyToActivityUUID is set. The JSON
// names are Cruddur's.
type Activity struct {
	UUID                uuid.UUID  `json:"uuid"`
	DisplayName         string     `json:"display_name"`
	Handle              string     `json:"handle"`
	Message             string     `json:"message"`
	CreatedAt           time.Time  `json:"created_at"`
	ExpiresAt           time.Time  `json:"expires_at"`
	LikesCount          int        `json:"likes_count"`
	RepliesCount        int        `json:"replies_count"`
	RepostsCount        int        `json:"reposts_count"`
	ReplyToActivityUUID *uuid.UUID `json:"reply_to_activity_uuid"`
	// Liked and Reposted are the signed-in user's own like and repost.
	Liked    bool `json:"liked"`
	Reposted bool `json:"reposted"`
	// Replies is present on cruds (empty when there are none), absent on replies.
	Replies []Activity `json:"replies,omitzero"`
}

// UserShort is the small user record of GET /api/users/@{handle}/short.
type UserShort struct {
	UUID        uuid.UUID `json:"uuid"`
	Handle      string    `json:"handle"`
	DisplayName string    `json:"display_name"`
}

// Me is the signed-in user.
type Me struct {
	UUID        uuid.UUID `json:"uuid"`
	Handle      string    `json:"handle"`
	DisplayName string    `json:"display_name"`
	Bio         string    `json:"bio"`
	Email       string    `json:"email"`
	CreatedAt   time.Time `json:"created_at"`
}

// Profile is a user's page heading.
type Profile struct {
	UUID           uuid.UUID `json:"uuid"`
	Handle         string    `json:"handle"`
	DisplayName    string    `json:"display_name"`
	Bio            string    `json:"bio"`
	CreatedAt      time.Time `json:"created_at"`
	CrudsCount     int       `json:"cruds_count"`
	FollowersCount int       `json:"followers_count"`
	FollowingCount int       `json:"following_count"`
	// Following says whether the signed-in user follows them.
	Following bool `json:"following"`
}

// Session is the answer to signup and signin.
type Session struct {
	Token string `json:"token"`
	User  Me     `json:"user"`
}

// Health is the answer to GET /api/health-check.
type Health struct {
	Success      bool              `json:"success"`
	Version      string            `json:"version"`
	Dependencies map[string]string `json:"dependencies"`
}

// Signup is the body of POST /api/auth/signup.
type Signup struct {
	DisplayName string `json:"display_name"`
	Handle      string `json:"handle"`
	Email       string `json:"email"`
	Password    string `json:"password"`
}

// Signin is the body of POST /api/auth/signin; Login is a handle or an email.
type Signin struct {
	Login    string `json:"login"`
	Password string `json:"password"`
}

// NewActivity is the body of POST /api/activities.
type NewActivity struct {
	Message string `json:"message"`
	TTL     string `json:"ttl"`
}

// NewReply is the body of POST /api/activities/{uuid}/reply.
type NewReply struct {
	Message string `json:"message"`
}

// ProfileUpdate is the body of POST /api/profile/update.
type ProfileUpdate struct {
	DisplayName string `json:"display_name"`
	Bio         string `json:"bio"`
}

// ErrorBody is every error answer: {"errors": ["code", ...]}.
type ErrorBody struct {
	Errors []string `json:"errors"`
}

// TTLs are the lifetimes a crud may have, longest first, as the crud form lists them.
var TTLs = []string{"30-days", "7-days", "3-days", "1-day", "12-hours", "3-hours", "1-hour"}

// Notification is one item of GET /api/activities/notifications: shaped like
// an activity, so week-1 pages render it unchanged, plus what happened.
type Notification struct {
	UUID           uuid.UUID  `json:"uuid"`
	NotificationID uuid.UUID  `json:"notification_id"`
	Type           string     `json:"type"`
	Read           bool       `json:"read"`
	ActivityUUID   *uuid.UUID `json:"activity_uuid"`
	Handle         string     `json:"handle"`
	DisplayName    string     `json:"display_name"`
	Message        string     `json:"message"`
	CreatedAt      time.Time  `json:"created_at"`
	ExpiresAt      time.Time  `json:"expires_at"`
	LikesCount     int        `json:"likes_count"`
	RepliesCount   int        `json:"replies_count"`
	RepostsCount   int        `json:"reposts_count"`
	Actor          UserShort  `json:"actor"`
}

// UnreadCount is the answer to GET /api/notifications/unread_count.
type UnreadCount struct {
	Count int `json:"count"`
}

// MarkRead is the body of POST /api/notifications/read: all unread, or
// those up to and including UpTo.
type MarkRead struct {
	UpTo *uuid.UUID `json:"up_to,omitempty"`
}

// Marked is the answer to POST /api/notifications/read.
type Marked struct {
	Marked int `json:"marked"`
}

// MessageGroup is one of my conversations (Cruddur's shape): the other
// member and the last message.
type MessageGroup struct {
	UUID        uuid.UUID `json:"uuid"`
	DisplayName string    `json:"display_name"`
	Handle      string    `json:"handle"`
	Message     string    `json:"message"`
	CreatedAt   time.Time `json:"created_at"`
}

// Message is a direct message; display_name and handle are the sender's.
type Message struct {
	UUID             uuid.UUID `json:"uuid"`
	MessageGroupUUID uuid.UUID `json:"message_group_uuid"`
	DisplayName      string    `json:"display_name"`
	Handle           string    `json:"handle"`
	Message          string    `json:"message"`
	CreatedAt        time.Time `json:"created_at"`
}

// NewMessage is the body of POST /api/messages: to a handle (a new or
// existing conversation) or to a message group.
type NewMessage struct {
	Message          string `json:"message"`
	Handle           string `json:"handle,omitempty"`
	MessageGroupUUID string `json:"message_group_uuid,omitempty"`
}

// NotificationTypes lists the kinds of notification.
var NotificationTypes = []string{"reply", "like", "repost", "mention", "follow", "message"}

// Hashtag is a trending tag and how many live cruds use it.
type Hashtag struct {
	Hashtag string `json:"hashtag"`
	Count   int    `json:"count"`
}
