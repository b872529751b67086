package conformance_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/smoochkit/smooch-go/conformance"
	"github.com/smoochkit/smooch-go/smooch"
)

// Live mode deletes everything it creates, whatever happens to a scenario.

// tracker remembers what a live scenario created, to delete it whatever happens.
type tracker struct {
	mu              sync.Mutex
	apps            []string
	serviceAccounts []string
}

func (h *harness) createdApp(id string) {
	h.cleanup.mu.Lock()
	defer h.cleanup.mu.Unlock()
	h.cleanup.apps = append(h.cleanup.apps, id)
}

func (h *harness) createdServiceAccount(id string) {
	h.cleanup.mu.Lock()
	defer h.cleanup.mu.Unlock()
	h.cleanup.serviceAccounts = append(h.cleanup.serviceAccounts, id)
}

// cleanupTimeout bounds the deletes at the end of a live scenario or run, so
// that an API that stops answering fails the run instead of hanging it.
const cleanupTimeout = 2 * time.Minute

// deleteAll deletes every tracked resource that still exists. Deleting an app
// deletes its keys, integrations and webhooks; deleting a service account its keys.
func (tr *tracker) deleteAll(t *testing.T, janitor *smooch.Client) {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), cleanupTimeout)
	defer cancel()
	for _, id := range tr.apps {
		if err := janitor.Apps.Delete(ctx, id); err != nil && !smooch.IsNotFound(err) {
			t.Errorf("cleanup: delete app %s: %v", id, err)
		}
	}
	for _, id := range tr.serviceAccounts {
		if err := janitor.ServiceAccounts.Delete(ctx, id); err != nil && !smooch.IsNotFound(err) {
			t.Errorf("cleanup: delete service account %s: %v", id, err)
		}
	}
}

// sweepLeftovers ends a live run: whatever still carries this run's prefix
// escaped its scenario's tracker (a create whose answer was lost, or a
// scenario that forgot to track). It is deleted, and the run fails naming it.
func (s *suite) sweepLeftovers(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), cleanupTimeout)
	defer cancel()
	_, err := conformance.Sweep(ctx, s.janitor, s.runPrefix, false, func(line string) {
		t.Errorf("left behind by a scenario: %s", line)
	})
	if err != nil {
		t.Errorf("sweep this run's leftovers (%s…): %v; run make conformance-sweep", s.runPrefix, err)
	}
}
