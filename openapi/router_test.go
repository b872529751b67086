package openapi

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/routers/gorillamux"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSegmentRouterAnswersAsGorillamux holds the validator's router to kin-openapi's gorillamux router, which
// it replaces for speed: for every operation of the contract with plain and hostile ids, for unknown paths and
// for known paths with another method, both find the same operation and parameters, or the same error.
func TestSegmentRouterAnswersAsGorillamux(t *testing.T) {
	doc, err := Load()
	require.NoError(t, err)
	routed := *doc
	routed.Servers = nil
	reference, err := gorillamux.NewRouter(&routed)
	require.NoError(t, err)
	mine := newSegmentRouter(&routed)

	var targets []string
	for path := range doc.Paths.Map() {
		for _, id := range []string{"55c8d9758590aa1900b9b9f6", "app_5723a347f82ba0516cb4ea34", "a%2Fb", "%2e%2e", "x%20y", "caf%C3%A9", "keys", "jwt"} {
			targets = append(targets, fillTemplate(path, id))
		}
		targets = append(targets, path+"/", path+"/extra", strings.TrimSuffix(path, "/"+lastSegment(path)))
	}
	targets = append(targets, "/", "/v1", "/v1/", "/v2/apps", "/v1/apps//keys", "/v1//apps", "/v1/apps?x=1")
	methods := []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete, http.MethodPatch, http.MethodHead}
	checked := 0
	for _, target := range targets {
		for _, method := range methods {
			req := httptest.NewRequest(method, "http://api.example"+target, nil)
			wantRoute, wantParams, wantErr := reference.FindRoute(req)
			gotRoute, gotParams, gotErr := mine.FindRoute(req)
			if !assert.Equal(t, wantErr, gotErr, "%s %s", method, target) {
				continue
			}
			checked++
			if wantErr != nil {
				continue
			}
			assert.Equal(t, wantRoute.Path, gotRoute.Path, "%s %s", method, target)
			assert.Equal(t, wantRoute.Operation.OperationID, gotRoute.Operation.OperationID, "%s %s", method, target)
			assert.Equal(t, wantRoute.Method, gotRoute.Method, "%s %s", method, target)
			if len(wantParams) > 0 || len(gotParams) > 0 {
				assert.Equal(t, wantParams, gotParams, "%s %s", method, target)
			}
		}
	}
	assert.Greater(t, checked, 900)
}

func fillTemplate(path, id string) string {
	segs := strings.Split(path, "/")
	for i, s := range segs {
		if strings.HasPrefix(s, "{") {
			segs[i] = id
		}
	}
	return strings.Join(segs, "/")
}

func lastSegment(path string) string {
	return path[strings.LastIndex(path, "/")+1:]
}
