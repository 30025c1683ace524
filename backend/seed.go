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

	sent, err := database.SeedMessages(ctx, pool, msgs)
	if err != nil {
		return err
	}
	log.Info("seeded", "users", seedHandles, "notifications_made", made, "notifications_delivered", delivered, "messages", sent)
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
