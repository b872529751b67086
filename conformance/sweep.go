package conformance

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/smoochkit/smooch-go/smooch"
)

// ResourcePrefix starts the name of every app and service account the contract
// suite creates, so that leftovers of an interrupted live run can be found.
const ResourcePrefix = "smooch-conformance-"

// Sweep deletes the apps and service accounts whose names start with prefix,
// which must start with ResourcePrefix: the leftovers of interrupted live
// runs. Deleting an app deletes its keys, integrations and webhooks; deleting a
// service account deletes its keys. With dryRun it only reports them. report
// is called once per resource found. Service accounts need a user account key
// (act_…); with another key they are skipped and reported.
func Sweep(ctx context.Context, c *smooch.Client, prefix string, dryRun bool, report func(string)) (found int, err error) {
	if !strings.HasPrefix(prefix, ResourcePrefix) {
		return 0, fmt.Errorf("conformance: sweep prefix %q must start with %q, so that nothing else is deleted", prefix, ResourcePrefix)
	}
	verb := "deleted"
	if dryRun {
		verb = "would delete"
	}

	// Collect first: deleting while paging would shift the offsets.
	var apps []smooch.App
	for app, err := range c.Apps.All(ctx, &smooch.AppListOptions{ListOptions: smooch.ListOptions{Limit: smooch.MaxLimit}}) {
		if err != nil {
			return found, fmt.Errorf("conformance: sweep: list apps: %w", err)
		}
		if strings.HasPrefix(app.Name, prefix) {
			apps = append(apps, app)
		}
	}
	var errs []error
	for _, app := range apps {
		found++
		if !dryRun {
			if err := c.Apps.Delete(ctx, app.ID); err != nil && !smooch.IsNotFound(err) {
				errs = append(errs, fmt.Errorf("delete app %s (%s): %w", app.ID, app.Name, err))
				continue
			}
		}
		report(fmt.Sprintf("%s app %s (%s)", verb, app.ID, app.Name))
	}

	var accounts []smooch.ServiceAccount
	for sa, err := range c.ServiceAccounts.All(ctx, &smooch.ListOptions{Limit: smooch.MaxLimit}) {
		var scope *smooch.ScopeError
		if errors.As(err, &scope) || smooch.IsForbidden(err) {
			report("skipped service accounts: listing them needs a user account key (act_…)")
			break
		}
		if err != nil {
			return found, fmt.Errorf("conformance: sweep: list service accounts: %w", err)
		}
		if strings.HasPrefix(sa.Name, prefix) {
			accounts = append(accounts, sa)
		}
	}
	for _, sa := range accounts {
		found++
		if !dryRun {
			if err := c.ServiceAccounts.Delete(ctx, sa.ID); err != nil && !smooch.IsNotFound(err) {
				errs = append(errs, fmt.Errorf("delete service account %s (%s): %w", sa.ID, sa.Name, err))
				continue
			}
		}
		report(fmt.Sprintf("%s service account %s (%s)", verb, sa.ID, sa.Name))
	}
	if err := errors.Join(errs...); err != nil {
		return found, fmt.Errorf("conformance: sweep: %w", err)
	}
	return found, nil
}
