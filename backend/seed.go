package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/cruddur/cruddur-go/backend/internal/database"
	"github.com/cruddur/cruddur-go/backend/internal/dynamo"
	"github.com/cruddur/cruddur-go/backend/internal/outbox"
	"github.com/cruddur/cruddur-go/backend/internal/store"
)

// seedHandles are the demo users of db/seed.
var seedHandles = []string{"andrewbrown", "altbrown", "bayko", "londo"}

// demoConversation is andrewbrown and bayko's, oldest first.
var demoConversation = []struct{ from, text string }{
	{"bayko", "Hey Andrew, is week 1 all about containers?"},
	{"andrewbrown", "Yes: Dockerfiles, compose, healthchecks and container security."},
	{"bayko", "Great. I documented the notifications endpoint in OpenAPI already."},
	{"andrewbrown", "Nice! Remember the notifications page in the frontend too."},
	{"bayko", "Have you finished the week 1 homework?"},
}

// seed loads the demo data: PostgreSQL rows, the notifications they make
// (through the outbox, delivered here), and a conversation in DynamoDB.
// Every step is idempotent.
func seed(ctx context.Context, log *slog.Logger, pool *pgxpool.Pool, st *store.Storage, notes *dynamo.Notifications, msgs *dynamo.Messages) error {
	if err := database.Seed(ctx, pool); err != nil {
		return err
	}
	made, err := st.BackfillNotifications(ctx, seedHandles)
	if err != nil {
		return err
	}
	delivered, err := drainOutbox(ctx, pool, notes, log)
	if err != nil {
		return fmt.Errorf("seed notifications: %w", err)
	}

	users := map[string]dynamo.Person{}
	for _, h := range []string{"andrewbrown", "bayko"} {
		u, err := st.UserByHandle(ctx, h)
		if err != nil {
			return fmt.Errorf("seed messages: %w", err)
		}
		users[h] = dynamo.Person{UUID: u.UUID, Handle: u.Handle, DisplayName: u.DisplayName}
	}
	if err := msgs.DeleteGroup(ctx, dynamo.GroupUUID(users["andrewbrown"].UUID, users["bayko"].UUID)); err != nil {
		return fmt.Errorf("seed messages: %w", err)
	}
	for _, m := range demoConversation {
		to := users["andrewbrown"]
		if m.from == "andrewbrown" {
			to = users["bayko"]
		}
		if _, err := msgs.Send(ctx, users[m.from], to, m.text); err != nil {
			return fmt.Errorf("seed messages: %w", err)
		}
	}
	log.Info("seeded", "users", seedHandles, "notifications_made", made, "notifications_delivered", delivered, "messages", len(demoConversation))
	return nil
}

// drainOutbox delivers every due outbox row now, for commands that do not
// run the backend's dispatcher.
func drainOutbox(ctx context.Context, pool *pgxpool.Pool, notes *dynamo.Notifications, log *slog.Logger) (int, error) {
	d := outbox.New(pool, notes, log)
	total := 0
	deadline := time.Now().Add(30 * time.Second)
	for {
		n, err := d.DeliverOnce(ctx)
		total += n
		if err != nil {
			return total, err
		}
		if n < d.Batch || time.Now().After(deadline) {
			return total, nil
		}
	}
}
