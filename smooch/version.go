package smooch

// Version is the newest release of this SDK, without the tag's "v", and is sent in the User-Agent header
// ("smooch-go/" + Version). It is always the newest release listed in CHANGELOG.md (a test checks it), and
// "0.0.0" until the first release. A release commit sets both; make release-check refuses a tag they
// disagree with.
const Version = "0.0.0"

const userAgent = "smooch-go/" + Version
