package conformance_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smoochkit/smooch-go/conformance"
)

// The committed cassettes, whatever the mode: no secret, every interaction
// valid against the contract with no undeclared field, every operation
// covered by a 2xx and an error.
func TestCommittedCassettes(t *testing.T) {
	t.Parallel() // CPU-bound and self-contained: it runs beside the suite's tests that wait on loopback
	findings, err := conformance.ScanSecrets(committedCassettes)
	require.NoError(t, err)
	for _, f := range findings {
		t.Errorf("secret in a committed cassette: %s", f)
	}

	cassettes, err := conformance.LoadCassettes(committedCassettes)
	require.NoError(t, err)
	ch := checker(t)
	total, violations := ch.CheckCassettes(context.Background(), cassettes)
	assert.Greater(t, total, 100)
	for _, v := range violations {
		t.Error(v)
	}

	coverage := conformance.NewCoverage(ch.Validator().Doc())
	coverage.AddCassettes(ch, cassettes)
	assert.Empty(t, coverage.Gaps())
}
