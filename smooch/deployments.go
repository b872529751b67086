package smooch

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// DeploymentsService manages WhatsApp deployments: the WhatsApp API clients whatsapp integrations run on,
// hosted by Smooch or by the business. Their life, as the API describes it: Create a deployment (it is
// starting), wait until it runs (unregistered), ActivatePhoneNumber on it (pending), ConfirmCode with the
// code WhatsApp sent (registered), then create the integration with smooch.WhatsApp{DeploymentID: …}
// (integrated). Status changes happen on Smooch's side, on their own time: WaitForStatus polls for them.
//
// Every method needs account scope, and v1.1 (WithAPIVersion(APIVersion1_1)): under v1 each is refused before
// anything is sent.
type DeploymentsService struct{ c *Client }

// DefaultPollInterval is how often WaitForStatus reads a deployment, unless WithPollInterval says otherwise.
const DefaultPollInterval = 2 * time.Second

// WithPollInterval sets how often WaitForStatus reads the deployment it waits for (default
// DefaultPollInterval). It must be positive.
func WithPollInterval(d time.Duration) Option {
	return func(c *config) error {
		if d <= 0 {
			return optionError("WithPollInterval", "d", "is %s: want more than 0", d)
		}
		c.pollInterval = d
		return nil
	}
}

// Create starts a deployment: hosted by Smooch (Hosting DeploymentHostingSmooch, nothing else needed) or the
// business's own WhatsApp API client (DeploymentHostingSelf, with its BaseURL, Username and Password). It
// starts in status DeploymentStatusStarting. The arguments are checked first: a missing or misplaced one is a
// *ValidationError, and nothing is sent.
func (s *DeploymentsService) Create(ctx context.Context, deployment DeploymentCreate, opts ...Option) (*Deployment, error) {
	op := opCreateDeployment
	if err := s.c.begin(op, nil, checkDeploymentCreate(op.method, deployment)); err != nil {
		return nil, err
	}
	type fields DeploymentCreate // without the MarshalJSON that redacts Password
	body, err := encode(op.method, fields(deployment))
	if err != nil {
		return nil, err
	}
	var resp deploymentResponse
	if err := s.c.callSending(ctx, op, nil, "", body, deployment, opts, &resp); err != nil {
		return nil, err
	}
	return &resp.Deployment, nil
}

func checkDeploymentCreate(subject string, d DeploymentCreate) error {
	switch d.Hosting {
	case DeploymentHostingSelf:
		if err := firstError(requiredf(subject, "baseUrl", d.BaseURL, "for hosting self: the address of the business's WhatsApp API client"),
			requiredf(subject, "username", d.Username, "for hosting self"), requiredf(subject, "password", d.Password, "for hosting self")); err != nil {
			return err
		}
	case DeploymentHostingSmooch:
		for _, f := range []struct{ name, value string }{{"baseUrl", d.BaseURL}, {"username", d.Username}, {"password", d.Password}} {
			if f.value != "" {
				return invalidf(subject, f.name, "is for hosting self only: Smooch hosts the client of a smooch deployment")
			}
		}
	case "":
		return invalidf(subject, "hosting", "is required: DeploymentHostingSmooch or DeploymentHostingSelf")
	default:
		return invalidf(subject, "hosting", "must be %q or %q, got %q", DeploymentHostingSelf, DeploymentHostingSmooch, string(d.Hosting))
	}
	return firstError(httpURL(subject, "baseUrl", d.BaseURL), trimmed(subject, "username", d.Username),
		trimmed(subject, "password", d.Password), httpURL(subject, "callbackUrl", d.CallbackURL))
}

// requiredf checks a mandatory string argument of a method: present, unpadded, valid UTF-8; why says when it is
// required.
func requiredf(subject, field, value, why string) error {
	if value == "" {
		return invalidf(subject, field, "is required %s", why)
	}
	return trimmed(subject, field, value)
}

// List returns every deployment of the account (the list is not paged).
func (s *DeploymentsService) List(ctx context.Context, opts ...Option) ([]Deployment, error) {
	op := opListDeployments
	if err := s.c.begin(op, nil); err != nil {
		return nil, err
	}
	var resp deploymentListResponse
	if err := s.c.call(ctx, op, nil, "", nil, opts, &resp); err != nil {
		return nil, err
	}
	return resp.Deployments, nil
}

// Get fetches a deployment, with its status.
func (s *DeploymentsService) Get(ctx context.Context, deploymentID string, opts ...Option) (*Deployment, error) {
	op := opGetDeployment
	if err := s.c.begin(op, []string{deploymentID}); err != nil {
		return nil, err
	}
	var resp deploymentResponse
	if err := s.c.call(ctx, op, []string{deploymentID}, "", nil, opts, &resp); err != nil {
		return nil, err
	}
	return &resp.Deployment, nil
}

// Delete deletes a deployment. The API answers at once for a deployment with nothing to tear down, and
// otherwise starts tearing it down: the deployment is then DeploymentStatusDeleting until it is gone (Get
// answers 404). A deployment an integration uses is refused (409): delete the integration first.
func (s *DeploymentsService) Delete(ctx context.Context, deploymentID string, opts ...Option) error {
	op := opDeleteDeployment
	if err := s.c.begin(op, []string{deploymentID}); err != nil {
		return err
	}
	return s.c.call(ctx, op, []string{deploymentID}, "", nil, opts, nil)
}

// ActivatePhoneNumber registers a phone number on a running deployment (DeploymentStatusUnregistered): WhatsApp
// sends the number an activation code by SMS or voice call, and the deployment is DeploymentStatusPending
// until ConfirmCode. The arguments are checked first: the number in E.164 form ("+15145550100"), the
// certificate present, the method DeploymentActivationMethodSMS or …Voice.
func (s *DeploymentsService) ActivatePhoneNumber(ctx context.Context, deploymentID string, activation PhoneNumberActivation, opts ...Option) (*Deployment, error) {
	op := opActivatePhoneNumber
	if err := s.c.begin(op, []string{deploymentID}, checkActivation(op.method, activation)); err != nil {
		return nil, err
	}
	type fields PhoneNumberActivation // without the MarshalJSON that redacts the certificate
	body, err := encode(op.method, fields(activation))
	if err != nil {
		return nil, err
	}
	var resp deploymentResponse
	if err := s.c.callSending(ctx, op, []string{deploymentID}, "", body, activation, opts, &resp); err != nil {
		return nil, err
	}
	return &resp.Deployment, nil
}

func checkActivation(subject string, a PhoneNumberActivation) error {
	if !e164.MatchString(a.PhoneNumber) {
		return invalidf(subject, "phoneNumber", "must be in E.164 form, + and 7 to 15 digits like \"+15145550100\", got %q", a.PhoneNumber)
	}
	if a.VerifiedNameCertificate == "" {
		return invalidf(subject, "verifiedNameCertificate", "is required: WhatsApp's verified-name certificate for the number")
	}
	if err := trimmed(subject, "verifiedNameCertificate", a.VerifiedNameCertificate); err != nil {
		return err
	}
	if !a.Method.Valid() {
		return invalidf(subject, "method", "must be %q or %q, got %q", DeploymentActivationMethodSMS, DeploymentActivationMethodVoice, string(a.Method))
	}
	return nil
}

// ConfirmCode confirms the activation code WhatsApp sent to the number of a pending deployment: it becomes
// DeploymentStatusRegistered, with its PhoneNumber. A wrong code is the API's 400.
func (s *DeploymentsService) ConfirmCode(ctx context.Context, deploymentID string, code ActivationCode, opts ...Option) (*Deployment, error) {
	op := opConfirmCode
	if err := s.c.begin(op, []string{deploymentID}, requiredf(op.method, "code", code.Code, "")); err != nil {
		return nil, err
	}
	body, err := encode(op.method, code)
	if err != nil {
		return nil, err
	}
	var resp deploymentResponse
	if err := s.c.callSending(ctx, op, []string{deploymentID}, "", body, code, opts, &resp); err != nil {
		return nil, err
	}
	return &resp.Deployment, nil
}

// ErrDeploymentFailed is wrapped by WaitForStatus's error when the deployment it waits for fails
// (DeploymentStatusError) before reaching a wanted status.
var ErrDeploymentFailed = errors.New("the deployment failed")

// WaitForStatus reads the deployment every poll interval (WithPollInterval; DefaultPollInterval) until its
// status is one of want, and returns it. It stops early, with the last deployment read and an error: when the
// deployment fails (DeploymentStatusError, unless wanted: errors.Is(err, ErrDeploymentFailed)), when a read
// fails (a deleted deployment's 404, say), and when ctx is done (errors.Is(err, ctx.Err()); give ctx a
// deadline). Each read is a Get with opts, retries included.
//
//	d, err := client.Deployments.WaitForStatus(ctx, d.ID, []smooch.DeploymentStatus{smooch.DeploymentStatusUnregistered})
func (s *DeploymentsService) WaitForStatus(ctx context.Context, deploymentID string, want []DeploymentStatus, opts ...Option) (*Deployment, error) {
	const name = "Deployments.WaitForStatus"
	if ctx == nil {
		return nil, &ValidationError{Subject: name, Field: "ctx", Problem: "is nil"}
	}
	if len(want) == 0 {
		return nil, &ValidationError{Subject: name, Field: "want", Problem: "is empty: name the statuses to wait for"}
	}
	for _, w := range want {
		if !w.Valid() {
			return nil, &ValidationError{Subject: name, Field: "want", Problem: fmt.Sprintf("has unknown status %q (see the DeploymentStatus constants)", string(w))}
		}
	}
	cfg, err := s.c.callConfig(opts)
	if err != nil {
		return nil, err
	}
	interval := cfg.pollInterval
	for {
		d, err := s.Get(ctx, deploymentID, opts...)
		if err != nil {
			return d, err
		}
		if slices.Contains(want, d.Status) {
			return d, nil
		}
		if d.Status == DeploymentStatusError {
			return d, fmt.Errorf("smooch: %s: deployment %s: %w while waiting for %s", name, d.ID, ErrDeploymentFailed, joinStatuses(want))
		}
		if err := sleep(ctx, interval); err != nil {
			return d, fmt.Errorf("smooch: %s: deployment %s is %s, still not %s: %w", name, d.ID, d.Status, joinStatuses(want), err)
		}
	}
}

func joinStatuses(statuses []DeploymentStatus) string {
	names := make([]string, len(statuses))
	for i, s := range statuses {
		names[i] = string(s)
	}
	return strings.Join(names, " or ")
}
