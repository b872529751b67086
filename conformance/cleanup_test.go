package conformance_test

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"sync"
	"syscall"
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
	deployments     []string // WhatsApp deployments (v1.1): they carry no name for a sweep to find
}

func (h *harness) createdDeployment(id string) {
	h.cleanup.mu.Lock()
	defer h.cleanup.mu.Unlock()
	h.cleanup.deployments = append(h.cleanup.deployments, id)
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
	// After the apps: a deployment an integration uses cannot be deleted, and deleting the app deleted it.
	for _, id := range tr.deployments {
		if err := janitor.Deployments.Delete(ctx, id, smooch.WithAPIVersion(smooch.APIVersion1_1)); err != nil && !smooch.IsNotFound(err) {
			t.Errorf("cleanup: delete WhatsApp deployment %s: %v", id, err)
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

// cancelOnInterrupt returns a context that an interrupt (Ctrl-C) or SIGTERM
// cancels. Without it the signal kills the process before any cleanup runs,
// leaving the run's resources on the account; with it the scenario's pending
// call fails, its cleanup and the end-of-run sweep delete what the run made,
// and the process exits. A second interrupt kills at once, as usual.
func (s *suite) cancelOnInterrupt(t *testing.T) context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case sig := <-signals:
			signal.Stop(signals)
			fmt.Fprintf(os.Stderr, "smooch-conformance: %v: deleting what this run created (interrupt again to quit now, then run make conformance-sweep)\n", sig)
			cancel()
		case <-done:
		}
	}()
	t.Cleanup(func() {
		close(done)
		signal.Stop(signals)
		cancel()
	})
	return ctx
}
