// Package outbox delivers notifications from PostgreSQL's outbox table to
// DynamoDB. A row is deleted only after DynamoDB has the notification, and
// the put is conditional on the id, so a row delivered twice (a crash
// between put and delete) still makes one notification. Rows are claimed
// with FOR UPDATE SKIP LOCKED, so any number of backends can run a
// dispatcher side by side without delivering a row twice.
package outbox

import (
	"context"
	"log/slog"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/cruddur/cruddur-go/backend/internal/dynamo"
)

// Putter stores a notification idempotently (dynamo.Notifications).
type Putter interface {
	Put(context.Context, dynamo.Notification) error
}

// Dispatcher delivers the outbox.
type Dispatcher struct {
	pool  *pgxpool.Pool
	table Putter
	log   *slog.Logger
	wake  chan struct{}

	// Poll is how often it looks for rows other backends wrote; Batch is
	// how many rows one transaction claims; PutTimeout bounds one put.
	Poll       time.Duration
	Batch      int
	PutTimeout time.Duration
	// MaxBackoff caps the wait after failures, for a row and for the loop.
	MaxBackoff time.Duration
	// Delivered, when set, is told each id it delivered (for tests and metrics).
	Delivered func(uuid.UUID)
}

// New returns a dispatcher with the defaults.
func New(pool *pgxpool.Pool, table Putter, log *slog.Logger) *Dispatcher {
	return &Dispatcher{
		pool: pool, table: table, log: log, wake: make(chan struct{}, 1),
		Poll: time.Second, Batch: 100, PutTimeout: 2 * time.Second, MaxBackoff: 5 * time.Second,
	}
}

// Nudge asks for a delivery round now; it never blocks.
func (d *Dispatcher) Nudge() {
	select {
	case d.wake <- struct{}{}:
	default:
	}
}

// Run delivers until ctx ends, backing off while DynamoDB or PostgreSQL fails.
func (d *Dispatcher) Run(ctx context.Context) {
	backoff := time.Duration(0)
	for {
		n, err := d.DeliverOnce(ctx)
		switch {
		case ctx.Err() != nil:
			return
		case err != nil:
			backoff = min(max(2*backoff, 100*time.Millisecond), d.MaxBackoff)
			d.log.Warn("notification outbox: delivery failed; will retry", "err", err, "retry_in", backoff.String())
		case n == d.Batch:
			backoff = 0
			continue // more may be waiting
		default:
			backoff = 0
		}
		wait := d.Poll
		if backoff > 0 {
			wait = backoff
		}
		select {
		case <-ctx.Done():
			return
		case <-d.wake:
			if backoff > 0 {
				// A failing DynamoDB is not retried faster because writes keep coming.
				select {
				case <-ctx.Done():
					return
				case <-time.After(backoff):
				}
			}
		case <-time.After(wait):
		}
	}
}

const claimSQL = `
	SELECT id, recipient_uuid, type, actor_uuid, actor_handle, actor_display_name,
	       subject_uuid, activity_uuid, message, created_at, expires_at, attempts
	FROM notification_outbox
	WHERE next_attempt_at <= now()
	ORDER BY next_attempt_at, id
	LIMIT $1
	FOR UPDATE SKIP LOCKED`

// DeliverOnce claims one batch of due rows and delivers them in order. It
// stops at the first failure, which it records on that row with a backoff,
// and returns how many it delivered.
func (d *Dispatcher) DeliverOnce(ctx context.Context) (int, error) {
	var delivered []uuid.UUID
	var failure error
	err := pgx.BeginFunc(ctx, d.pool, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, claimSQL, d.Batch)
		if err != nil {
			return err
		}
		type claimed struct {
			n        dynamo.Notification
			attempts int
		}
		batch, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (claimed, error) {
			var c claimed
			err := row.Scan(&c.n.ID, &c.n.Recipient, &c.n.Type, &c.n.ActorUUID, &c.n.ActorHandle, &c.n.ActorDisplayName,
				&c.n.SubjectUUID, &c.n.ActivityUUID, &c.n.Message, &c.n.CreatedAt, &c.n.ExpiresAt, &c.attempts)
			return c, err
		})
		if err != nil {
			return err
		}
		for _, c := range batch {
			if c.n.ExpiresAt.After(time.Now()) {
				putCtx, cancel := context.WithTimeout(ctx, d.PutTimeout)
				err := d.table.Put(putCtx, c.n)
				cancel()
				if err != nil {
					failure = err
					wait := min(time.Duration(1<<min(c.attempts, 16))*100*time.Millisecond, d.MaxBackoff)
					_, uerr := tx.Exec(ctx, `
						UPDATE notification_outbox
						SET attempts = attempts + 1, next_attempt_at = now() + make_interval(secs => $2), last_error = $3
						WHERE id = $1`, c.n.ID, wait.Seconds(), err.Error())
					return uerr
				}
			}
			// Delivered, or expired before it could be: either way it is done.
			if _, err := tx.Exec(ctx, `DELETE FROM notification_outbox WHERE id = $1`, c.n.ID); err != nil {
				return err
			}
			delivered = append(delivered, c.n.ID)
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	if d.Delivered != nil {
		for _, id := range delivered {
			d.Delivered(id)
		}
	}
	return len(delivered), failure
}

// Pending counts rows not yet delivered.
func Pending(ctx context.Context, pool *pgxpool.Pool) (int, error) {
	var n int
	err := pool.QueryRow(ctx, `SELECT count(*) FROM notification_outbox`).Scan(&n)
	return n, err
}
