package dynamo

import (
	"context"
	"encoding/base64"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/google/uuid"
)

// Notification types.
const (
	Reply   = "reply"
	Like    = "like"
	Repost  = "repost"
	Mention = "mention"
	Follow  = "follow"
	Message = "message"
)

// Types lists every notification type.
var Types = []string{Reply, Like, Repost, Mention, Follow, Message}

// Lifetime is the longest a notification lives; one about a crud also
// expires with it.
const Lifetime = 30 * 24 * time.Hour

// ErrNotificationNotFound is a dismiss of a notification the user does not have.
var ErrNotificationNotFound = errors.New("notification not found")

// Notification is what happened to Recipient, done by the actor.
type Notification struct {
	ID               uuid.UUID // UUIDv7: sorts by time
	Recipient        uuid.UUID
	Type             string
	ActorUUID        uuid.UUID
	ActorHandle      string
	ActorDisplayName string
	// SubjectUUID is what to show: the reply, the liked crud, the mentioning
	// activity, the message; for a follow, the notification itself.
	SubjectUUID uuid.UUID
	// ActivityUUID is the crud or reply it points to, if any.
	ActivityUUID *uuid.UUID
	Message      string
	CreatedAt    time.Time
	ExpiresAt    time.Time
	Read         bool
}

// Notifications is the notifications table.
type Notifications struct {
	api   API
	table string
}

// NewNotifications returns the table's operations.
func NewNotifications(api API, table string) *Notifications {
	return &Notifications{api: api, table: table}
}

const unreadIndex = "unread-index"

func userKey(user uuid.UUID) string { return "USER#" + user.String() }

func notifKey(id uuid.UUID) string { return "NOTIF#" + id.String() }

func (n Notification) item() map[string]types.AttributeValue {
	item := map[string]types.AttributeValue{
		"pk":                 str(userKey(n.Recipient)),
		"sk":                 str(notifKey(n.ID)),
		"type":               str(n.Type),
		"actor_uuid":         str(n.ActorUUID.String()),
		"actor_handle":       str(n.ActorHandle),
		"actor_display_name": str(n.ActorDisplayName),
		"subject_uuid":       str(n.SubjectUUID.String()),
		"message":            str(n.Message),
		"created_at":         str(n.CreatedAt.UTC().Format(time.RFC3339Nano)),
		"expires_at":         str(n.ExpiresAt.UTC().Format(time.RFC3339Nano)),
		"ttl":                num(n.ExpiresAt.Unix()),
		"read":               &types.AttributeValueMemberBOOL{Value: n.Read},
	}
	if n.ActivityUUID != nil {
		item["activity_uuid"] = str(n.ActivityUUID.String())
	}
	if !n.Read {
		item["unread_pk"] = str(userKey(n.Recipient))
	}
	return item
}

func notificationFrom(item map[string]types.AttributeValue) Notification {
	n := Notification{
		Type:             getS(item, "type"),
		ActorHandle:      getS(item, "actor_handle"),
		ActorDisplayName: getS(item, "actor_display_name"),
		Message:          getS(item, "message"),
		CreatedAt:        getTime(item, "created_at"),
		ExpiresAt:        getTime(item, "expires_at"),
		Read:             getBool(item, "read"),
	}
	n.ID, _ = uuid.Parse(strings.TrimPrefix(getS(item, "sk"), "NOTIF#"))
	n.Recipient, _ = uuid.Parse(strings.TrimPrefix(getS(item, "pk"), "USER#"))
	n.ActorUUID, _ = uuid.Parse(getS(item, "actor_uuid"))
	n.SubjectUUID, _ = uuid.Parse(getS(item, "subject_uuid"))
	if a, err := uuid.Parse(getS(item, "activity_uuid")); err == nil {
		n.ActivityUUID = &a
	}
	return n
}

// Ping checks the table answers, with one keyed read.
func (t *Notifications) Ping(ctx context.Context) error {
	_, err := t.api.GetItem(ctx, &dynamodb.GetItemInput{
		TableName: aws.String(t.table),
		Key:       map[string]types.AttributeValue{"pk": str("PING"), "sk": str("PING")},
	})
	if err != nil {
		return classify("ping", err)
	}
	return nil
}

// Put stores a notification once: a second Put of the same id changes
// nothing, so the outbox may retry freely.
func (t *Notifications) Put(ctx context.Context, n Notification) error {
	_, err := t.api.PutItem(ctx, &dynamodb.PutItemInput{
		TableName:           aws.String(t.table),
		Item:                n.item(),
		ConditionExpression: aws.String("attribute_not_exists(pk)"),
	})
	var exists *types.ConditionalCheckFailedException
	if err != nil && !errors.As(err, &exists) {
		return classify("put notification", err)
	}
	return nil
}

// NotificationPage selects part of a user's notifications, newest first.
type NotificationPage struct {
	Limit  int
	Cursor string   // from a previous page's Next
	Types  []string // only these; all when empty
}

// List returns a page of user's live notifications, newest first, in one
// Query, and the cursor of the next page ("" on the last). Filters apply
// after DynamoDB's limit, so a filtered page may be short yet not the last.
func (t *Notifications) List(ctx context.Context, user uuid.UUID, p NotificationPage) ([]Notification, string, error) {
	in := &dynamodb.QueryInput{
		TableName:                 aws.String(t.table),
		KeyConditionExpression:    aws.String("pk = :pk AND begins_with(sk, :prefix)"),
		FilterExpression:          aws.String("#ttl > :now"),
		ExpressionAttributeNames:  map[string]string{"#ttl": "ttl"},
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": str(userKey(user)), ":prefix": str("NOTIF#"), ":now": num(time.Now().Unix())},
		ScanIndexForward:          aws.Bool(false),
		Limit:                     aws.Int32(int32(p.Limit)),
	}
	if len(p.Types) > 0 {
		var names []string
		for i, typ := range p.Types {
			name := ":t" + strconv.Itoa(i)
			names = append(names, name)
			in.ExpressionAttributeValues[name] = str(typ)
		}
		in.FilterExpression = aws.String("#ttl > :now AND #type IN (" + strings.Join(names, ", ") + ")")
		in.ExpressionAttributeNames["#type"] = "type"
	}
	if p.Cursor != "" {
		sk, err := base64.RawURLEncoding.DecodeString(p.Cursor)
		if err != nil || !strings.HasPrefix(string(sk), "NOTIF#") {
			return nil, "", ErrBadCursor
		}
		in.ExclusiveStartKey = map[string]types.AttributeValue{"pk": str(userKey(user)), "sk": str(string(sk))}
	}
	out, err := t.api.Query(ctx, in)
	if err != nil {
		return nil, "", classify("list notifications", err)
	}
	list := make([]Notification, 0, len(out.Items))
	for _, item := range out.Items {
		list = append(list, notificationFrom(item))
	}
	next := ""
	if out.LastEvaluatedKey != nil {
		next = base64.RawURLEncoding.EncodeToString([]byte(getS(out.LastEvaluatedKey, "sk")))
	}
	return list, next, nil
}

// ErrBadCursor is a cursor this table did not make.
var ErrBadCursor = errors.New("bad cursor")

// UnreadCount counts user's unread, live notifications: one Query (one
// page per 1 MB of index) on the sparse unread index.
func (t *Notifications) UnreadCount(ctx context.Context, user uuid.UUID) (int, error) {
	count := 0
	err := t.eachUnread(ctx, user, "", types.SelectCount, func(out *dynamodb.QueryOutput) { count += int(out.Count) })
	return count, err
}

// eachUnread pages through a Query on the unread index, up to and including
// the key upTo when given, skipping expired notifications.
func (t *Notifications) eachUnread(ctx context.Context, user uuid.UUID, upTo string, sel types.Select, page func(*dynamodb.QueryOutput)) error {
	in := dynamodb.QueryInput{
		TableName:                aws.String(t.table),
		IndexName:                aws.String(unreadIndex),
		Select:                   sel,
		KeyConditionExpression:   aws.String("unread_pk = :pk AND begins_with(sk, :prefix)"),
		FilterExpression:         aws.String("#ttl > :now"),
		ExpressionAttributeNames: map[string]string{"#ttl": "ttl"},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": str(userKey(user)), ":prefix": str("NOTIF#"), ":now": num(time.Now().Unix()),
		},
	}
	if upTo != "" {
		in.KeyConditionExpression = aws.String("unread_pk = :pk AND sk BETWEEN :prefix AND :upto")
		in.ExpressionAttributeValues[":upto"] = str(upTo)
	}
	for {
		out, err := t.api.Query(ctx, &in)
		if err != nil {
			return classify("query unread", err)
		}
		page(out)
		if out.LastEvaluatedKey == nil {
			return nil
		}
		in.ExclusiveStartKey = out.LastEvaluatedKey
	}
}

// MarkRead marks user's unread notifications read: all of them, or those up
// to and including upTo. It returns how many it marked.
func (t *Notifications) MarkRead(ctx context.Context, user uuid.UUID, upTo *uuid.UUID) (int, error) {
	bound := ""
	if upTo != nil {
		bound = notifKey(*upTo)
	}
	var keys []map[string]types.AttributeValue
	err := t.eachUnread(ctx, user, bound, types.SelectAllProjectedAttributes, func(out *dynamodb.QueryOutput) {
		for _, item := range out.Items {
			keys = append(keys, map[string]types.AttributeValue{"pk": item["pk"], "sk": item["sk"]})
		}
	})
	if err != nil {
		return 0, err
	}
	marked := 0
	for _, key := range keys {
		// Conditional, so a notification dismissed meanwhile is not brought back.
		_, err := t.api.UpdateItem(ctx, &dynamodb.UpdateItemInput{
			TableName:                 aws.String(t.table),
			Key:                       key,
			UpdateExpression:          aws.String("SET #read = :true REMOVE unread_pk"),
			ConditionExpression:       aws.String("attribute_exists(pk)"),
			ExpressionAttributeNames:  map[string]string{"#read": "read"},
			ExpressionAttributeValues: map[string]types.AttributeValue{":true": &types.AttributeValueMemberBOOL{Value: true}},
		})
		var gone *types.ConditionalCheckFailedException
		if errors.As(err, &gone) {
			continue
		}
		if err != nil {
			return marked, classify("mark read", err)
		}
		marked++
	}
	return marked, nil
}

// Dismiss deletes one of user's notifications.
func (t *Notifications) Dismiss(ctx context.Context, user, id uuid.UUID) error {
	_, err := t.api.DeleteItem(ctx, &dynamodb.DeleteItemInput{
		TableName:           aws.String(t.table),
		Key:                 map[string]types.AttributeValue{"pk": str(userKey(user)), "sk": str(notifKey(id))},
		ConditionExpression: aws.String("attribute_exists(pk)"),
	})
	var missing *types.ConditionalCheckFailedException
	if errors.As(err, &missing) {
		return ErrNotificationNotFound
	}
	if err != nil {
		return classify("dismiss notification", err)
	}
	return nil
}
