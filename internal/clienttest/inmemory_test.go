package clienttest_test

import (
	"io"
	"net/http"
	"strings"
)

// jsonResponse (for a roundTripFunc, which answers in memory: fuzz targets call the client thousands of times
// a second without a network) is a response to r with status and body, as a server would send it.
func jsonResponse(r *http.Request, status int, body string) *http.Response {
	return &http.Response{
		StatusCode: status, Status: http.StatusText(status), Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: http.Header{"Content-Type": {"application/json"}}, ContentLength: int64(len(body)),
		Body: io.NopCloser(strings.NewReader(body)), Request: r,
	}
}
