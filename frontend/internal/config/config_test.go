package config

import (
	"strings"
	"testing"
)

func env(kv ...string) func(string) string {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return func(k string) string { return m[k] }
}

func TestLoad_DefaultsAndPublicOrigin(t *testing.T) {
	c, err := Load(env())
	if err != nil || c.Port != 3000 || c.BackendURL != "http://localhost:4567" || c.PublicURL != "http://localhost:3000" || c.Secure() {
		t.Fatalf("defaults: %+v %v", c, err)
	}
	c, err = Load(env("FRONTEND_URL", "https://3000-abc.gitpod.io/", "BACKEND_URL", "http://backend:4567", "PORT", "8080"))
	if err != nil || c.PublicURL != "https://3000-abc.gitpod.io" || !c.Secure() || c.BackendURL != "http://backend:4567" || c.Port != 8080 {
		t.Fatalf("%+v %v", c, err)
	}
}

func TestLoad_NamesTheBadSetting(t *testing.T) {
	for name, e := range map[string]func(string) string{
		"PORT":         env("PORT", "http"),
		"BACKEND_URL":  env("BACKEND_URL", "backend:4567"),
		"FRONTEND_URL": env("FRONTEND_URL", "localhost"),
		"LOG_LEVEL":    env("LOG_LEVEL", "chatty"),
	} {
		if _, err := Load(e); err == nil || !strings.HasPrefix(err.Error(), name) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: %v", name, err)
		}
	}
}
