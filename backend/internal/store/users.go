package store

import (
	"context"

	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// User is a row of users, without its password hash.
type User struct {
	UUID        uuid.UUID
	Handle      string
	Email       string
	DisplayName string
	Bio         string
	CreatedAt   time.Time
}

// Profile is a user with the counts shown on their page.
type Profile struct {
	User
	CrudsCount     int
	FollowersCount int
	FollowingCount int
	// Following says whether the viewer follows this user.
	Following bool
}

// NewUser is what signup stores.
type NewUser struct {
	Handle, Email, DisplayName, PasswordHash string
}

const userColumns = `uuid, handle, email, display_name, bio, created_at`

func scanUser(row interface{ Scan(...any) error }, u *User, extra ...any) error {
	return row.Scan(append([]any{&u.UUID, &u.Handle, &u.Email, &u.DisplayName, &u.Bio, &u.CreatedAt}, extra...)...)
}

// CreateUser inserts a user (handle and email already lower-case) and their
// first session, together: a signup either fully happens or not at all.
func (s *Storage) CreateUser(ctx context.Context, n NewUser, tokenHash []byte) (User, error) {
	var u User
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		err := scanUser(tx.QueryRow(ctx, `
			INSERT INTO users (uuid, handle, email, display_name, password_hash)
			VALUES ($1, $2, $3, $4, $5)
			RETURNING `+userColumns,
			uuid.New(), n.Handle, n.Email, n.DisplayName, n.PasswordHash), &u)
		if err != nil {
			return err
		}
		return createSession(ctx, tx, tokenHash, u.UUID)
	})
	if name, ok := uniqueViolation(err); ok {
		if name == "users_email_key" {
			return u, ErrEmailTaken
		}
		return u, ErrHandleTaken
	}
	return u, wrap("create user", err, nil)
}

// UserByHandle returns the user with that (lower-case) handle.
func (s *Storage) UserByHandle(ctx context.Context, handle string) (User, error) {
	var u User
	err := scanUser(s.pool.QueryRow(ctx, `SELECT `+userColumns+` FROM users WHERE handle = $1`, handle), &u)
	return u, wrap("user by handle", err, ErrUserNotFound)
}

// UserByLogin returns the user whose handle or email is login, with the
// password hash to check.
func (s *Storage) UserByLogin(ctx context.Context, login string) (User, string, error) {
	var u User
	var hash string
	err := scanUser(s.pool.QueryRow(ctx, `
		SELECT `+userColumns+`, password_hash FROM users
		WHERE handle = $1 OR email = $1`, login), &u, &hash)
	return u, hash, wrap("user by login", err, ErrUserNotFound)
}

// ProfileByHandle returns a user's profile as seen by viewer (uuid.Nil when
// signed out). cruds_count counts live cruds, the ones their page lists.
func (s *Storage) ProfileByHandle(ctx context.Context, handle string, viewer uuid.UUID) (Profile, error) {
	var p Profile
	err := scanUser(s.pool.QueryRow(ctx, `
		SELECT `+userColumns+`,
		  (SELECT count(*) FROM activities a
		    WHERE a.user_uuid = users.uuid AND a.reply_to_activity_uuid IS NULL AND a.expires_at > now()),
		  (SELECT count(*) FROM follows f WHERE f.followee_uuid = users.uuid),
		  (SELECT count(*) FROM follows f WHERE f.follower_uuid = users.uuid),
		  EXISTS (SELECT 1 FROM follows f WHERE f.follower_uuid = $2 AND f.followee_uuid = users.uuid)
		FROM users WHERE handle = $1`, handle, viewer),
		&p.User, &p.CrudsCount, &p.FollowersCount, &p.FollowingCount, &p.Following)
	return p, wrap("profile by handle", err, ErrUserNotFound)
}

// UpdateProfile sets a user's display name and bio.
func (s *Storage) UpdateProfile(ctx context.Context, user uuid.UUID, displayName, bio string) (User, error) {
	var u User
	err := scanUser(s.pool.QueryRow(ctx, `
		UPDATE users SET display_name = $2, bio = $3 WHERE uuid = $1
		RETURNING `+userColumns, user, displayName, bio), &u)
	return u, wrap("update profile", err, ErrUserNotFound)
}
