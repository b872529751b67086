// Package p is the new API.
package p

import "context"

// Client calls the API.
type Client struct {
	BaseURL string
	Region  string
}

// Get fetches a thing.
func (c *Client) Get(ctx context.Context, id string) (string, error) { return id, nil }

// Trigger is an event.
type Trigger string

// Triggers.
const (
	TriggerMessage       Trigger = "message"
	TriggerTypingAppUser Trigger = "typing:appUser"
)
