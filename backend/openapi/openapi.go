// Package openapi embeds the OpenAPI 3 document of Cruddur's API, served at
// /api/openapi.yaml and used by the tests to check every answer.
package openapi

import _ "embed"

// Document is openapi.yaml.
//
//go:embed openapi.yaml
var Document []byte
