package smoochtest

import (
	crand "crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"math/rand/v2"
	"sync"
)

// idSource makes every identifier and secret the fake hands out. Seeded, it
// yields the same sequence on every run, so that a recording made against the
// fake is byte-stable as long as the same requests arrive in the same order.
type idSource struct {
	mu  sync.Mutex
	rng *rand.Rand
}

func newIDSource(seed *int64) *idSource {
	var s1, s2 uint64
	if seed != nil {
		s1, s2 = uint64(*seed), 0x736d6f6f63687465 // "smoochte": any fixed second word
	} else {
		var b [16]byte
		if _, err := crand.Read(b[:]); err != nil {
			panic("smoochtest: crypto/rand: " + err.Error())
		}
		s1, s2 = binary.LittleEndian.Uint64(b[:8]), binary.LittleEndian.Uint64(b[8:])
	}
	return &idSource{rng: rand.New(rand.NewPCG(s1, s2))}
}

const (
	lowerAlnum  = "abcdefghijklmnopqrstuvwxyz0123456789"
	secretChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
	hexChars    = "0123456789abcdef"
	lowerChars  = "abcdefghijklmnopqrstuvwxyz"
	digitChars  = "0123456789"
)

func (s *idSource) pick(alphabet string, n int) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[s.rng.IntN(len(alphabet))]
	}
	return string(b)
}

// objectID is a 24 hex digit id, the shape of every Smooch resource id.
func (s *idSource) objectID() string { return s.pick(hexChars, 24) }

// appToken is the deprecated public app token: 25 lowercase alphanumerics.
func (s *idSource) appToken() string { return s.pick(lowerAlnum, 25) }

// keyID is a secret key id: prefix ("app", "svc" or "act") + "_" + 24 hex.
func (s *idSource) keyID(prefix string) string { return prefix + "_" + s.objectID() }

// keySecret is a key's signing secret: 24 characters of [A-Za-z0-9_-].
func (s *idSource) keySecret() string { return s.pick(secretChars, 24) }

// webhookSecret is a webhook's shared secret: 40 hex digits.
func (s *idSource) webhookSecret() string { return s.pick(hexChars, 40) }

// hex32 is a 32 hex digit secret, as the WeChat and MessageBird channels show.
func (s *idSource) hex32() string { return s.pick(hexChars, 32) }

// shortID is a frontendEmail short id such as "tki1106".
func (s *idSource) shortID() string { return s.pick(lowerChars, 3) + s.pick(digitChars, 4) }

// digest derives a stable value from a credential, standing in for what the
// real API would learn by asking the channel (a page id, a bot name, ...).
// The credential itself never leaves the fake.
func digest(parts ...string) []byte {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return h.Sum(nil)
}

func digestHex(n int, parts ...string) string {
	return hex.EncodeToString(digest(parts...))[:n]
}

// digestDigits derives n decimal digits (n <= 32), first digit non-zero.
func digestDigits(n int, parts ...string) string {
	d := digest(parts...)
	b := make([]byte, n)
	for i := range b {
		b[i] = digitChars[int(d[i%len(d)])%10]
	}
	if b[0] == '0' {
		b[0] = '1'
	}
	return string(b)
}
