// Package auth hashes passwords and makes sign-in tokens.
package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"

	"golang.org/x/crypto/bcrypt"
)

// MaxPasswordBytes is bcrypt's limit; longer passwords are refused, not truncated.
const MaxPasswordBytes = 72

// Cost is the bcrypt work factor (about 50 ms a hash on a 2-core machine).
const Cost = bcrypt.DefaultCost

// decoy is checked when no user matches a login, so a missing user takes as
// long to refuse as a wrong password.
var decoy, _ = bcrypt.GenerateFromPassword([]byte("decoy password"), Cost)

// HashPassword returns the bcrypt hash of password.
func HashPassword(password string) (string, error) {
	h, err := bcrypt.GenerateFromPassword([]byte(password), Cost)
	return string(h), err
}

// CheckPassword reports whether password matches hash. An empty hash stands
// for "no such user" and always fails, in the same time as a real check.
func CheckPassword(hash, password string) bool {
	if hash == "" {
		bcrypt.CompareHashAndPassword(decoy, []byte(password))
		return false
	}
	return bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) == nil
}

// NewToken returns a random 256-bit token for the client and the hash kept
// in the database.
func NewToken() (token string, hash []byte, err error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", nil, err
	}
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, HashToken(token), nil
}

// HashToken is how a presented token is looked up.
func HashToken(token string) []byte {
	sum := sha256.Sum256([]byte(token))
	return sum[:]
}
