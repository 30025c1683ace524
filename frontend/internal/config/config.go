// Package config reads the frontend's settings from the environment, once, at start.
package config

import (
	"fmt"
	"log/slog"
	"net/url"
	"strconv"
)

// Config is every setting the frontend takes.
type Config struct {
	Port int
	// BackendURL is where the frontend reaches the API (server to server).
	BackendURL string
	// PublicURL is the origin people's browsers use (FRONTEND_URL): its
	// scheme decides Secure cookies and cross-origin protection trusts it.
	PublicURL string
	LogLevel  slog.Level
	// DevReload lets templ's live-reload script (served by its proxy, from
	// this origin) through the Content-Security-Policy. Development only.
	DevReload bool
}

// Error names the setting at fault and how to fix it, in one line.
type Error struct{ Name, Problem, Fix string }

func (e *Error) Error() string { return fmt.Sprintf("%s %s; %s", e.Name, e.Problem, e.Fix) }

// Secure reports whether people reach the frontend over https.
func (c Config) Secure() bool {
	u, _ := url.Parse(c.PublicURL)
	return u != nil && u.Scheme == "https"
}

// Load reads the settings from getenv.
func Load(getenv func(string) string) (Config, error) {
	c := Config{Port: 3000, BackendURL: "http://localhost:4567", PublicURL: "http://localhost:3000", LogLevel: slog.LevelInfo}
	if v := getenv("PORT"); v != "" {
		p, err := strconv.Atoi(v)
		if err != nil || p < 1 || p > 65535 {
			return c, &Error{"PORT", fmt.Sprintf("is %q, not a port number", v), "use a number from 1 to 65535, such as 3000"}
		}
		c.Port = p
	}
	for _, s := range []struct {
		name, example string
		dst           *string
	}{{"BACKEND_URL", "http://backend:4567", &c.BackendURL}, {"FRONTEND_URL", "http://localhost:3000", &c.PublicURL}} {
		v := getenv(s.name)
		if v == "" {
			continue
		}
		u, err := url.Parse(v)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return c, &Error{s.name, fmt.Sprintf("is %q, not an http(s) URL", v), "use a URL such as " + s.example}
		}
		*s.dst = u.Scheme + "://" + u.Host
	}
	c.DevReload = getenv("DEV_RELOAD") == "1"
	if v := getenv("LOG_LEVEL"); v != "" {
		if err := c.LogLevel.UnmarshalText([]byte(v)); err != nil {
			return c, &Error{"LOG_LEVEL", fmt.Sprintf("is %q", v), "use debug, info, warn or error"}
		}
	}
	return c, nil
}
