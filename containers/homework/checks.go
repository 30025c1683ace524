package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/compose-spec/compose-go/v2/cli"
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers/legacy"
	"github.com/jackc/pgx/v5"
	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/parser"

	"github.com/cruddur/cruddur-go/backend/openapi"
)

var httpClient = &http.Client{Timeout: 10 * time.Second}

func checkNotificationsEndpoint(ctx context.Context, cfg Config) result {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, cfg.BackendURL+"/api/activities/notifications", nil)
	resp, err := httpClient.Do(req)
	if err != nil {
		return failErr(err, "start the stack (docker compose up, or make dev) and check BACKEND_URL")
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode == http.StatusUnauthorized {
		return fail("401: the endpoint needs a signed-in user", "set DEMO_HANDLE=andrewbrown for the backend, as docker-compose.yml does")
	}
	doc, err := openapi3.NewLoader().LoadFromData(openapi.Document)
	if err != nil {
		return failErr(err, "backend/openapi/openapi.yaml must load")
	}
	doc.Servers = nil
	router, err := legacy.NewRouter(doc)
	if err != nil {
		return failErr(err, "backend/openapi/openapi.yaml must be valid")
	}
	route, params, err := router.FindRoute(req)
	if err != nil {
		return fail("the OpenAPI document has no GET /api/activities/notifications", "document it in backend/openapi/openapi.yaml")
	}
	err = openapi3filter.ValidateResponse(ctx, &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
			Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}},
		Status: resp.StatusCode, Header: resp.Header, Body: io.NopCloser(bytes.NewReader(body)),
		Options: &openapi3filter.Options{IncludeResponseStatus: true},
	})
	if err != nil {
		return fail(fmt.Sprintf("%d does not match the document: %v", resp.StatusCode, err), "make the handler answer what openapi.yaml says")
	}
	var items []json.RawMessage
	if resp.StatusCode != http.StatusOK || json.Unmarshal(body, &items) != nil {
		return fail(fmt.Sprintf("answered %d, not a JSON array", resp.StatusCode), "GET /api/activities/notifications must answer 200 with an array")
	}
	return pass(fmt.Sprintf("200, %d notifications, valid against openapi.yaml", len(items)))
}

func checkOpenAPIPath(ctx context.Context, cfg Config) result {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, cfg.BackendURL+"/api/openapi.yaml", nil)
	resp, err := httpClient.Do(req)
	if err != nil {
		return failErr(err, "start the backend")
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	doc, err := openapi3.NewLoader().LoadFromData(body)
	if err != nil {
		return failErr(err, "GET /api/openapi.yaml must serve the OpenAPI document")
	}
	item := doc.Paths.Value("/api/activities/notifications")
	if item == nil || item.Get == nil {
		return fail("no GET /api/activities/notifications in the served document", "add it to backend/openapi/openapi.yaml")
	}
	return pass(fmt.Sprintf("documented as %q with %d responses", item.Get.Summary, item.Get.Responses.Len()))
}

func checkNotificationsPage(ctx context.Context, cfg Config) result {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 10 * time.Second}
	form := url.Values{"login": {cfg.Login}, "password": {cfg.Password}}
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, cfg.FrontendURL+"/signin", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := c.Do(req)
	if err != nil {
		return failErr(err, "start the frontend and check FRONTEND_URL")
	}
	resp.Body.Close()
	req, _ = http.NewRequestWithContext(ctx, http.MethodGet, cfg.FrontendURL+"/notifications", nil)
	resp, err = c.Do(req)
	if err != nil {
		return failErr(err, "start the frontend")
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || !bytes.Contains(body, []byte(">Notifications</h1>")) {
		return fail(fmt.Sprintf("answered %d without the Notifications heading (signed in as %s?)", resp.StatusCode, cfg.Login),
			"seed the demo data (go run ./backend seed) and check the frontend reaches the backend")
	}
	return pass(fmt.Sprintf("200, %d notifications listed for %s", bytes.Count(body, []byte(`data-testid="notification"`)), cfg.Login))
}

func checkPostgres(ctx context.Context, cfg Config) result {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, cfg.DatabaseURL)
	if err != nil {
		return failErr(err, "is the db service up and published on 127.0.0.1:5432? check POSTGRES_USER and POSTGRES_PASSWORD in .env")
	}
	defer conn.Close(ctx)
	var version string
	var migrations int
	if err := conn.QueryRow(ctx, `SELECT current_setting('server_version')`).Scan(&version); err != nil {
		return failErr(err, "the database answers but refuses queries")
	}
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM schema_migrations`).Scan(&migrations); err != nil {
		return fail("connected, but the schema is missing", "run go run ./backend migrate (the compose setup job does)")
	}
	return pass(fmt.Sprintf("PostgreSQL %s, %d migrations applied", version, migrations))
}

// checkDynamoDB makes a scratch table, writes, scans and lists it, and
// deletes it again.
func checkDynamoDB(ctx context.Context, cfg Config) result {
	db := dynamodb.New(dynamodb.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(cfg.DynamoDBEndpoint),
		Credentials:  credentials.NewStaticCredentialsProvider("homework", "homework", ""),
		HTTPClient:   httpClient,
	})
	suffix := make([]byte, 4)
	rand.Read(suffix)
	table := "homework-check-" + hex.EncodeToString(suffix)
	fix := "is dynamodb-local up and published on 127.0.0.1:8000? check DYNAMODB_ENDPOINT"
	_, err := db.CreateTable(ctx, &dynamodb.CreateTableInput{
		TableName:            aws.String(table),
		AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String("pk"), AttributeType: types.ScalarAttributeTypeS}},
		KeySchema:            []types.KeySchemaElement{{AttributeName: aws.String("pk"), KeyType: types.KeyTypeHash}},
		BillingMode:          types.BillingModePayPerRequest,
	})
	if err != nil {
		return failErr(err, fix)
	}
	defer db.DeleteTable(context.WithoutCancel(ctx), &dynamodb.DeleteTableInput{TableName: aws.String(table)})
	if err := dynamodb.NewTableExistsWaiter(db).Wait(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(table)}, time.Minute); err != nil {
		return failErr(err, fix)
	}
	if _, err := db.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(table), Item: map[string]types.AttributeValue{
		"pk": &types.AttributeValueMemberS{Value: "homework"}, "message": &types.AttributeValueMemberS{Value: "hello"},
	}}); err != nil {
		return failErr(err, fix)
	}
	scan, err := db.Scan(ctx, &dynamodb.ScanInput{TableName: aws.String(table)})
	if err != nil || scan.Count != 1 {
		return fail(fmt.Sprintf("scan found %v items (%v)", scan, err), fix)
	}
	list, err := db.ListTables(ctx, &dynamodb.ListTablesInput{})
	if err != nil {
		return failErr(err, fix)
	}
	found := false
	for _, n := range list.TableNames {
		found = found || n == table
	}
	if !found {
		return fail("list-tables does not show the scratch table", fix)
	}
	if _, err := db.DeleteTable(ctx, &dynamodb.DeleteTableInput{TableName: aws.String(table)}); err != nil {
		return failErr(err, fix)
	}
	return pass(fmt.Sprintf("round trip on %s done (%d tables listed), scratch table deleted", table, len(list.TableNames)))
}

// checkComposeHealthy asks the docker CLI; where it cannot reach an engine
// (as on machines without Docker) the check does not apply.
func checkComposeHealthy(ctx context.Context, cfg Config) result {
	if _, err := exec.LookPath("docker"); err != nil {
		return skip("no docker CLI here: this check applies where docker compose runs the stack")
	}
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "docker", "compose", "ps", "--all", "--format", "json")
	cmd.Dir = cfg.Repo
	out, err := cmd.Output()
	if err != nil {
		return skip("the docker CLI cannot see a running compose project here (no engine?): run this where docker compose up runs")
	}
	var unhealthy []string
	services := 0
	dec := json.NewDecoder(bytes.NewReader(out))
	for dec.More() {
		var s struct{ Service, State, Health string }
		if err := dec.Decode(&s); err != nil {
			// Older versions print one JSON array.
			var list []struct{ Service, State, Health string }
			if json.Unmarshal(out, &list) != nil {
				return failErr(err, "update docker compose")
			}
			for _, s := range list {
				services++
				if s.Service != "setup" && s.Health != "healthy" {
					unhealthy = append(unhealthy, s.Service+" ("+s.State+" "+s.Health+")")
				}
			}
			break
		}
		services++
		if s.Service != "setup" && s.Health != "healthy" {
			unhealthy = append(unhealthy, s.Service+" ("+s.State+" "+s.Health+")")
		}
	}
	if services == 0 {
		return fail("no compose services are running", "docker compose up")
	}
	if len(unhealthy) > 0 {
		return fail("not healthy: "+strings.Join(unhealthy, ", "), "docker compose ps; docker compose logs SERVICE")
	}
	return pass(fmt.Sprintf("%d services, every long-running one healthy", services))
}

func dockerfileStages(cfg Config, name string) ([]instructions.Stage, error) {
	b, err := os.ReadFile(filepath.Join(cfg.Repo, name))
	if err != nil {
		return nil, err
	}
	res, err := parser.Parse(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	stages, _, err := instructions.Parse(res.AST, nil)
	return stages, err
}

func checkMultiStage(_ context.Context, cfg Config) result {
	var counts []string
	for _, name := range []string{"Dockerfile.backend", "Dockerfile.frontend"} {
		stages, err := dockerfileStages(cfg, name)
		if err != nil {
			return failErr(err, "run this from the repository's root (or set CRUDDUR_REPO)")
		}
		if len(stages) < 2 {
			return fail(name+" has one stage", "build in one stage and copy the binary into a small final one")
		}
		counts = append(counts, fmt.Sprintf("%s: %d stages", name, len(stages)))
	}
	return pass(strings.Join(counts, ", "))
}

func checkComposeHealthchecks(ctx context.Context, cfg Config) result {
	opts, err := cli.NewProjectOptions([]string{filepath.Join(cfg.Repo, "docker-compose.yml")}, cli.WithWorkingDirectory(cfg.Repo), cli.WithName("cruddur"))
	if err != nil {
		return failErr(err, "docker-compose.yml must load")
	}
	p, err := opts.LoadProject(ctx)
	if err != nil {
		return failErr(err, "docker-compose.yml must be valid")
	}
	var missing, with []string
	for _, s := range p.Services {
		if s.Restart == "no" {
			continue // a one-shot job
		}
		if s.HealthCheck == nil || s.HealthCheck.Disable || len(s.HealthCheck.Test) == 0 {
			missing = append(missing, s.Name)
		} else {
			with = append(with, s.Name)
		}
	}
	if len(missing) > 0 {
		return fail("no healthcheck: "+strings.Join(missing, ", "), "add a healthcheck to each")
	}
	return pass("healthchecks on " + strings.Join(with, ", "))
}

func checkCMDScript(_ context.Context, cfg Config) result {
	var scripts []string
	for _, name := range []string{"Dockerfile.backend", "Dockerfile.frontend"} {
		stages, err := dockerfileStages(cfg, name)
		if err != nil {
			return failErr(err, "run this from the repository's root")
		}
		found := false
		for _, st := range stages {
			for _, c := range st.Commands {
				cmd, ok := c.(*instructions.CmdCommand)
				if !ok || len(cmd.CmdLine) == 0 || !strings.HasSuffix(cmd.CmdLine[0], ".sh") {
					continue
				}
				if _, err := os.Stat(filepath.Join(cfg.Repo, cmd.CmdLine[0])); err == nil {
					found = true
					scripts = append(scripts, name+" "+st.Name+": "+cmd.CmdLine[0])
				}
			}
		}
		if !found {
			return fail(name+" has no CMD that runs a script from the repository", `CMD ["./scripts/your-script.sh"]`)
		}
	}
	return pass(strings.Join(scripts, ", "))
}
