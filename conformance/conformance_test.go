package conformance_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/smoochkit/smooch-go/conformance"
)

// TestConformance drives the smooch client through every operation of the
// contract and the documented flows, one cassette per scenario, validating
// every exchange against openapi/smooch.yaml. SMOOCH_CONFORMANCE picks the
// mode: replay (default, offline), record (against a deterministic
// smoochtest, rewriting cassettes/) or live (against SMOOCH_API_URL).
func TestConformance(t *testing.T) {
	s := newSuite(t)
	scenarios := []struct {
		name string
		run  func(h *harness)
	}{
		{"apps_guide", appsGuide},
		{"apps", apps},
		{"paging", paging},
		{"app_keys", appKeys},
		{"service_accounts", serviceAccounts},
		{"channels", channels},
		{"webhooks", webhooks},
		{"auth", auth},
		{"integration_updates", integrationUpdates},
		{"menus", menus},
		{"app_scope_paths", appScopePaths},
		{"v1.1_deployments", deployments},
		{"v1.1_integrations", v11Integrations},
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) { sc.run(s.scenario(t, sc.name)) })
	}
	s.checkRun(t, len(scenarios))
}

// checkRun judges the run's cassettes as a whole: all valid, no secret, every
// operation covered; in replay and record, no stale cassette.
// Coverage and staleness are judged only when all of the suite's scenarios
// ran: a run narrowed with -run (TestConformance/webhooks) covers little and
// leaves the other cassettes unread, which says nothing about them.
func (s *suite) checkRun(t *testing.T, scenarios int) {
	if s.ctx.Err() != nil {
		t.Fatal("interrupted: the run is incomplete")
	}
	cassettes, err := conformance.LoadCassettes(s.scenarios...)
	require.NoError(t, err)
	total, violations := s.checker.CheckCassettes(context.Background(), cassettes)
	for _, v := range violations {
		if v.Warning {
			t.Log(v)
		} else {
			t.Error(v)
		}
	}
	findings, err := conformance.ScanSecrets(s.scenarios...)
	require.NoError(t, err)
	for _, f := range findings {
		t.Errorf("secret in a cassette: %s", f)
	}
	coverage := conformance.NewCoverage(s.checker.Validator().Doc())
	coverage.AddCassettes(s.checker, cassettes)
	var table strings.Builder
	require.NoError(t, coverage.WriteTable(&table))
	t.Logf("%d interactions in %d cassettes\n%s", total, len(cassettes), table.String())
	whole := len(s.scenarios) == scenarios
	if whole {
		for _, gap := range coverage.Gaps() {
			operation, _, _ := strings.Cut(gap, " ")
			if why, ok := s.excused[operation]; ok && s.mode == modeLive {
				t.Logf("not covered in this live run: %s: %s", gap, why)
				continue
			}
			t.Errorf("not covered: %s", gap)
		}
	} else {
		t.Logf("%d of %d scenarios ran: coverage and stale cassettes are judged on full runs only", len(s.scenarios), scenarios)
	}

	if s.mode == modeLive {
		// What a scenario left behind is judged by sweepLeftovers, which runs after this.
		t.Logf("cassettes of this live run: %s", s.dir)
		return
	}
	if whole {
		entries, err := os.ReadDir(s.dir)
		require.NoError(t, err)
		for _, e := range entries {
			if path := filepath.Join(s.dir, e.Name()); !slices.Contains(s.scenarios, path) {
				t.Errorf("%s belongs to no scenario: delete it, or re-record", path)
			}
		}
	}
}
