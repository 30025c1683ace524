package dynamo_test

import (
	"context"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/cruddur/cruddur-go/backend/internal/dynamo"
	"github.com/cruddur/cruddur-go/backend/testenv"
)

func TestMain(m *testing.M) { os.Exit(testenv.Main(m)) }

var ctx = context.Background()

func newTables(t *testing.T) (*dynamo.Notifications, *dynamo.Messages) {
	cfg := testenv.DynamoTables(t)
	client := testenv.DynamoClient(t, cfg, nil)
	return dynamo.NewNotifications(client, cfg.NotificationTable), dynamo.NewMessages(client, cfg.MessageTable)
}

func note(recipient uuid.UUID, typ string, age time.Duration) dynamo.Notification {
	id, _ := uuid.NewV7()
	now := time.Now().Add(-age)
	return dynamo.Notification{ID: id, Recipient: recipient, Type: typ, ActorUUID: uuid.New(), ActorHandle: "bayko",
		ActorDisplayName: "Andrew Bayko", SubjectUUID: uuid.New(), Message: typ + " message",
		CreatedAt: now, ExpiresAt: now.Add(dynamo.Lifetime)}
}

func TestCreateTables_IsIdempotent(t *testing.T) {
	t.Parallel()
	cfg := testenv.DynamoTables(t)
	created, err := dynamo.CreateTables(ctx, testenv.DynamoClient(t, cfg, nil), cfg)
	if err != nil || len(created) != 0 {
		t.Fatalf("second CreateTables: created %v, %v", created, err)
	}
}

func TestNotifications_NewestFirstIdempotentAndFiltered(t *testing.T) {
	t.Parallel()
	notes, _ := newTables(t)
	me, other := uuid.New(), uuid.New()
	// Oldest id: filters apply after DynamoDB's Limit, so it would shorten a page.
	expired := note(me, dynamo.Like, 31*24*time.Hour)
	expired.ExpiresAt = time.Now().Add(-time.Minute)
	notes.Put(ctx, expired)
	var put []dynamo.Notification
	for i, typ := range []string{dynamo.Like, dynamo.Reply, dynamo.Follow, dynamo.Reply} {
		n := note(me, typ, time.Duration(4-i)*time.Minute)
		put = append(put, n)
		for j := 0; j < 2; j++ { // a retried delivery
			if err := notes.Put(ctx, n); err != nil {
				t.Fatal(err)
			}
		}
	}
	notes.Put(ctx, note(other, dynamo.Like, 0))

	list, next, err := notes.List(ctx, me, dynamo.NotificationPage{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 4 || next != "" {
		t.Fatalf("got %d notifications (next %q), want my 4 live ones", len(list), next)
	}
	for i := range list {
		if list[i].ID != put[3-i].ID || list[i].Read {
			t.Fatalf("item %d = %+v, want %s unread", i, list[i], put[3-i].ID)
		}
	}
	replies, _, _ := notes.List(ctx, me, dynamo.NotificationPage{Limit: 10, Types: []string{dynamo.Reply}})
	if len(replies) != 2 {
		t.Fatalf("types filter: %d replies", len(replies))
	}
	page1, cursor, _ := notes.List(ctx, me, dynamo.NotificationPage{Limit: 3})
	page2, _, err := notes.List(ctx, me, dynamo.NotificationPage{Limit: 3, Cursor: cursor})
	if len(page1) != 3 || cursor == "" || err != nil || len(page2) != 1 || page2[0].ID != put[0].ID || page1[0].ID != put[3].ID {
		t.Fatalf("paging: %d then %d (%v)", len(page1), len(page2), err)
	}
	if _, _, err := notes.List(ctx, me, dynamo.NotificationPage{Limit: 3, Cursor: "garbage"}); !errors.Is(err, dynamo.ErrBadCursor) {
		t.Fatalf("bad cursor: %v", err)
	}
}

func TestNotifications_UnreadCountMarkReadAndDismiss(t *testing.T) {
	t.Parallel()
	notes, _ := newTables(t)
	me := uuid.New()
	var ids []uuid.UUID
	for i := 0; i < 5; i++ {
		n := note(me, dynamo.Like, time.Duration(5-i)*time.Minute)
		notes.Put(ctx, n)
		ids = append(ids, n.ID)
	}
	expired := note(me, dynamo.Like, time.Hour)
	expired.ExpiresAt = time.Now().Add(-time.Second)
	notes.Put(ctx, expired)

	count := func() int {
		n, err := notes.UnreadCount(ctx, me)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if c := count(); c != 5 {
		t.Fatalf("unread = %d, want 5 (the expired one does not count)", c)
	}
	if n, err := notes.MarkRead(ctx, me, &ids[1]); err != nil || n != 2 {
		t.Fatalf("mark read up to the 2nd: %d %v", n, err)
	}
	if c := count(); c != 3 {
		t.Fatalf("unread = %d, want 3", c)
	}
	if err := notes.Dismiss(ctx, me, ids[4]); err != nil {
		t.Fatal(err)
	}
	if err := notes.Dismiss(ctx, me, ids[4]); !errors.Is(err, dynamo.ErrNotificationNotFound) {
		t.Fatalf("second dismiss: %v", err)
	}
	if err := notes.Dismiss(ctx, uuid.New(), ids[3]); !errors.Is(err, dynamo.ErrNotificationNotFound) {
		t.Fatalf("someone else's dismiss: %v", err)
	}
	if n, err := notes.MarkRead(ctx, me, nil); err != nil || n != 2 {
		t.Fatalf("mark all read: %d %v", n, err)
	}
	// A redelivery (the outbox retrying after a lost answer) changes nothing.
	again := note(me, dynamo.Like, 0)
	again.ID = ids[0]
	if err := notes.Put(ctx, again); err != nil {
		t.Fatal(err)
	}
	list, _, _ := notes.List(ctx, me, dynamo.NotificationPage{Limit: 10})
	if c := count(); c != 0 || len(list) != 4 || !list[0].Read {
		t.Fatalf("after all read: unread %d, %d listed", c, len(list))
	}
}

func TestMessages_ConversationBetweenTwo(t *testing.T) {
	t.Parallel()
	_, msgs := newTables(t)
	andrew := dynamo.Person{UUID: uuid.New(), Handle: "andrewbrown", DisplayName: "Andrew Brown"}
	bayko := dynamo.Person{UUID: uuid.New(), Handle: "bayko", DisplayName: "Andrew Bayko"}
	londo := dynamo.Person{UUID: uuid.New(), Handle: "londo", DisplayName: "Londo Mollari"}
	if dynamo.GroupUUID(andrew.UUID, bayko.UUID) != dynamo.GroupUUID(bayko.UUID, andrew.UUID) {
		t.Fatal("group uuid depends on who is first")
	}
	for _, m := range []struct {
		from, to dynamo.Person
		text     string
	}{{andrew, bayko, "hi bayko"}, {bayko, andrew, "hi andrew"}, {andrew, bayko, "how is week 1?"}, {londo, andrew, "greetings"}} {
		if _, err := msgs.Send(ctx, m.from, m.to, m.text); err != nil {
			t.Fatal(err)
		}
	}
	group := dynamo.GroupUUID(andrew.UUID, bayko.UUID)
	conv, err := msgs.Conversation(ctx, group, 100)
	if err != nil || len(conv) != 3 || conv[0].Message != "hi bayko" || conv[2].Message != "how is week 1?" || conv[1].From.Handle != "bayko" {
		t.Fatalf("conversation oldest first: %+v %v", conv, err)
	}
	groups, err := msgs.Groups(ctx, andrew.UUID, 50)
	if err != nil || len(groups) != 2 || groups[0].With.Handle != "londo" || groups[1].With.Handle != "bayko" || groups[1].Message != "how is week 1?" {
		t.Fatalf("andrew's groups, latest first, one row each: %+v %v", groups, err)
	}
	if other, err := msgs.Other(ctx, group, bayko.UUID); err != nil || other.Handle != "andrewbrown" {
		t.Fatalf("other member: %+v %v", other, err)
	}
	if _, err := msgs.Other(ctx, group, londo.UUID); !errors.Is(err, dynamo.ErrNotMember) {
		t.Fatalf("londo in andrew+bayko: %v", err)
	}
	if _, err := msgs.Other(ctx, uuid.New(), andrew.UUID); !errors.Is(err, dynamo.ErrGroupNotFound) {
		t.Fatalf("unknown group: %v", err)
	}
	if err := msgs.DeleteGroup(ctx, group); err != nil {
		t.Fatal(err)
	}
	if conv, _ := msgs.Conversation(ctx, group, 100); len(conv) != 0 {
		t.Fatalf("%d messages left after DeleteGroup", len(conv))
	}
}
