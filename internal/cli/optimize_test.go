package cli

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"
)

type optimizeCalls chan struct{}

func (c optimizeCalls) Optimize(context.Context) error {
	c <- struct{}{}
	return nil
}

// TestOptimizeLoopAtStart: serve's statistics loop refreshes them once its start delay is over (a
// database seeded by an older awapi has none), not an hour later.
func TestOptimizeLoopAtStart(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	calls := make(optimizeCalls)
	go optimizeLoop(ctx, calls, slog.New(slog.NewTextHandler(io.Discard, nil)), 0)
	select {
	case <-calls:
	case <-time.After(time.Minute):
		t.Fatal("optimizeLoop did not refresh the statistics at start")
	}
}
