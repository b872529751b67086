package smooch

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/contract.json from the operation table")

// contractView is what the client takes from the contract by hand: each operation's route and scope rules
// (the pre-checks), the integration types it decodes, and the variant it decodes each webhook trigger into. The module requires golang-jwt alone, so its tests
// cannot load the contract: this test holds the table to testdata/contract.json, and the maintainers' module
// holds that file to openapi/smooch.yaml (internal/clienttest, TestTheClientsContractFileMatchesTheContract).
// The two together are the check one test made while smooch and the contract shared a module.
type contractView struct {
	Operations       []contractOperation `json:"operations"`
	IntegrationTypes []string            `json:"integrationTypes"`
	WebhookPayloads  map[string]string   `json:"webhookPayloads"` // trigger → the variant's name, the contract's schema
}

type contractOperation struct {
	ID              string   `json:"operationId"`
	Method          string   `json:"method"`
	Path            string   `json:"path"`
	Scopes          []string `json:"x-smooch-scopes"`
	UserAccountOnly bool     `json:"x-smooch-user-account-only"`
	Versions        []string `json:"versions"` // the apiVersion parameter's enum
}

func currentContractView(t *testing.T) []byte {
	var v contractView
	for _, op := range allOperations {
		scopes := []string{}
		for _, s := range op.scopes {
			scopes = append(scopes, string(s))
		}
		versions := []string{}
		for _, v := range []APIVersion{APIVersion1, APIVersion1_1} {
			if op.serves(v) {
				versions = append(versions, string(v))
			}
		}
		v.Operations = append(v.Operations, contractOperation{op.id, op.httpMethod, op.path, scopes, op.userAccountOnly, versions})
	}
	slices.SortFunc(v.Operations, func(a, b contractOperation) int { return strings.Compare(a.ID, b.ID) })
	for typ, newModel := range integrationTypes {
		if _, unknown := newModel().(*UnknownIntegration); unknown || !typ.Valid() {
			t.Errorf("integration type %q decodes to no model of its own", typ)
		}
		v.IntegrationTypes = append(v.IntegrationTypes, string(typ))
	}
	slices.Sort(v.IntegrationTypes)
	v.WebhookPayloads = map[string]string{}
	for trigger, newPayload := range webhookPayloads {
		payload := newPayload()
		if _, unknown := payload.(*UnknownPayload); unknown || !trigger.Valid() {
			t.Errorf("webhook trigger %q decodes to no variant of its own", trigger)
		}
		v.WebhookPayloads[string(trigger)] = reflect.TypeOf(payload).Elem().Name()
	}
	out, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return append(out, '\n')
}

func TestOperationTableIsTheContractFile(t *testing.T) {
	path := filepath.Join("testdata", "contract.json")
	got := currentContractView(t)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test -run %s -update writes it)", err, t.Name())
	}
	if !bytes.Equal(got, want) {
		t.Errorf("the operation table, the integration types or the webhook payloads changed, but %s did not: run go test -run %s -update in smooch/,\n"+
			"then make test checks the file against the contract. Now:\n%s", path, t.Name(), got)
	}
}
