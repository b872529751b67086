package clienttest_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smoochkit/smooch-go/smooch"
)

// TestEveryOperationsErrorSaysWhetherItWasPerformed fails every operation of the client in the ways a call
// can fail, and checks that each error matches exactly one of ErrMaybePerformed and ErrNotPerformed, the one
// the failure implies: whatever the method, what the API refused, or what never left, was not performed;
// what it may have acted on may have been.
func TestEveryOperationsErrorSaysWhetherItWasPerformed(t *testing.T) {
	ctx := context.Background()
	closeConn := func(w http.ResponseWriter, _ *http.Request, _ int) {
		conn, _, err := http.NewResponseController(w).Hijack()
		if err == nil {
			_ = conn.Close()
		}
	}
	refused, err := refusingAddr(t)
	require.NoError(t, err)
	failures := []struct {
		name    string
		respond func(http.ResponseWriter, *http.Request, int) // nil: nothing listens
		want    error
	}{
		{"400", answer(400, `{"error":{"code":"bad_request","description":"scripted"}}`), smooch.ErrNotPerformed},
		{"404", answer(404, `{"error":{"code":"not_found","description":"scripted"}}`), smooch.ErrNotPerformed},
		{"429", answer(429, `{"error":{"code":"too_many_requests","description":"scripted"}}`), smooch.ErrNotPerformed},
		{"500", answer(500, `{"error":{"code":"internal_server_error","description":"scripted"}}`), smooch.ErrMaybePerformed},
		{"504", answer(504, `{"error":{"code":"gateway_timeout","description":"scripted"}}`), smooch.ErrMaybePerformed},
		{"connection closed", closeConn, smooch.ErrMaybePerformed},
		{"connection refused", nil, smooch.ErrNotPerformed},
		{"2xx without the answer's member", answer(200, `{"unexpected":true}`), smooch.ErrMaybePerformed},
	}
	for _, tc := range wireCases() {
		for _, f := range failures {
			t.Run(tc.op+"/"+f.name, func(t *testing.T) {
				t.Parallel()
				base := "http://" + refused
				if f.respond != nil {
					base = newFakeAPI(t, f.respond).URL
				}
				c, err := smooch.New(accountCreds(), smooch.WithBaseURL(base), fastRetries)
				require.NoError(t, err)
				_, err = tc.call(ctx, c)
				if err == nil {
					// Only a call whose answer it discards (a delete) succeeds on a 2xx it cannot decode.
					require.Equal(t, "2xx without the answer's member", f.name, "the call succeeded")
					return
				}
				maybe, not := errors.Is(err, smooch.ErrMaybePerformed), errors.Is(err, smooch.ErrNotPerformed)
				require.True(t, maybe != not, "%v matches exactly one of ErrMaybePerformed (%v) and ErrNotPerformed (%v)", err, maybe, not)
				assert.ErrorIs(t, err, f.want)
			})
		}
	}

	// Refused before sending: a scope the credentials lack, and arguments that cannot be sent.
	app, err := smooch.New(smooch.AppKey(appKeyID, testSecret), smooch.WithBaseURL("http://"+refused), smooch.WithMaxRetries(0))
	require.NoError(t, err)
	for _, tc := range wireCases() {
		_, err := tc.call(ctx, app)
		var scope *smooch.ScopeError
		if errors.As(err, &scope) {
			assert.ErrorIs(t, err, smooch.ErrNotPerformed, tc.op)
			assert.NotErrorIs(t, err, smooch.ErrMaybePerformed, tc.op)
		}
	}
}
