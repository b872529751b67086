package conformance_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smoochkit/smooch-go/conformance"
	"github.com/smoochkit/smooch-go/openapi"
)

// embedded is the embedded contract's validator, loaded once: loading validates every example, which takes
// a while under the race detector, and a Validator is safe for concurrent use.
var embedded = sync.OnceValues(openapi.NewValidator)

// checker is a new Checker (its settings are a test's own) on the embedded contract.
func checker(t *testing.T) *conformance.Checker {
	t.Helper()
	v, err := embedded()
	require.NoError(t, err)
	return conformance.NewChecker(v)
}

func TestUndeclaredFieldsAreWarningsOnlyWhenAsked(t *testing.T) {
	c, err := conformance.LoadCassette("testdata/good.yaml")
	require.NoError(t, err)
	ex := conformance.ExchangeOf(c.Interactions[0])
	ex.RespBody = []byte(`{"app":{"_id":"a","name":"My App","region":"us"}}`)

	strict := checker(t)
	got := strict.Check(context.Background(), "live", 0, ex)
	require.Len(t, got, 1)
	assert.False(t, got[0].Warning)
	assert.Equal(t, `live: interaction 0: POST /v1/apps: response 201: field "app.region" is not declared by the contract`, got[0].String())

	lenient := checker(t)
	lenient.UndeclaredAreWarnings = true
	got = lenient.Check(context.Background(), "live", 0, ex)
	require.Len(t, got, 1)
	assert.True(t, got[0].Warning)
	assert.True(t, strings.HasPrefix(got[0].String(), "warning: live: interaction 0"))

	// A broken body stays an error either way.
	ex.RespBody = []byte(`{"app":{"_id":"a"}}`)
	got = lenient.Check(context.Background(), "live", 0, ex)
	require.Len(t, got, 1)
	assert.False(t, got[0].Warning)
}

func TestCheckerNamesTheOperation(t *testing.T) {
	c, err := conformance.LoadCassette("testdata/good.yaml")
	require.NoError(t, err)
	want := []string{"createApp", "listApps", "createAppKey", "getAppKeyJWT", "createIntegration", "deleteApp", "getApp", "createApp"}
	for i, in := range c.Interactions {
		id, err := checker(t).Operation(conformance.ExchangeOf(in))
		require.NoError(t, err)
		assert.Equal(t, want[i], id)
	}
	ex := conformance.ExchangeOf(c.Interactions[0])
	ex.URL = "https://api.smooch.io/v1/nothing"
	_, err = checker(t).Operation(ex)
	assert.Error(t, err)
}

func TestCoverageGaps(t *testing.T) {
	ch := checker(t)
	cov := conformance.NewCoverage(ch.Validator().Doc())
	cassettes, err := conformance.LoadCassettes("testdata")
	require.NoError(t, err)
	cov.AddCassettes(ch, cassettes)
	gaps := cov.Gaps()
	assert.Len(t, gaps, 54, "only createApp has both a 2xx and an error")
	assert.Contains(t, gaps, "getApp (GET /{apiVersion}/apps/{appId}): no 2xx interaction")
	assert.Contains(t, gaps, "listApps (GET /{apiVersion}/apps): no error interaction")
	assert.Contains(t, gaps, "updateApp (PUT /{apiVersion}/apps/{appId}): no 2xx interaction, no error interaction")

	cov.Add("getApp", 200)
	cov.Add("listApps", 401)
	cov.Add("listApps", 429)
	cov.Add("noSuchOperation", 200)
	assert.Len(t, cov.Gaps(), 52)
	var table strings.Builder
	require.NoError(t, cov.WriteTable(&table))
	assert.Regexp(t, `(?m)^listApps\s+GET\s+/\{apiVersion\}/apps\s+200 401 429\s+yes$`, table.String())
	assert.Contains(t, table.String(), "3 of 55 operations covered (a 2xx and an error interaction each); 1 interaction matches no operation")
}

func TestLoadCassettesRejectsWhatIsNotACassette(t *testing.T) {
	_, err := conformance.LoadCassettes()
	assert.Error(t, err)
	_, err = conformance.LoadCassettes("testdata/none.yaml")
	assert.Error(t, err)
	_, err = conformance.LoadCassette("check.go")
	assert.ErrorContains(t, err, "ends in .yaml")
}
