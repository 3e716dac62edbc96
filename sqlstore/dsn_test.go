package sqlstore

import "testing"

func TestPostgresDSN(t *testing.T) {
	tests := []struct{ in, want string }{
		{"postgres://u@h:5432/db?sslmode=disable", "postgres://u@h:5432/db?plan_cache_mode=force_custom_plan&sslmode=disable"},
		{"postgres://u@h/db", "postgres://u@h/db?plan_cache_mode=force_custom_plan"},
		{"postgres://u@h/db?plan_cache_mode=auto", "postgres://u@h/db?plan_cache_mode=auto"}, // the operator's choice stands
	}
	for _, tt := range tests {
		if got := postgresDSN(tt.in); got != tt.want {
			t.Errorf("postgresDSN(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
