package clienttest_test

import (
	"bytes"
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/smoochkit/smooch-go/openapi"
)

// TestTheClientsContractFileMatchesTheContract holds smooch/testdata/contract.json, which package smooch's own
// test holds to its operation table and integration types (TestOperationTableIsTheContractFile), to the
// contract: each operation's method, path (its {parameters} name the ids a call checks), x-smooch-scopes,
// x-smooch-user-account-only and the API versions that serve it, and the integration types of the discriminator's mapping and the list filter's
// enum. So a change of the contract cannot silently leave the client's pre-checks stale.
func TestTheClientsContractFileMatchesTheContract(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(smoochDir, "testdata", "contract.json"))
	if err != nil {
		t.Fatal(err)
	}
	type operation struct {
		ID              string   `json:"operationId"`
		Method          string   `json:"method"`
		Path            string   `json:"path"`
		Scopes          []string `json:"x-smooch-scopes"`
		UserAccountOnly bool     `json:"x-smooch-user-account-only"`
		Versions        []string `json:"versions"`
	}
	var client struct {
		Operations       []operation       `json:"operations"`
		IntegrationTypes []string          `json:"integrationTypes"`
		WebhookPayloads  map[string]string `json:"webhookPayloads"`
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&client); err != nil {
		t.Fatal(err)
	}

	doc, err := openapi.Load()
	if err != nil {
		t.Fatal(err)
	}
	var contract []operation
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			if !clientCalls(op) {
				continue // the client calls the /v1/apps/{appId} form
			}
			scopes := []string{}
			raw, _ := op.Extensions["x-smooch-scopes"].([]any)
			for _, s := range raw {
				scopes = append(scopes, s.(string))
			}
			only, _ := op.Extensions["x-smooch-user-account-only"].(bool)
			// The versions that serve it: its apiVersion parameter's enum (the operation's own, or its path's).
			var versions []string
			for _, params := range []openapi3.Parameters{item.Parameters, op.Parameters} {
				for _, p := range params {
					if p.Value != nil && p.Value.Name == "apiVersion" {
						versions = versions[:0]
						for _, v := range p.Value.Schema.Value.Enum {
							versions = append(versions, v.(string))
						}
					}
				}
			}
			contract = append(contract, operation{op.OperationID, method, path, scopes, only, versions})
		}
	}
	byID := func(a, b operation) int { return strings.Compare(a.ID, b.ID) }
	slices.SortFunc(contract, byID)
	if len(contract) < 38 {
		t.Fatalf("the contract has %d operations: the walk found too few", len(contract))
	}
	mine := map[string]operation{}
	for _, op := range client.Operations {
		mine[op.ID] = op
	}
	for _, want := range contract {
		got, ok := mine[want.ID]
		if !ok {
			t.Errorf("operation %s of the contract has no entry in the client's operation table", want.ID)
			continue
		}
		if !slices.Equal(got.Scopes, want.Scopes) || got.Method != want.Method || got.Path != want.Path ||
			got.UserAccountOnly != want.UserAccountOnly || !slices.Equal(got.Versions, want.Versions) {
			t.Errorf("operation %s: the client has %+v, the contract %+v", want.ID, got, want)
		}
		delete(mine, want.ID)
	}
	for id := range mine {
		t.Errorf("the client's operation table has %s, which the contract does not define", id)
	}

	var types []string
	for name := range doc.Components.Schemas["Integration"].Value.Discriminator.Mapping {
		types = append(types, name)
	}
	slices.Sort(types)
	if len(types) == 0 || !slices.Equal(types, client.IntegrationTypes) {
		t.Errorf("the client decodes the integration types %v, the contract's discriminator maps %v", client.IntegrationTypes, types)
	}
	payloads := map[string]string{}
	for trigger, ref := range doc.Components.Schemas["WebhookPayload"].Value.Discriminator.Mapping {
		payloads[trigger] = strings.TrimPrefix(ref.Ref, "#/components/schemas/")
	}
	if len(payloads) == 0 || !maps.Equal(payloads, client.WebhookPayloads) {
		t.Errorf("the client decodes the webhook payloads %v, the contract's discriminator maps %v", client.WebhookPayloads, payloads)
	}
	for trigger := range payloads {
		if !slices.Contains(doc.Components.Schemas["WebhookTrigger"].Value.Enum, any(trigger)) {
			t.Errorf("the payload trigger %s is no WebhookTrigger", trigger)
		}
	}

	var enum []string
	for _, v := range doc.Components.Schemas["IntegrationType"].Value.Enum {
		enum = append(enum, v.(string))
	}
	slices.Sort(enum)
	if !slices.Equal(enum, types) {
		t.Errorf("the list filter's enum IntegrationType is %v, the discriminator maps %v: it must name every type", enum, types)
	}
}
