package openapi

import (
	"net/http"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers"
)

// segmentRouter finds a request's operation by comparing its escaped path, segment by segment, with the
// contract's path templates: a literal segment must be equal, a {parameter} takes any non-empty segment.
// It answers as kin-openapi's gorillamux router (with UseEncodedPath) does — the same routes, the same
// escaped parameter values, ErrMethodNotAllowed for a known path with another method — without a regular
// expression per route: routing is the hottest step of validating a cassette and of the fake's every request.
type segmentRouter struct {
	doc    *openapi3.T
	routes []segmentRoute // templates with more literal segments first, as InMatchingOrder puts them
}

type segmentRoute struct {
	path     string
	segments []string // the template's segments after the leading "/"; "" marks a parameter
	params   []string // the parameters' names, in order
	literals int
}

func newSegmentRouter(doc *openapi3.T) *segmentRouter {
	r := &segmentRouter{doc: doc}
	for _, path := range doc.Paths.InMatchingOrder() {
		route := segmentRoute{path: path}
		for _, seg := range strings.Split(strings.TrimPrefix(path, "/"), "/") {
			if name, ok := strings.CutPrefix(seg, "{"); ok && strings.HasSuffix(name, "}") {
				route.segments = append(route.segments, "")
				route.params = append(route.params, strings.TrimSuffix(name, "}"))
				continue
			}
			route.segments = append(route.segments, seg)
			route.literals++
		}
		r.routes = append(r.routes, route)
	}
	sort.SliceStable(r.routes, func(i, j int) bool { return r.routes[i].literals > r.routes[j].literals })
	return r
}

// FindRoute implements routers.Router.
func (r *segmentRouter) FindRoute(req *http.Request) (*routers.Route, map[string]string, error) {
	escaped := req.URL.EscapedPath()
	rest, ok := strings.CutPrefix(escaped, "/")
	if !ok {
		return nil, nil, routers.ErrPathNotFound
	}
	n := strings.Count(rest, "/") + 1
	for i := range r.routes {
		route := &r.routes[i]
		if len(route.segments) != n || !route.matches(rest) {
			continue
		}
		pathItem := r.doc.Paths.Value(route.path)
		op := pathItem.GetOperation(req.Method)
		if op == nil {
			return nil, nil, routers.ErrMethodNotAllowed
		}
		var params map[string]string
		if len(route.params) > 0 {
			params = make(map[string]string, len(route.params))
			p := 0
			for j, seg := range strings.Split(rest, "/") {
				if route.segments[j] == "" {
					params[route.params[p]] = seg
					p++
				}
			}
		}
		return &routers.Route{Spec: r.doc, Path: route.path, PathItem: pathItem, Method: req.Method, Operation: op}, params, nil
	}
	return nil, nil, routers.ErrPathNotFound
}

// matches compares the escaped path (without its leading "/") with the template, segment by segment,
// without allocating.
func (route *segmentRoute) matches(rest string) bool {
	for _, want := range route.segments {
		seg, tail, _ := strings.Cut(rest, "/")
		if want == "" {
			if seg == "" {
				return false
			}
		} else if seg != want {
			return false
		}
		rest = tail
	}
	return true
}
