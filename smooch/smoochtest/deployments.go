package smoochtest

import (
	"context"
	"fmt"
	"slices"

	"github.com/smoochkit/smooch-go/gen"
	"github.com/smoochkit/smooch-go/smooch"
)

// WhatsApp deployments (v1.1). Their statuses change on the API's side, on its own time; the fake changes them
// where a test can follow, and SetDeploymentStatus lets a test put a deployment in any state:
//   - a new deployment is starting, and runs (unregistered) from the first time it is read (getDeployment or
//     listDeployments), so that a client waiting for it sees it start;
//   - activatePhoneNumber takes an unregistered deployment (pending), and "sends" the number's last six digits as
//     its code (DeploymentCode answers it);
//     confirmCode takes that code (registered, with its phoneNumber); a whatsapp integration created on a
//     registered deployment makes it integrated, and deleting the integration makes it registered again;
//   - deleteDeployment of a running one answers 202 (deleting), and the deployment is gone from its next read on;
//     one in error is gone at once (200). An integrated one is refused (409).
//
// These are the contract's choices where the vendor is silent (openapi/smooch.yaml says which).

type deploymentRecord struct {
	d        gen.Deployment // as answered: never the password
	code     string         // the activation code "sent" to the number being activated
	pending  string         // that number
	fresh    bool           // starting, never read yet
	deleting bool           // gone from the next read on
}

func (d *deploymentRecord) public() gen.Deployment {
	out := d.d
	for _, p := range []**string{&out.AppID, &out.BaseURL, &out.CallbackSecret, &out.CallbackURL, &out.IntegrationID, &out.PhoneNumber, &out.Username} {
		if *p != nil {
			*p = ptr(**p)
		}
	}
	return out
}

// readDeployment is a deployment as a read finds it, after the changes reads make; callers hold b.store.mu.
func (b *backend) readDeployment(id string) (*deploymentRecord, error) {
	d, ok := b.store.deployments[id]
	if !ok {
		return nil, notFound("Deployment")
	}
	if d.deleting {
		b.store.removeDeployment(id)
		return nil, notFound("Deployment")
	}
	if d.fresh {
		d.fresh = false
		d.d.Status = gen.DeploymentStatusUnregistered
	}
	return d, nil
}

func (s *store) removeDeployment(id string) {
	delete(s.deployments, id)
	s.deploymentOrder = removeID(s.deploymentOrder, id)
}

func (b *backend) CreateDeployment(_ context.Context, req gen.CreateDeploymentRequestObject) (gen.CreateDeploymentResponseObject, error) {
	in := req.Body
	self := []struct {
		name  string
		value *string
	}{{"baseUrl", in.BaseURL}, {"username", in.Username}, {"password", in.Password}}
	for _, f := range self {
		switch {
		case in.Hosting == gen.DeploymentHostingSelf && (f.value == nil || *f.value == ""):
			return nil, badRequest("%s is required for hosting self", f.name)
		case in.Hosting == gen.DeploymentHostingSmooch && f.value != nil:
			return nil, badRequest("%s is for hosting self only", f.name)
		}
	}
	b.store.mu.Lock()
	defer b.store.mu.Unlock()
	d := &deploymentRecord{fresh: true, d: gen.Deployment{
		ID: b.ids.objectID(), Status: gen.DeploymentStatusStarting, Hosting: in.Hosting,
		BaseURL: in.BaseURL, Username: in.Username, CallbackURL: in.CallbackURL,
		CallbackSecret: ptr(b.ids.hex32()),
	}}
	b.store.deployments[d.d.ID] = d
	b.store.deploymentOrder = append(b.store.deploymentOrder, d.d.ID)
	return gen.CreateDeployment201JSONResponse{Deployment: d.public()}, nil
}

func (b *backend) ListDeployments(context.Context, gen.ListDeploymentsRequestObject) (gen.ListDeploymentsResponseObject, error) {
	b.store.mu.Lock()
	defer b.store.mu.Unlock()
	out := make([]gen.Deployment, 0, len(b.store.deploymentOrder))
	for _, id := range slices.Clone(b.store.deploymentOrder) {
		if d, err := b.readDeployment(id); err == nil {
			out = append(out, d.public())
		}
	}
	return gen.ListDeployments200JSONResponse{Deployments: out}, nil
}

func (b *backend) GetDeployment(_ context.Context, req gen.GetDeploymentRequestObject) (gen.GetDeploymentResponseObject, error) {
	b.store.mu.Lock()
	defer b.store.mu.Unlock()
	d, err := b.readDeployment(req.DeploymentID)
	if err != nil {
		return nil, err
	}
	return gen.GetDeployment200JSONResponse{Deployment: d.public()}, nil
}

func (b *backend) DeleteDeployment(_ context.Context, req gen.DeleteDeploymentRequestObject) (gen.DeleteDeploymentResponseObject, error) {
	b.store.mu.Lock()
	defer b.store.mu.Unlock()
	d, err := b.readDeployment(req.DeploymentID)
	if err != nil {
		return nil, err
	}
	switch d.d.Status {
	case gen.DeploymentStatusIntegrated:
		return nil, newError(409, "Deployment %s is used by integration %s: delete the integration first", d.d.ID, deref(d.d.IntegrationID))
	case gen.DeploymentStatusError:
		b.store.removeDeployment(d.d.ID)
		return gen.DeleteDeployment200JSONResponse{}, nil
	}
	d.d.Status, d.deleting = gen.DeploymentStatusDeleting, true
	return gen.DeleteDeployment202JSONResponse{Deployment: d.public()}, nil
}

func (b *backend) ActivatePhoneNumber(_ context.Context, req gen.ActivatePhoneNumberRequestObject) (gen.ActivatePhoneNumberResponseObject, error) {
	b.store.mu.Lock()
	defer b.store.mu.Unlock()
	d, err := b.readDeployment(req.DeploymentID)
	if err != nil {
		return nil, err
	}
	if d.d.Status != gen.DeploymentStatusUnregistered {
		return nil, newError(409, "Deployment %s is %s: a phone number is activated on an unregistered deployment", d.d.ID, d.d.Status)
	}
	d.d.Status, d.pending = gen.DeploymentStatusPending, req.Body.PhoneNumber
	d.code = activationCode(req.Body.PhoneNumber)
	return gen.ActivatePhoneNumber200JSONResponse{Deployment: d.public()}, nil
}

func (b *backend) ConfirmCode(_ context.Context, req gen.ConfirmCodeRequestObject) (gen.ConfirmCodeResponseObject, error) {
	b.store.mu.Lock()
	defer b.store.mu.Unlock()
	d, err := b.readDeployment(req.DeploymentID)
	if err != nil {
		return nil, err
	}
	if d.d.Status != gen.DeploymentStatusPending {
		return nil, newError(409, "Deployment %s is %s: a code is confirmed on a pending deployment", d.d.ID, d.d.Status)
	}
	if req.Body.Code != d.code {
		return nil, badRequest("The code is not the one sent to %s", d.pending)
	}
	d.d.Status, d.d.PhoneNumber, d.code = gen.DeploymentStatusRegistered, ptr(d.pending), ""
	return gen.ConfirmCode200JSONResponse{Deployment: d.public()}, nil
}

// useDeployment makes a registered deployment integrated, for a whatsapp integration created on it; callers hold
// b.store.mu.
func (b *backend) useDeployment(id, appID, integrationID string) error {
	d, err := b.readDeployment(id)
	if err != nil {
		return badRequest("deploymentId %s names no deployment", id)
	}
	if d.d.Status != gen.DeploymentStatusRegistered {
		return badRequest("Deployment %s is %s: an integration runs on a registered deployment", id, d.d.Status)
	}
	d.d.Status, d.d.AppID, d.d.IntegrationID = gen.DeploymentStatusIntegrated, ptr(appID), ptr(integrationID)
	return nil
}

// releaseDeployment makes the deployment an integration used registered again, when the integration goes;
// callers hold b.store.mu.
func (b *backend) releaseDeployment(integrationID string) {
	for _, d := range b.store.deployments {
		if d.d.IntegrationID != nil && *d.d.IntegrationID == integrationID {
			d.d.Status, d.d.AppID, d.d.IntegrationID = gen.DeploymentStatusRegistered, nil, nil
		}
	}
}

// activationCode is the code the fake "sends" to a number: its last six digits, so that a test (or the contract
// suite, replaying what it recorded) knows it without reading an SMS.
func activationCode(phoneNumber string) string {
	return phoneNumber[len(phoneNumber)-6:] // the contract's pattern gives a number at least 7 digits
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// SetDeploymentStatus puts a WhatsApp deployment in a status, as the API's side would move it: a test drives a
// deployment through its life, or makes it fail (smooch.DeploymentStatusError). Registered and integrated
// deployments need a phone number: phoneNumber sets it (it is kept otherwise). It fails when there is no such
// deployment or the status is not one the API reports.
func (s *Server) SetDeploymentStatus(deploymentID string, status smooch.DeploymentStatus, phoneNumber string) error {
	if !status.Valid() {
		return fmt.Errorf("smoochtest: deployment status %q: see the smooch.DeploymentStatus constants", status)
	}
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	d, ok := s.store.deployments[deploymentID]
	if !ok || d.deleting {
		return fmt.Errorf("smoochtest: no deployment %s", deploymentID)
	}
	d.fresh = false
	d.d.Status = gen.DeploymentStatus(status)
	if phoneNumber != "" {
		d.d.PhoneNumber = ptr(phoneNumber)
	}
	return nil
}

// DeploymentCode is the activation code the fake "sent" to the number being activated on a pending deployment
// (the number's last six digits), for a test to confirm, as a person reads it from the SMS; "" when none is
// pending.
func (s *Server) DeploymentCode(deploymentID string) string {
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	if d, ok := s.store.deployments[deploymentID]; ok {
		return d.code
	}
	return ""
}
