package openapi

// NewValidatorFromData builds a Validator for a contract given as YAML or JSON,
// such as a user's edited copy passed to the conformance CLI's -spec flag. The
// contract is validated first, as LoadData does.
func NewValidatorFromData(data []byte) (*Validator, error) {
	doc, err := LoadData(data)
	if err != nil {
		return nil, err
	}
	// The router only matches URLs under the declared servers; with none it
	// matches any host, which is what recorded and fake traffic needs.
	routed := *doc
	routed.Servers = nil
	return newValidator(doc, newSegmentRouter(&routed)), nil
}
