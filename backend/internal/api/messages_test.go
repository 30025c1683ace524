package api_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/cruddur/cruddur-go/backend/client"
)

func TestMessages_RoundTripByHandleAndByGroup(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	andrew, bayko := e.signup("andrew"), e.signup("bayko")

	first, err := andrew.SendMessage(ctx, client.NewMessage{Handle: "@Bayko", Message: "  hi bayko  "})
	if err != nil {
		t.Fatal(err)
	}
	if first.Message != "hi bayko" || first.Handle != "andrew" || first.MessageGroupUUID == uuid.Nil {
		t.Fatalf("sent %+v", first)
	}
	groups, err := bayko.MessageGroups(ctx)
	if err != nil || len(groups) != 1 || groups[0].Handle != "andrew" || groups[0].UUID != first.MessageGroupUUID || groups[0].Message != "hi bayko" {
		t.Fatalf("bayko's groups: %+v %v", groups, err)
	}
	reply, err := bayko.SendMessage(ctx, client.NewMessage{MessageGroupUUID: groups[0].UUID.String(), Message: "hi andrew"})
	if err != nil || reply.MessageGroupUUID != first.MessageGroupUUID {
		t.Fatalf("reply by group: %+v %v", reply, err)
	}
	again, _ := andrew.SendMessage(ctx, client.NewMessage{Handle: "bayko", Message: "same conversation"})
	if again.MessageGroupUUID != first.MessageGroupUUID {
		t.Fatal("a second message by handle started a new conversation")
	}

	for name, read := range map[string]func() ([]client.Message, error){
		"andrew by group":  func() ([]client.Message, error) { return andrew.Messages(ctx, first.MessageGroupUUID) },
		"bayko by group":   func() ([]client.Message, error) { return bayko.Messages(ctx, first.MessageGroupUUID) },
		"andrew by handle": func() ([]client.Message, error) { return andrew.MessagesWith(ctx, "bayko") },
		"bayko by handle":  func() ([]client.Message, error) { return bayko.MessagesWith(ctx, "andrew") },
	} {
		msgs, err := read()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var got []string
		for _, m := range msgs {
			got = append(got, m.Handle+": "+m.Message)
		}
		if strings.Join(got, " | ") != "andrew: hi bayko | bayko: hi andrew | andrew: same conversation" {
			t.Fatalf("%s, oldest first: %v", name, got)
		}
	}
	groups, _ = andrew.MessageGroups(ctx)
	if len(groups) != 1 || groups[0].Message != "same conversation" || groups[0].Handle != "bayko" {
		t.Fatalf("andrew's groups after three messages: %+v", groups)
	}
	// Each message the other sent is a notification.
	notes := notificationsOf(t, bayko, 2)
	if notes[0].Type != "message" || notes[0].Handle != "andrew" || notes[0].Message != "same conversation" || notes[0].ActivityUUID != nil {
		t.Fatalf("bayko's newest notification: %+v", notes[0])
	}
	notificationsOf(t, andrew, 1)
}

func TestMessages_OnlyMembersReadOrWrite(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	andrew, _, carol := e.signup("andrew"), e.signup("bayko"), e.signup("carol")
	sent, _ := andrew.SendMessage(ctx, client.NewMessage{Handle: "bayko", Message: "private"})

	_, err := carol.Messages(ctx, sent.MessageGroupUUID)
	wantCodes(t, err, 403, "not_a_member")
	_, err = carol.SendMessage(ctx, client.NewMessage{MessageGroupUUID: sent.MessageGroupUUID.String(), Message: "let me in"})
	wantCodes(t, err, 403, "not_a_member")
	if mine, _ := carol.MessageGroups(ctx); len(mine) != 0 {
		t.Fatalf("carol sees %+v", mine)
	}
	if with, _ := carol.MessagesWith(ctx, "andrew"); len(with) != 0 {
		t.Fatalf("carol's conversation with andrew: %+v", with)
	}
	_, err = carol.Messages(ctx, uuid.New())
	wantCodes(t, err, 404, "message_group_not_found")
	_, err = e.Anon.Messages(ctx, sent.MessageGroupUUID)
	wantCodes(t, err, 401, "authentication_required")
	_, err = e.Anon.MessageGroups(ctx)
	wantCodes(t, err, 401, "authentication_required")
}

func TestMessages_ValidateInput(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	andrew := e.signup("andrew")
	e.signup("bayko")
	for _, c := range []struct {
		in     client.NewMessage
		status int
		codes  []string
	}{
		{client.NewMessage{Handle: "bayko", Message: "   "}, 422, []string{"message_blank"}},
		{client.NewMessage{Handle: "bayko", Message: strings.Repeat("m", 1025)}, 422, []string{"message_exceed_max_chars_1024"}},
		{client.NewMessage{Message: "to whom?"}, 422, []string{"user_receiver_handle_blank"}},
		{client.NewMessage{}, 422, []string{"message_blank", "user_receiver_handle_blank"}},
		{client.NewMessage{Handle: "andrew", Message: "note to self"}, 422, []string{"cannot_message_self"}},
		{client.NewMessage{Handle: "ghost_user", Message: "hello?"}, 404, []string{"user_not_found"}},
		{client.NewMessage{Handle: "bad handle!", Message: "hello?"}, 404, []string{"user_not_found"}},
		{client.NewMessage{MessageGroupUUID: "not-a-uuid", Message: "hello?"}, 404, []string{"message_group_not_found"}},
	} {
		_, err := andrew.SendMessage(ctx, c.in)
		wantCodes(t, err, c.status, c.codes...)
	}
	if _, err := andrew.SendMessage(ctx, client.NewMessage{Handle: "bayko", Message: strings.Repeat("ü", 1024)}); err != nil {
		t.Fatalf("1024 characters refused: %v", err)
	}
	_, err := andrew.MessagesWith(ctx, "ghost_user")
	wantCodes(t, err, 404, "user_not_found")
}

// With DynamoDB away, messages answer 503 (they live there), while the
// feed, which does not need DynamoDB, keeps working.
func TestMessages_DynamoDBUnavailableGives503(t *testing.T) {
	t.Parallel()
	e := newEnv(t, withDBTimeout(2*time.Second))
	andrew := e.signup("andrew")
	e.signup("bayko")
	// Tear the tables down: every DynamoDB call now fails as it would with
	// the service gone.
	ddb := e.dynamoAdmin()
	ddb.deleteTables()
	_, err := andrew.SendMessage(ctx, client.NewMessage{Handle: "bayko", Message: "hello"})
	wantCodes(t, err, 503, "dynamodb_unavailable")
	_, err = andrew.UnreadCount(ctx)
	wantCodes(t, err, 503, "dynamodb_unavailable")
	h, _ := andrew.Health(ctx)
	if !h.Success || h.Dependencies["dynamodb"] != "unavailable" || h.Dependencies["postgres"] != "ok" {
		t.Fatalf("health: %+v", h)
	}
	if _, _, err := andrew.Home(ctx, client.Page{}); err != nil {
		t.Fatalf("home feed without DynamoDB: %v", err)
	}
}
