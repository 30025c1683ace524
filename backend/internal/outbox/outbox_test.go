package outbox_test

import (
	"context"
	"log/slog"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/cruddur/cruddur-go/backend/internal/dynamo"
	"github.com/cruddur/cruddur-go/backend/internal/outbox"
	"github.com/cruddur/cruddur-go/backend/testenv"
)

func TestMain(m *testing.M) { os.Exit(testenv.Main(m)) }

var ctx = context.Background()

// fill puts n notifications for one recipient in the outbox, as the API's
// writes do, and returns the recipient.
func fill(t *testing.T, pool *pgxpool.Pool, n int) uuid.UUID {
	t.Helper()
	recipient, actor := uuid.New(), uuid.New()
	_, err := pool.Exec(ctx, `INSERT INTO users (uuid, handle, email, display_name, password_hash) VALUES
		($1, 'recipient', 'r@example.com', 'Recipient', 'x'), ($2, 'actor', 'a@example.com', 'Actor', 'x')`, recipient, actor)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < n; i++ {
		id, _ := uuid.NewV7()
		_, err := pool.Exec(ctx, `INSERT INTO notification_outbox
			(id, recipient_uuid, type, actor_uuid, actor_handle, actor_display_name, subject_uuid, message, expires_at)
			VALUES ($1, $2, 'follow', $3, 'actor', 'Actor', $1, '', now() + interval '1 day')`, id, recipient, actor)
		if err != nil {
			t.Fatal(err)
		}
	}
	return recipient
}

func count(t *testing.T, notes *dynamo.Notifications, user uuid.UUID) int {
	t.Helper()
	n, err := notes.UnreadCount(ctx, user)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// Two dispatchers on one outbox never deliver the same row, and together
// deliver every row.
func TestOutbox_TwoDispatchersNeverDeliverTheSameRow(t *testing.T) {
	t.Parallel()
	pool := testenv.Pool(t)
	cfg := testenv.DynamoTables(t)
	notes := dynamo.NewNotifications(testenv.DynamoClient(t, cfg, nil), cfg.NotificationTable)
	recipient := fill(t, pool, 300)

	var mu sync.Mutex
	deliveries := map[uuid.UUID]int{}
	var wg sync.WaitGroup
	for i := 0; i < 2; i++ {
		d := outbox.New(pool, notes, slog.New(slog.DiscardHandler))
		d.Batch = 7 // small batches, so the two interleave many times
		d.Delivered = func(id uuid.UUID) { mu.Lock(); deliveries[id]++; mu.Unlock() }
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				n, err := d.DeliverOnce(ctx)
				if err != nil {
					t.Error(err)
					return
				}
				if n == 0 {
					if left, _ := outbox.Pending(ctx, pool); left == 0 {
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	for id, n := range deliveries {
		if n != 1 {
			t.Fatalf("row %s delivered %d times", id, n)
		}
	}
	if len(deliveries) != 300 {
		t.Fatalf("%d rows delivered, want 300", len(deliveries))
	}
	if got := count(t, notes, recipient); got != 300 {
		t.Fatalf("DynamoDB holds %d notifications, want 300", got)
	}
}

// A failed put leaves the row, with a later next attempt; the delivery
// after DynamoDB returns is the only one that counts.
func TestOutbox_FailedPutIsRetriedLater(t *testing.T) {
	t.Parallel()
	pool := testenv.Pool(t)
	cfg := testenv.DynamoTables(t)
	proxy := testenv.NewProxy(t, testenv.Host(cfg.Endpoint))
	through := cfg
	through.Endpoint = "http://" + proxy.Addr()
	notes := dynamo.NewNotifications(testenv.DynamoClient(t, through, nil), cfg.NotificationTable)
	recipient := fill(t, pool, 3)

	d := outbox.New(pool, notes, slog.New(slog.DiscardHandler))
	d.PutTimeout = 300 * time.Millisecond
	proxy.Down()
	n, err := d.DeliverOnce(ctx)
	if err == nil || n != 0 {
		t.Fatalf("with DynamoDB down: delivered %d, err %v", n, err)
	}
	var attempts int
	var nextIn float64
	var lastError string
	pool.QueryRow(ctx, `SELECT attempts, extract(epoch FROM next_attempt_at - now()), last_error FROM notification_outbox ORDER BY id LIMIT 1`).Scan(&attempts, &nextIn, &lastError)
	if attempts != 1 || nextIn <= 0 || lastError == "" {
		t.Fatalf("failed row: attempts %d, next attempt in %.2fs, last error %q", attempts, nextIn, lastError)
	}
	proxy.Up()
	if n, _ := d.DeliverOnce(ctx); n != 2 {
		t.Fatalf("after DynamoDB returned, delivered %d at once, want the 2 rows not in backoff", n)
	}
	time.Sleep(time.Duration(nextIn*float64(time.Second)) + 50*time.Millisecond)
	if n, err := d.DeliverOnce(ctx); n != 1 || err != nil {
		t.Fatalf("after the backoff: %d, %v", n, err)
	}
	if got := count(t, notes, recipient); got != 3 {
		t.Fatalf("%d notifications, want 3", got)
	}
}
