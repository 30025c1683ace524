package database

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/cruddur/cruddur-go/backend/internal/dynamo"
)

// demoConversation is andrewbrown and bayko's, oldest first.
var demoConversation = []struct{ from, text string }{
	{"bayko", "Hey Andrew, is week 1 all about containers?"},
	{"andrewbrown", "Yes: Dockerfiles, compose, healthchecks and container security."},
	{"bayko", "Great. I documented the notifications endpoint in OpenAPI already."},
	{"andrewbrown", "Nice! Remember the notifications page in the frontend too."},
	{"bayko", "Have you finished the week 1 homework?"},
}

// SeedMessages writes the demo conversation afresh (it replaces the last
// one, so seeding twice leaves one conversation). It returns how many
// messages it wrote.
func SeedMessages(ctx context.Context, pool *pgxpool.Pool, msgs *dynamo.Messages) (int, error) {
	people := map[string]dynamo.Person{}
	rows, err := pool.Query(ctx, `SELECT uuid, handle, display_name FROM users WHERE handle IN ('andrewbrown', 'bayko')`)
	if err != nil {
		return 0, fmt.Errorf("seed messages: %w", err)
	}
	for rows.Next() {
		var p dynamo.Person
		if err := rows.Scan(&p.UUID, &p.Handle, &p.DisplayName); err != nil {
			return 0, fmt.Errorf("seed messages: %w", err)
		}
		people[p.Handle] = p
	}
	if err := rows.Err(); err != nil || len(people) != 2 {
		return 0, fmt.Errorf("seed messages: andrewbrown and bayko must be seeded first (%v)", err)
	}
	andrew, bayko := people["andrewbrown"], people["bayko"]
	if err := msgs.DeleteGroup(ctx, dynamo.GroupUUID(andrew.UUID, bayko.UUID)); err != nil {
		return 0, fmt.Errorf("seed messages: %w", err)
	}
	for _, m := range demoConversation {
		from, to := people[m.from], andrew
		if m.from == "andrewbrown" {
			to = bayko
		}
		if _, err := msgs.Send(ctx, from, to, m.text); err != nil {
			return 0, fmt.Errorf("seed messages: %w", err)
		}
	}
	return len(demoConversation), nil
}
