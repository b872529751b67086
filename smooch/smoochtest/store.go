package smoochtest

import (
	"slices"
	"sync"

	"github.com/smoochkit/smooch-go/gen"
)

// keyKind tells what a secret key signs for, from its id prefix.
type keyKind int

const (
	userAccountKey    keyKind = iota // act_: the account owner
	serviceAccountKey                // svc_: a service account
	appKey                           // app_: one app
)

var keyPrefix = map[keyKind]string{userAccountKey: "act", serviceAccountKey: "svc", appKey: "app"}

type keyRecord struct {
	kind   keyKind
	id     string
	name   string
	secret string
	owner  string // app id for app keys, service account id for svc keys
}

func (k *keyRecord) public() gen.SecretKey {
	return gen.SecretKey{ID: k.id, Name: k.name, Secret: k.secret}
}

type appRecord struct {
	app          gen.App
	createdBy    string // service account id, or "" for the user account
	keys         keyring
	integrations []*integrationRecord
	webhooks     []*gen.Webhook // Version holds the API version each was created through, answered under v1.1 only
	menu         []gen.MenuItem // the app's menu; empty when it has none
	// The ids of the app's android and ios SDK integrations, once getSdkIds made them (v1.1); listed nowhere.
	androidID, iosID string
}

type integrationRecord struct {
	id      string
	typ     gen.IntegrationType
	body    gen.Integration              // what the API answers: no credentials
	menu    []gen.MenuItem               // the integration's own menu; nil when it has none (the app's applies)
	profile gen.IntegrationProfileUpdate // a WhatsApp business profile, as set; the v1 API never returns it
}

type serviceAccountRecord struct {
	account gen.ServiceAccount
	keys    keyring
}

// store is the fake's state: one Smooch account. Lists keep creation order so
// that recordings are stable. One mutex guards everything; the fake is for
// tests, where simplicity beats throughput.
type store struct {
	ids *idSource

	mu              sync.Mutex
	keys            map[string]*keyRecord // every key, by id
	apps            map[string]*appRecord
	appOrder        []string            // every app, in creation order
	appsBy          map[string][]string // the apps of each creator (service account id, "" for the user account), in creation order
	serviceAccounts map[string]*serviceAccountRecord
	saOrder         []string
	deployments     map[string]*deploymentRecord // WhatsApp deployments (v1.1), the account's
	deploymentOrder []string
}

func newStore(ids *idSource) *store {
	return &store{
		ids:             ids,
		keys:            map[string]*keyRecord{},
		apps:            map[string]*appRecord{},
		appsBy:          map[string][]string{},
		serviceAccounts: map[string]*serviceAccountRecord{},
		deployments:     map[string]*deploymentRecord{},
	}
}

// newKey makes a key; callers hold s.mu.
func (s *store) newKey(kind keyKind, name, owner string) *keyRecord {
	k := &keyRecord{kind: kind, id: s.ids.keyID(keyPrefix[kind]), name: name, secret: s.ids.keySecret(), owner: owner}
	s.keys[k.id] = k
	return k
}

// lookupKey returns the key with the given id, for signature checks.
func (s *store) lookupKey(id string) (keyRecord, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	k, ok := s.keys[id]
	if !ok {
		return keyRecord{}, false
	}
	return *k, true
}

func removeID(order []string, id string) []string {
	return slices.DeleteFunc(order, func(x string) bool { return x == id })
}

// page returns the window [offset, offset+limit) of n items and whether more
// follow it, with the contract's defaults (25) applied.
func page(n int, limit, offset *int) (start, end int, hasMore bool, off int) {
	l := 25
	if limit != nil {
		l = *limit
	}
	if offset != nil {
		off = *offset
	}
	start = min(off, n)
	end = min(start+l, n)
	return start, end, end < n, off
}
