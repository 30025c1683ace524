// Package dynamo keeps Cruddur's notifications and direct messages in
// DynamoDB: DynamoDB Local (or dynalite) in development, AWS DynamoDB in
// production, by configuration alone. Every read is a Query or GetItem on a
// key; nothing here scans a table.
package dynamo

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go"

	"github.com/cruddur/cruddur-go/backend/internal/config"
	"github.com/cruddur/cruddur-go/db"
)

// ErrUnavailable wraps every failure to reach DynamoDB or get an answer in time.
var ErrUnavailable = errors.New("dynamodb unavailable")

// API is the part of the SDK client this package uses.
type API interface {
	dynamodb.QueryAPIClient
	GetItem(context.Context, *dynamodb.GetItemInput, ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error)
	PutItem(context.Context, *dynamodb.PutItemInput, ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error)
	UpdateItem(context.Context, *dynamodb.UpdateItemInput, ...func(*dynamodb.Options)) (*dynamodb.UpdateItemOutput, error)
	DeleteItem(context.Context, *dynamodb.DeleteItemInput, ...func(*dynamodb.Options)) (*dynamodb.DeleteItemOutput, error)
	BatchWriteItem(context.Context, *dynamodb.BatchWriteItemInput, ...func(*dynamodb.Options)) (*dynamodb.BatchWriteItemOutput, error)
}

// NewClient returns a DynamoDB client. With an endpoint (DynamoDB Local) and
// no AWS credentials in the environment it signs with local placeholders,
// which DynamoDB Local accepts; without one the SDK's chain applies.
// httpClient may be nil.
func NewClient(ctx context.Context, cfg config.DynamoDB, httpClient *http.Client) (*dynamodb.Client, error) {
	opts := []func(*awsconfig.LoadOptions) error{
		awsconfig.WithRegion(cfg.Region),
		// Fail fast and let the caller (the outbox, or the user) retry.
		awsconfig.WithRetryer(func() aws.Retryer {
			return retry.NewStandard(func(o *retry.StandardOptions) { o.MaxAttempts = 2; o.MaxBackoff = 200 * time.Millisecond })
		}),
	}
	if cfg.Endpoint != "" {
		opts = append(opts, awsconfig.WithCredentialsProvider(localCredentials{}))
	}
	awsCfg, err := awsconfig.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("dynamodb config: %w", err)
	}
	return dynamodb.NewFromConfig(awsCfg, func(o *dynamodb.Options) {
		if cfg.Endpoint != "" {
			o.BaseEndpoint = aws.String(cfg.Endpoint)
		}
		// Set here rather than in LoadDefaultConfig, which insists on an
		// *awshttp.BuildableClient when AWS_CA_BUNDLE is set.
		if httpClient != nil {
			o.HTTPClient = httpClient
		}
	}), nil
}

// localCredentials are the environment's AWS keys when set, else placeholders.
type localCredentials struct{}

func (localCredentials) Retrieve(ctx context.Context) (aws.Credentials, error) {
	env, err := awsconfig.NewEnvConfig()
	if err == nil && env.Credentials.HasKeys() {
		return env.Credentials, nil
	}
	return credentials.NewStaticCredentialsProvider("cruddur-local", "cruddur-local", "").Retrieve(ctx)
}

// CreateTables creates the tables of db/dynamodb that do not exist yet,
// waits until they are ACTIVE, and turns on TTL where the endpoint can.
// It returns the names it created.
func CreateTables(ctx context.Context, client *dynamodb.Client, cfg config.DynamoDB) ([]string, error) {
	names := map[string]string{"messages.json": cfg.MessageTable, "notifications.json": cfg.NotificationTable}
	var created []string
	for file, name := range names {
		raw, err := fs.ReadFile(db.DynamoDB, "dynamodb/"+file)
		if err != nil {
			return created, err
		}
		var in dynamodb.CreateTableInput
		if err := json.Unmarshal(raw, &in); err != nil {
			return created, fmt.Errorf("db/dynamodb/%s: %w", file, err)
		}
		in.TableName = aws.String(name)
		_, err = client.CreateTable(ctx, &in)
		var inUse *types.ResourceInUseException
		switch {
		case errors.As(err, &inUse):
		case err != nil:
			return created, classify("create table "+name, err)
		default:
			created = append(created, name)
		}
		waiter := dynamodb.NewTableExistsWaiter(client, func(o *dynamodb.TableExistsWaiterOptions) {
			o.MinDelay = 100 * time.Millisecond
			o.MaxDelay = time.Second
		})
		if err := waiter.Wait(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(name)}, 2*time.Minute); err != nil {
			return created, classify("wait for table "+name, err)
		}
	}
	// Expired notifications are also filtered on read, so an endpoint
	// without TTL (dynalite) loses nothing but storage.
	_, err := client.UpdateTimeToLive(ctx, &dynamodb.UpdateTimeToLiveInput{
		TableName:               aws.String(cfg.NotificationTable),
		TimeToLiveSpecification: &types.TimeToLiveSpecification{AttributeName: aws.String("ttl"), Enabled: aws.Bool(true)},
	})
	if err != nil && !ttlUnsupportedOrSet(err) {
		return created, classify("enable ttl", err)
	}
	return created, nil
}

func ttlUnsupportedOrSet(err error) bool {
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) {
		return false
	}
	code := apiErr.ErrorCode()
	return strings.Contains(code, "UnknownOperation") || (code == "ValidationException" && strings.Contains(apiErr.ErrorMessage(), "already enabled"))
}

// classify wraps err as ErrUnavailable unless DynamoDB understood the
// request and refused it, which is a fault of ours.
func classify(op string, err error) error {
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		switch apiErr.ErrorCode() {
		case "ValidationException", "SerializationException", "ConditionalCheckFailedException":
			return fmt.Errorf("dynamodb %s: %w", op, err)
		}
	}
	return fmt.Errorf("dynamodb %s: %w: %w", op, ErrUnavailable, err)
}

// Attribute helpers: items are built and read by hand, so the table layout
// is plain to see here and in db/dynamodb/README.md.

func str(s string) *types.AttributeValueMemberS { return &types.AttributeValueMemberS{Value: s} }

func num(n int64) *types.AttributeValueMemberN {
	return &types.AttributeValueMemberN{Value: fmt.Sprint(n)}
}

func getS(item map[string]types.AttributeValue, name string) string {
	if v, ok := item[name].(*types.AttributeValueMemberS); ok {
		return v.Value
	}
	return ""
}

func getBool(item map[string]types.AttributeValue, name string) bool {
	v, ok := item[name].(*types.AttributeValueMemberBOOL)
	return ok && v.Value
}

func getTime(item map[string]types.AttributeValue, name string) time.Time {
	t, _ := time.Parse(time.RFC3339Nano, getS(item, name))
	return t
}

// timeKey formats a time as a fixed-width sort key.
func timeKey(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.000000Z")
}
