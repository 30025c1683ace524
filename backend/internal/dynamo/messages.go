package dynamo

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/google/uuid"
)

// ErrNotMember is a read or send in a conversation the user is not part of.
var ErrNotMember = errors.New("not a member of this message group")

// ErrGroupNotFound is a message group with no members.
var ErrGroupNotFound = errors.New("message group not found")

// Person is a member of a conversation, as stored on its rows.
type Person struct {
	UUID        uuid.UUID
	Handle      string
	DisplayName string
}

// MessageGroup is one of my conversations: the other member and the last message.
type MessageGroup struct {
	UUID      uuid.UUID
	With      Person
	Message   string
	CreatedAt time.Time
}

// DirectMessage is one message in a conversation.
type DirectMessage struct {
	UUID      uuid.UUID
	GroupUUID uuid.UUID
	From      Person
	Message   string
	CreatedAt time.Time
}

// Messages is the messages table (Cruddur's design, db/dynamodb/README.md).
type Messages struct {
	api   API
	table string
}

// NewMessages returns the table's operations.
func NewMessages(api API, table string) *Messages {
	return &Messages{api: api, table: table}
}

const groupIndex = "message-group-sk-index"

// groupNamespace makes one stable group uuid per pair of users, so "my
// conversation with @bayko" needs no lookup.
var groupNamespace = uuid.MustParse("5c0b3f8e-3b1d-4a57-9f5c-7a1d2e6b9c40")

// GroupUUID is the message group of two users, the same both ways round.
func GroupUUID(a, b uuid.UUID) uuid.UUID {
	pair := [][]byte{a[:], b[:]}
	slices.SortFunc(pair, bytes.Compare)
	return uuid.NewSHA1(groupNamespace, append(pair[0], pair[1]...))
}

// Groups returns my conversations, latest first, in one Query.
func (m *Messages) Groups(ctx context.Context, me uuid.UUID, limit int) ([]MessageGroup, error) {
	out, err := m.api.Query(ctx, &dynamodb.QueryInput{
		TableName:                 aws.String(m.table),
		KeyConditionExpression:    aws.String("pk = :pk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": str("GRP#" + me.String())},
		ScanIndexForward:          aws.Bool(false),
		Limit:                     aws.Int32(int32(limit)),
	})
	if err != nil {
		return nil, classify("list message groups", err)
	}
	// Two sends at the same moment can leave a stale row behind: keep the newest.
	seen := map[string]bool{}
	groups := []MessageGroup{}
	for _, item := range out.Items {
		g := groupFrom(item)
		if seen[g.UUID.String()] {
			continue
		}
		seen[g.UUID.String()] = true
		groups = append(groups, g)
	}
	return groups, nil
}

func groupFrom(item map[string]types.AttributeValue) MessageGroup {
	g := MessageGroup{Message: getS(item, "message"), CreatedAt: getTime(item, "sk")}
	g.UUID, _ = uuid.Parse(getS(item, "message_group_uuid"))
	g.With = personFrom(item)
	return g
}

func personFrom(item map[string]types.AttributeValue) Person {
	p := Person{Handle: getS(item, "user_handle"), DisplayName: getS(item, "user_display_name")}
	p.UUID, _ = uuid.Parse(getS(item, "user_uuid"))
	return p
}

// groupRows returns the group rows of a message group (one per member, plus
// any stale ones) in one Query on the group index.
func (m *Messages) groupRows(ctx context.Context, group uuid.UUID) ([]map[string]types.AttributeValue, error) {
	out, err := m.api.Query(ctx, &dynamodb.QueryInput{
		TableName:                 aws.String(m.table),
		IndexName:                 aws.String(groupIndex),
		KeyConditionExpression:    aws.String("message_group_uuid = :g"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":g": str(group.String())},
	})
	if err != nil {
		return nil, classify("query message group", err)
	}
	return out.Items, nil
}

// Other returns the member of group who is not me: ErrNotMember when I am
// not in it, ErrGroupNotFound when nobody is.
func (m *Messages) Other(ctx context.Context, group, me uuid.UUID) (Person, error) {
	rows, err := m.groupRows(ctx, group)
	if err != nil {
		return Person{}, err
	}
	return otherIn(rows, me)
}

func otherIn(rows []map[string]types.AttributeValue, me uuid.UUID) (Person, error) {
	if len(rows) == 0 {
		return Person{}, ErrGroupNotFound
	}
	for _, r := range rows {
		if getS(r, "pk") == "GRP#"+me.String() {
			return personFrom(r), nil
		}
	}
	return Person{}, ErrNotMember
}

// Conversation returns the latest messages of a group, oldest first, in one
// Query. Callers check membership first.
func (m *Messages) Conversation(ctx context.Context, group uuid.UUID, limit int) ([]DirectMessage, error) {
	out, err := m.api.Query(ctx, &dynamodb.QueryInput{
		TableName:                 aws.String(m.table),
		KeyConditionExpression:    aws.String("pk = :pk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": str("MSG#" + group.String())},
		ScanIndexForward:          aws.Bool(false),
		Limit:                     aws.Int32(int32(limit)),
	})
	if err != nil {
		return nil, classify("list messages", err)
	}
	list := make([]DirectMessage, 0, len(out.Items))
	for i := len(out.Items) - 1; i >= 0; i-- {
		item := out.Items[i]
		d := DirectMessage{GroupUUID: group, From: personFrom(item), Message: getS(item, "message"), CreatedAt: getTime(item, "created_at")}
		d.UUID, _ = uuid.Parse(getS(item, "message_uuid"))
		list = append(list, d)
	}
	return list, nil
}

// Send stores a message from me to them and moves the conversation to the
// top of both members' lists. There is no stream Lambda here: the backend
// updates both group rows itself, writing the new row before deleting the
// old, so a failure halfway leaves a duplicate (hidden on read), never a
// missing conversation.
func (m *Messages) Send(ctx context.Context, me, them Person, text string) (DirectMessage, error) {
	group := GroupUUID(me.UUID, them.UUID)
	old, err := m.groupRows(ctx, group)
	if err != nil {
		return DirectMessage{}, err
	}
	msg := DirectMessage{UUID: uuid.New(), GroupUUID: group, From: me, Message: text, CreatedAt: time.Now().UTC()}
	// The sort key is the time; a clash within the same microsecond moves on by one.
	for attempt := 0; ; attempt++ {
		_, err = m.api.PutItem(ctx, &dynamodb.PutItemInput{
			TableName: aws.String(m.table),
			Item: map[string]types.AttributeValue{
				"pk": str("MSG#" + group.String()), "sk": str(timeKey(msg.CreatedAt)),
				"message_uuid": str(msg.UUID.String()), "message": str(text),
				"created_at": str(msg.CreatedAt.Format(time.RFC3339Nano)),
				"user_uuid":  str(me.UUID.String()), "user_handle": str(me.Handle), "user_display_name": str(me.DisplayName),
			},
			ConditionExpression: aws.String("attribute_not_exists(pk)"),
		})
		var clash *types.ConditionalCheckFailedException
		if errors.As(err, &clash) && attempt < 5 {
			msg.CreatedAt = msg.CreatedAt.Add(time.Microsecond)
			continue
		}
		if err != nil {
			return DirectMessage{}, classify("put message", err)
		}
		break
	}
	sk := timeKey(msg.CreatedAt)
	for _, row := range []struct{ owner, other Person }{{me, them}, {them, me}} {
		_, err := m.api.PutItem(ctx, &dynamodb.PutItemInput{
			TableName: aws.String(m.table),
			Item: map[string]types.AttributeValue{
				"pk": str("GRP#" + row.owner.UUID.String()), "sk": str(sk),
				"message_group_uuid": str(group.String()), "message": str(text),
				"user_uuid": str(row.other.UUID.String()), "user_handle": str(row.other.Handle), "user_display_name": str(row.other.DisplayName),
			},
		})
		if err != nil {
			return DirectMessage{}, classify("put message group", err)
		}
	}
	for _, r := range old {
		if getS(r, "sk") >= sk {
			continue
		}
		if _, err := m.api.DeleteItem(ctx, &dynamodb.DeleteItemInput{
			TableName: aws.String(m.table),
			Key:       map[string]types.AttributeValue{"pk": r["pk"], "sk": r["sk"]},
		}); err != nil {
			return msg, nil // the message is sent; a stale row is hidden on read and removed next time
		}
	}
	return msg, nil
}

// DeleteGroup removes a conversation and both members' group rows (the seed
// uses it to start the demo conversation afresh).
func (m *Messages) DeleteGroup(ctx context.Context, group uuid.UUID) error {
	rows, err := m.groupRows(ctx, group)
	if err != nil {
		return err
	}
	out, err := m.api.Query(ctx, &dynamodb.QueryInput{
		TableName:                 aws.String(m.table),
		KeyConditionExpression:    aws.String("pk = :pk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": str("MSG#" + group.String())},
		ProjectionExpression:      aws.String("pk, sk"),
	})
	if err != nil {
		return classify("list messages", err)
	}
	for _, r := range append(rows, out.Items...) {
		if _, err := m.api.DeleteItem(ctx, &dynamodb.DeleteItemInput{
			TableName: aws.String(m.table),
			Key:       map[string]types.AttributeValue{"pk": r["pk"], "sk": r["sk"]},
		}); err != nil {
			return classify("delete message", err)
		}
	}
	return nil
}
