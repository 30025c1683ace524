// Package db carries Cruddur's schema and demo data inside the backend binary:
// PostgreSQL migrations (applied in file-name order), the seed script, and
// the DynamoDB table definitions.
package db

import "embed"

// Migrations holds migrations/NNNN_name.sql; each file runs once, in one transaction.
//
//go:embed migrations/*.sql
var Migrations embed.FS

// Seed holds seed/*.sql, the idempotent demo data loaded by `backend seed`.
//
//go:embed seed/*.sql
var Seed embed.FS

// DynamoDB holds dynamodb/*.json: CreateTable inputs in the AWS CLI's format.
//
//go:embed dynamodb/*.json
var DynamoDB embed.FS
