// Package p is the old API.
package p

// Client calls the API.
type Client struct {
	BaseURL string
}

// Get fetches a thing.
func (c *Client) Get(id string) (string, error) { return id, nil }

// Delete removes a thing.
func (c *Client) Delete(id string) error { return nil }

// Trigger is an event.
type Trigger string

// TriggerMessage is a message.
const TriggerMessage Trigger = "message"
