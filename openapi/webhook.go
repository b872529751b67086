package openapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"

	"github.com/getkin/kin-openapi/openapi3"
)

// The webhook call is described under the contract's top-level x-webhooks (OpenAPI 3.0 has no place for the
// calls an API makes), which kin-openapi does not read: these functions read it.

// WebhookCall is the contract's description of Smooch's webhook call (x-webhooks: webhookCall, post).
type WebhookCall struct {
	// Examples are the request body examples, by name: every payload the v1 reference documents.
	Examples map[string]json.RawMessage
	// FinalStatuses are the statuses after which Smooch does not call again, other than a 2xx.
	FinalStatuses []int
	// Retries is how many times a call is made again, at most, after the first (x-smooch-retries).
	Retries int
	// TimeoutSeconds is how long Smooch waits for an answer (x-smooch-timeout-seconds).
	TimeoutSeconds int
}

// Webhook reads the webhook call from the contract.
func (v *Validator) Webhook() (*WebhookCall, error) {
	raw, ok := v.doc.Extensions["x-webhooks"]
	if !ok {
		return nil, errors.New("openapi: the contract has no x-webhooks")
	}
	data, err := json.Marshal(raw)
	if err != nil {
		return nil, fmt.Errorf("openapi: x-webhooks: %w", err)
	}
	var hooks struct {
		WebhookCall struct {
			Post struct {
				Retries        int `json:"x-smooch-retries"`
				TimeoutSeconds int `json:"x-smooch-timeout-seconds"`
				RequestBody    struct {
					Content map[string]struct {
						Examples map[string]struct {
							Value json.RawMessage `json:"value"`
						} `json:"examples"`
					} `json:"content"`
				} `json:"requestBody"`
				Responses map[string]json.RawMessage `json:"responses"`
			} `json:"post"`
		} `json:"webhookCall"`
	}
	if err := json.Unmarshal(data, &hooks); err != nil {
		return nil, fmt.Errorf("openapi: x-webhooks: %w", err)
	}
	post := hooks.WebhookCall.Post
	call := &WebhookCall{Examples: map[string]json.RawMessage{}, Retries: post.Retries, TimeoutSeconds: post.TimeoutSeconds}
	for name, ex := range post.RequestBody.Content["application/json"].Examples {
		call.Examples[name] = ex.Value
	}
	for status := range post.Responses {
		if n, err := strconv.Atoi(status); err == nil && n >= 400 && n < 500 {
			call.FinalStatuses = append(call.FinalStatuses, n)
		}
	}
	slices.Sort(call.FinalStatuses)
	if len(call.Examples) == 0 || len(call.FinalStatuses) == 0 || call.Retries == 0 || call.TimeoutSeconds == 0 {
		return nil, errors.New("openapi: x-webhooks: webhookCall lacks its examples, final statuses, retries or timeout")
	}
	return call, nil
}

// ValidateWebhookPayload checks a webhook call's JSON body against the contract's WebhookPayload schema: the
// trigger chooses the variant (the discriminator), whose members are then checked. It does not report members
// the contract does not declare; UndeclaredWebhookFields does.
func (v *Validator) ValidateWebhookPayload(body []byte) error {
	schema, value, err := v.webhookPayload(body)
	if err != nil {
		return err
	}
	if err := schema.Value.VisitJSON(value, openapi3.MultiErrors()); err != nil {
		return fmt.Errorf("webhook payload doesn't match schema WebhookPayload: %w", err)
	}
	return nil
}

// UndeclaredWebhookFields lists the members of a webhook body that the contract does not declare, as
// UndeclaredFields does for API bodies.
func (v *Validator) UndeclaredWebhookFields(body []byte) ([]string, error) {
	schema, value, err := v.webhookPayload(body)
	if err != nil {
		return nil, err
	}
	return UndeclaredFields(schema, value), nil
}

func (v *Validator) webhookPayload(body []byte) (*openapi3.SchemaRef, any, error) {
	schema := v.doc.Components.Schemas["WebhookPayload"]
	if schema == nil {
		return nil, nil, errors.New("openapi: the contract has no WebhookPayload schema")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var value any
	if err := dec.Decode(&value); err != nil {
		return nil, nil, fmt.Errorf("webhook payload is not JSON: %w", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, nil, errors.New("webhook payload is not one JSON value")
	}
	return schema, value, nil
}
