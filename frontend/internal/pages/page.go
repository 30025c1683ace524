// Package pages renders Cruddur's HTML with templ: one file per page, a
// shared layout, and the crud card. Components take plain values; they never
// call the API.
package pages

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/cruddur/cruddur-go/backend/client"
)

// Assets names the hashed URLs of static files.
type Assets interface {
	URL(name string) string
}

// Page is what the layout needs on every page.
type Page struct {
	Title   string
	Nav     string // the current section: home, notifications, messages, profile
	Viewer  *Viewer
	Sidebar Sidebar
	Assets  Assets
	Now     time.Time
}

// Viewer is the signed-in user; nil when signed out.
type Viewer struct {
	Handle      string
	DisplayName string
	Unread      int
}

// Sidebar is the right-hand column, computed from real data.
type Sidebar struct {
	Trending  []client.Hashtag
	Suggested []client.UserShort
	Term      string
}

// Form keeps what the user typed and the errors to show next to each field.
type Form struct {
	Values map[string]string
	Errors map[string]string // field -> friendly message; "" for the whole form
}

// Value is what the user typed in field.
func (f Form) Value(field string) string { return f.Values[field] }

// Err is the message to show next to field, if any.
func (f Form) Err(field string) string { return f.Errors[field] }

// Describe returns the ids a field's aria-describedby should name.
func (f Form) Describe(field string, extra ...string) string {
	ids := extra
	if f.Err(field) != "" {
		ids = append(ids, field+"-error")
	}
	return strings.Join(ids, " ")
}

// messages are what people read for the API's error codes, by field.
var messages = map[string][2]string{
	"message_blank":                 {"message", "Write something first."},
	"message_exceed_max_chars":      {"message", "A crud can be at most 280 characters."},
	"message_exceed_max_chars_1024": {"message", "This can be at most 1024 characters."},
	"ttl_blank":                     {"ttl", "Choose how long the crud lives."},
	"ttl_invalid":                   {"ttl", "Choose how long the crud lives."},
	"display_name_blank":            {"display_name", "Enter a display name."},
	"display_name_too_long":         {"display_name", "Display names are at most 50 characters."},
	"bio_too_long":                  {"bio", "A bio is at most 160 characters."},
	"handle_blank":                  {"handle", "Choose a handle."},
	"handle_invalid":                {"handle", "Handles are 3 to 30 letters, digits or underscores."},
	"handle_taken":                  {"handle", "That handle is taken."},
	"email_blank":                   {"email", "Enter your email address."},
	"email_invalid":                 {"email", "That does not look like an email address."},
	"email_taken":                   {"email", "An account already uses that email."},
	"password_blank":                {"password", "Enter a password."},
	"password_too_short":            {"password", "Passwords are at least 8 characters."},
	"password_too_long":             {"password", "Passwords are at most 72 bytes."},
	"login_blank":                   {"login", "Enter your handle or email."},
	"invalid_credentials":           {"password", "That handle or email and password do not match."},
	"search_term_blank":             {"term", "Type something to search for."},
	"search_term_too_long":          {"term", "Searches are at most 100 characters."},
	"user_receiver_handle_blank":    {"handle", "Who is this message for?"},
	"cannot_message_self":           {"handle", "You cannot message yourself."},
	"user_not_found":                {"handle", "There is nobody with that handle."},
	"invalid_text":                  {"", "That text has characters Cruddur cannot store."},
}

// FormFromCodes puts the API's error codes next to their fields.
func FormFromCodes(values map[string]string, codes []string) Form {
	f := Form{Values: values, Errors: map[string]string{}}
	for _, c := range codes {
		m, ok := messages[c]
		if !ok {
			m = [2]string{"", "Something went wrong. Please try again."}
		}
		if f.Errors[m[0]] == "" {
			f.Errors[m[0]] = m[1]
		}
	}
	return f
}

// HasErrors reports whether the form has any.
func (f Form) HasErrors() bool { return len(f.Errors) > 0 }

// TTLs are the crud lifetimes, longest first, with their labels.
var TTLs = [][2]string{
	{"30-days", "30 days"}, {"7-days", "7 days"}, {"3-days", "3 days"}, {"1-day", "1 day"},
	{"12-hours", "12 hours"}, {"3-hours", "3 hours"}, {"1-hour", "1 hour"},
}

// Ago says how long ago t was: "now", "5m", "3h", "2d".
func Ago(t, now time.Time) string {
	d := now.Sub(t)
	switch {
	case d < time.Minute:
		return "now"
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	case d < 24*time.Hour:
		return fmt.Sprintf("%dh", int(d.Hours()))
	default:
		return fmt.Sprintf("%dd", int(d.Hours()/24))
	}
}

// Left says how long until expires: "6d left", "3h left", "expired".
func Left(expires, now time.Time) string {
	d := expires.Sub(now)
	switch {
	case d <= 0:
		return "expired"
	case d < time.Hour:
		return fmt.Sprintf("%dm left", int(d.Minutes())+1)
	case d < 24*time.Hour:
		return fmt.Sprintf("%dh left", int(d.Hours()))
	default:
		return fmt.Sprintf("%dd left", int(d.Hours()/24))
	}
}

// Part is a piece of a message: text, or a #hashtag or @mention with its link.
type Part struct {
	Text string
	Href string
}

var linkable = regexp.MustCompile(`#[A-Za-z0-9_]{1,50}|(?:^|\B)@[A-Za-z0-9_]{3,30}\b`)

// Parts splits a message so hashtags link to a search and mentions to a profile.
func Parts(message string) []Part {
	var parts []Part
	last := 0
	for _, m := range linkable.FindAllStringIndex(message, -1) {
		if m[0] > last {
			parts = append(parts, Part{Text: message[last:m[0]]})
		}
		word := message[m[0]:m[1]]
		href := "/search?term=" + url.QueryEscape(word)
		if word[0] == '@' {
			href = "/" + word
		}
		parts = append(parts, Part{Text: word, Href: href})
		last = m[1]
	}
	if last < len(message) {
		parts = append(parts, Part{Text: message[last:]})
	}
	return parts
}

// StatusURL is a crud's page: /@handle/status/uuid.
func StatusURL(handle string, id uuid.UUID) string {
	return "/@" + handle + "/status/" + id.String()
}

// Verb is what a notification says the actor did.
func Verb(typ string) string {
	switch typ {
	case "reply":
		return "replied to your crud"
	case "like":
		return "liked your crud"
	case "repost":
		return "reposted your crud"
	case "mention":
		return "mentioned you"
	case "follow":
		return "followed you"
	case "message":
		return "sent you a message"
	}
	return typ
}

// NotificationURL is where a notification leads.
func NotificationURL(n client.Notification) string {
	switch {
	case n.Type == "message":
		return "/messages/new/" + n.Handle
	case n.Type == "follow" || n.ActivityUUID == nil:
		return "/@" + n.Handle
	}
	return "/activity/" + n.ActivityUUID.String()
}

// Plural is "1 reply", "2 replies".
func Plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

func current(nav, item string) string {
	if nav == item {
		return "page"
	}
	return "false"
}

func queryEscape(s string) string { return url.QueryEscape(s) }

func reactionAction(a client.Activity, kind string, on bool) string {
	if kind == "like" && on {
		kind = "unlike"
	}
	return "/activities/" + a.UUID.String() + "/" + kind
}

func errorID(field string) string {
	if field == "" {
		return "form-error"
	}
	return field + "-error"
}

func anyUnread(list []client.Notification) bool {
	for _, n := range list {
		if !n.Read {
			return true
		}
	}
	return false
}

func boolString(b bool) string {
	if b {
		return "true"
	}
	return "false"
}
