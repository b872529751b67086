package smoochtest

import (
	"strconv"
	"testing"
)

// A test minting a token per request cannot make the server hold more than maxVerifiedTokens of them.
func TestVerifiedTokensAreBounded(t *testing.T) {
	var v verifiedTokens
	for i := range 3 * maxVerifiedTokens {
		v.remember("token-"+strconv.Itoa(i), verifiedToken{})
		if len(v.m) > maxVerifiedTokens {
			t.Fatalf("after %d tokens, %d remembered: more than %d", i+1, len(v.m), maxVerifiedTokens)
		}
	}
}
