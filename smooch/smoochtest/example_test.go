package smoochtest_test

import (
	"context"
	"fmt"
	"net/http"

	"github.com/golang-jwt/jwt/v5"

	"github.com/smoochkit/smooch-go/gen"
	"github.com/smoochkit/smooch-go/smooch/smoochtest"
)

// A test starts a fake Smooch, signs an account JWT with its account key and
// provisions against it exactly as against the real API.
func Example() {
	srv := smoochtest.NewServer(smoochtest.Deterministic())
	defer srv.Close()

	// Sign an account-scoped JWT with the account key, as your code would
	// with a real key.
	key := srv.AccountKey()
	tok := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"scope": "account"})
	tok.Header["kid"] = key.ID
	signed, err := tok.SignedString([]byte(key.Secret))
	if err != nil {
		panic(err)
	}

	c, err := gen.NewClientWithResponses(srv.URL, gen.WithRequestEditorFn(func(_ context.Context, req *http.Request) error {
		req.Header.Set("Authorization", "Bearer "+signed)
		return nil
	}))
	if err != nil {
		panic(err)
	}
	ctx := context.Background()
	created, err := c.CreateAppWithResponse(ctx, gen.AppCreate{Name: "My App"})
	if err != nil {
		panic(err)
	}
	fmt.Println(created.StatusCode(), created.JSON201.App.Name, len(created.JSON201.App.ID))

	missing, err := c.GetAppWithResponse(ctx, "000000000000000000000000")
	if err != nil {
		panic(err)
	}
	fmt.Println(missing.StatusCode(), missing.JSON404.Detail.Code)
	// Output:
	// 201 My App 24
	// 404 not_found
}

// FailNext makes the next calls to an operation fail, to test retries.
func ExampleServer_FailNext() {
	srv := smoochtest.NewServer()
	defer srv.Close()
	srv.FailNext("listApps", 1, smoochtest.Fault{Status: http.StatusTooManyRequests, RetryAfter: "1"})

	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/v1/apps", nil)
	req.Header.Set("Authorization", "Bearer "+srv.AccountJWT())
	for range 2 {
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			panic(err)
		}
		resp.Body.Close()
		fmt.Println(resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	// Output:
	// 429 1
	// 200
}
