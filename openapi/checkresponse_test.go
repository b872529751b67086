package openapi

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCheckResponseAnswersAsItsTwoHalves holds CheckResponse to ValidateResponse followed by
// UndeclaredResponseFields, which it replaces with one decoding: for every operation and declared status,
// with the contract's own examples, broken bodies, extra members, other content types and undeclared
// statuses, both give the same error text and the same members.
func TestCheckResponseAnswersAsItsTwoHalves(t *testing.T) {
	v, err := NewValidator()
	require.NoError(t, err)
	ctx := context.Background()
	bodies := []string{``, `{}`, `[]`, `null`, `{"error":{"code":"x","description":"y"}}`, `{"error":{"code":1}}`,
		`{"app":{"_id":"a","name":"n","extra":1,"settings":{"maskCreditCardNumbers":"no","more":[1]}}}`,
		`{"apps":[{"_id":"a","name":"n"}],"hasMore":false,"offset":0,"x":{"y":2}}`, `{"integration":{"_id":"i","type":"telegram","username":"b","zz":true}}`,
		`{"integration":{"_id":"i","type":"nope"}}`, `{"key":{"_id":"k","name":"n","secret":"s"}} trailing`, `{"jwt":"a.b.c"}{"jwt":"x"}`, `{"webhook":`, `not json`,
		`{"webhooks":[{"_id":"w","target":"t","triggers":["message","nope"],"secret":"s"}]}`, `{"serviceAccount":{"_id":"s","name":"n"}}`}
	checked := 0
	for path, item := range v.Doc().Paths.Map() {
		for method, op := range item.Operations() {
			target := strings.NewReplacer("{appId}", "a1", "{keyId}", "k1", "{serviceAccountId}", "s1", "{integrationId}", "i1", "{webhookId}", "w1").Replace(path)
			req := httptest.NewRequest(method, "http://api.example"+target, nil)
			req.Header.Set("Authorization", "Bearer x.y.z")
			in, _ := v.ValidateRequest(ctx, req)
			require.NotNil(t, in, "%s %s", method, target)
			var examples []string
			for _, resp := range op.Responses.Map() {
				for _, media := range resp.Value.Content {
					for _, ex := range media.Examples {
						examples = append(examples, mustJSON(t, ex.Value.Value))
					}
				}
			}
			for _, status := range []int{200, 201, 400, 404, 418, 500} {
				for _, contentType := range []string{"application/json", "application/json; charset=utf-8", "text/plain", "", "application/problem+json"} {
					for _, body := range append(examples, bodies...) {
						header := http.Header{}
						if contentType != "" {
							header.Set("Content-Type", contentType)
						}
						wantErr := v.ValidateResponse(ctx, in, status, header, []byte(body))
						var want []string
						if wantErr == nil {
							want, wantErr = v.UndeclaredResponseFields(in, status, contentType, []byte(body))
						}
						got, gotErr := v.CheckResponse(ctx, in, status, header, []byte(body))
						if !assert.Equal(t, errText(wantErr), errText(gotErr), "%s %d %q %s", op.OperationID, status, contentType, body) {
							continue
						}
						if wantErr == nil {
							assert.Equal(t, want, got, "%s %d %q %s", op.OperationID, status, contentType, body)
						}
						checked++
					}
				}
			}
		}
	}
	assert.Greater(t, checked, 10000)
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}
