package smooch

import (
	"context"
	"fmt"
	"net/url"
	"strings"
)

// MenusService manages an app's menu: the persistent menu its channels show (on the channels that have one,
// Facebook Messenger and WeChat among them), unless an integration has a menu of its own
// (IntegrationMenus). Its methods accept account scope (any app the account reaches) or app scope (the key's
// own app).
type MenusService struct{ c *Client }

// IntegrationMenusService manages the menus of integrations: an integration's own menu overrides the app's on
// that channel; without one, the channel shows the app's. Every method needs account scope.
type IntegrationMenusService struct{ c *Client }

// The limits of a menu: at most 3 items, and 1 to 5 in a submenu.
const (
	MaxMenuItems    = 3
	MaxSubmenuItems = 5
)

// Get fetches the app's menu. An app without one (never set, or removed) has an empty menu.
func (s *MenusService) Get(ctx context.Context, appID string, opts ...Option) (*Menu, error) {
	op := opGetAppMenu
	if err := s.c.begin(op, []string{appID}); err != nil {
		return nil, err
	}
	var resp menuResponse
	err := s.c.call(ctx, op, []string{appID}, "", nil, opts, &resp)
	return menuOf(resp, err)
}

// Set replaces the app's menu. The menu is checked first (see Menu): a broken rule is a *ValidationError
// naming the item's field, e.g. items[1].uri, and nothing is sent. To have no menu, call Remove.
func (s *MenusService) Set(ctx context.Context, appID string, menu Menu, opts ...Option) (*Menu, error) {
	op := opUpdateAppMenu
	if err := s.c.begin(op, []string{appID}, checkMenu(op.method, menu)); err != nil {
		return nil, err
	}
	body, err := encode(op.method, menu)
	if err != nil {
		return nil, err
	}
	var resp menuResponse
	err = s.c.call(ctx, op, []string{appID}, "", body, opts, &resp)
	return menuOf(resp, err)
}

// Remove removes the app's menu and returns what is left: an empty menu. Integrations with a menu of their
// own keep it.
func (s *MenusService) Remove(ctx context.Context, appID string, opts ...Option) (*Menu, error) {
	op := opDeleteAppMenu
	if err := s.c.begin(op, []string{appID}); err != nil {
		return nil, err
	}
	var resp menuResponse
	err := s.c.call(ctx, op, []string{appID}, "", nil, opts, &resp)
	return menuOf(resp, err)
}

// Get fetches the integration's own menu. An integration without one (its channel shows the app's menu)
// answers 404: IsNotFound is true.
func (s *IntegrationMenusService) Get(ctx context.Context, appID, integrationID string, opts ...Option) (*Menu, error) {
	op := opGetIntegrationMenu
	if err := s.c.begin(op, []string{appID, integrationID}); err != nil {
		return nil, err
	}
	var resp menuResponse
	err := s.c.call(ctx, op, []string{appID, integrationID}, "", nil, opts, &resp)
	return menuOf(resp, err)
}

// Create gives the integration a menu of its own, which its channel shows instead of the app's. An
// integration that has one already answers 409 (IsConflict): replace it with Update. The menu is checked
// first, as by Menus.Set.
func (s *IntegrationMenusService) Create(ctx context.Context, appID, integrationID string, menu Menu, opts ...Option) (*Menu, error) {
	op := opCreateIntegrationMenu
	if err := s.c.begin(op, []string{appID, integrationID}, checkMenu(op.method, menu)); err != nil {
		return nil, err
	}
	body, err := encode(op.method, menu)
	if err != nil {
		return nil, err
	}
	var resp menuResponse
	err = s.c.call(ctx, op, []string{appID, integrationID}, "", body, opts, &resp)
	return menuOf(resp, err)
}

// Update replaces the integration's menu, or creates it when the integration has none. The menu is checked
// first, as by Menus.Set.
func (s *IntegrationMenusService) Update(ctx context.Context, appID, integrationID string, menu Menu, opts ...Option) (*Menu, error) {
	op := opUpdateIntegrationMenu
	if err := s.c.begin(op, []string{appID, integrationID}, checkMenu(op.method, menu)); err != nil {
		return nil, err
	}
	body, err := encode(op.method, menu)
	if err != nil {
		return nil, err
	}
	var resp menuResponse
	err = s.c.call(ctx, op, []string{appID, integrationID}, "", body, opts, &resp)
	return menuOf(resp, err)
}

// Delete removes the integration's own menu: its channel shows the app's menu again. An integration without
// one answers 404.
func (s *IntegrationMenusService) Delete(ctx context.Context, appID, integrationID string, opts ...Option) error {
	op := opDeleteIntegrationMenu
	if err := s.c.begin(op, []string{appID, integrationID}); err != nil {
		return err
	}
	return s.c.call(ctx, op, []string{appID, integrationID}, "", nil, opts, nil)
}

func menuOf(resp menuResponse, err error) (*Menu, error) {
	if err != nil {
		return nil, err
	}
	if resp.Menu.Items == nil {
		resp.Menu.Items = []MenuItem{}
	}
	return &resp.Menu, nil
}

// checkMenu checks the rules of a menu before it is sent: 1 to MaxMenuItems items, each with a label (Text)
// and a known Type; a link has a URI, an absolute URL; a postback has a Payload; a submenu has 1 to
// MaxSubmenuItems Items, links or postbacks (menus nest one level), and only a submenu has Items. Fields are
// named as the API names them, with their place: items[1].items[0].uri.
func checkMenu(subject string, m Menu) error {
	switch {
	case len(m.Items) == 0:
		return invalidf(subject, "items", "is empty: a menu has 1 to %d items (to have none, remove the menu)", MaxMenuItems)
	case len(m.Items) > MaxMenuItems:
		return invalidf(subject, "items", "has %d items: a menu has at most %d (put more in a submenu)", len(m.Items), MaxMenuItems)
	}
	for i, item := range m.Items {
		at := fmt.Sprintf("items[%d]", i)
		if err := checkMenuItem(subject, at, item.Type, item.Text, item.URI, item.Payload); err != nil {
			return err
		}
		switch {
		case item.Type == MenuItemTypeSubmenu && len(item.Items) == 0:
			return invalidf(subject, at+".items", "is required for a submenu: 1 to %d links or postbacks", MaxSubmenuItems)
		case item.Type == MenuItemTypeSubmenu && len(item.Items) > MaxSubmenuItems:
			return invalidf(subject, at+".items", "has %d items: a submenu has at most %d", len(item.Items), MaxSubmenuItems)
		case item.Type != MenuItemTypeSubmenu && len(item.Items) > 0:
			return invalidf(subject, at+".items", "is only for a submenu; this item is a %s", item.Type)
		}
		for j, sub := range item.Items {
			subAt := fmt.Sprintf("%s.items[%d]", at, j)
			if sub.Type == MenuItemTypeSubmenu {
				return invalidf(subject, subAt+".type", "is submenu: menus nest one level, a submenu's items are links or postbacks")
			}
			if err := checkMenuItem(subject, subAt, sub.Type, sub.Text, sub.URI, sub.Payload); err != nil {
				return err
			}
		}
	}
	return nil
}

func checkMenuItem(subject, at string, typ MenuItemType, text, uri, payload string) error {
	if strings.TrimSpace(text) == "" {
		return invalidf(subject, at+".text", "is required: the item's label")
	}
	switch typ {
	case MenuItemTypeLink:
		if uri == "" {
			return invalidf(subject, at+".uri", "is required for a link")
		}
		if u, err := url.Parse(uri); err != nil || !u.IsAbs() || (u.Host == "" && u.Opaque == "") || strings.ContainsAny(uri, " \t\n") {
			return invalidf(subject, at+".uri", "must be an absolute URL like \"https://example.com\", got %q", uri)
		}
	case MenuItemTypePostback:
		if payload == "" {
			return invalidf(subject, at+".payload", "is required for a postback")
		}
	case MenuItemTypeSubmenu:
	default:
		return invalidf(subject, at+".type", "must be %q, %q or %q, got %q", MenuItemTypeLink, MenuItemTypePostback, MenuItemTypeSubmenu, string(typ))
	}
	return nil
}
