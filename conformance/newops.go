package conformance

import (
	"bytes"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// Requests no operation of the contract matches are what the API has added: the drift report proposes an
// operation for each method and path template they show. A template's segments are the requests' own, with
// the ids turned into parameters: a segment is an id when it has an id's shape (a Smooch id, a key id, a UUID,
// a number), when a body of the traffic carries it as an id (_id, …Id), when the contract has a parameter at
// that place of a path sharing the segments before it, or when requests differ only there.

// unmatchedReq is what the requests to one method and path, matched by no operation, showed.
type unmatchedReq struct {
	method   string
	segments []string // the escaped path's segments
	order    int      // when first seen
	first    string
	count    int
	seenIn   map[string]bool
	query    map[string]*shape
	bodies   map[string]*shape // request content type → the bodies
	withBody int               // how many requests answered with a 2xx had a body
	ok       int               // how many requests were answered with a 2xx
	statuses map[int]*answer
	schemes  map[string]bool // Authorization schemes
}

// answer is what one status of an unmatched operation answered.
type answer struct {
	contentType string
	shape       *shape
	example     any // the first body, redacted
}

func (d *Drift) addUnmatched(where string, ex Exchange, req *http.Request) {
	key := ex.Method + " " + req.URL.EscapedPath()
	u := d.unmatched[key]
	if u == nil {
		u = &unmatchedReq{method: ex.Method, segments: strings.Split(strings.TrimPrefix(req.URL.EscapedPath(), "/"), "/"),
			order: len(d.unmatched), first: where, seenIn: map[string]bool{}, query: map[string]*shape{},
			bodies: map[string]*shape{}, statuses: map[int]*answer{}, schemes: map[string]bool{}}
		d.unmatched[key] = u
	}
	u.count++
	u.seenIn[where] = true
	for name, values := range req.URL.Query() {
		if u.query[name] == nil {
			u.query[name] = &shape{}
		}
		for _, v := range values {
			u.query[name].add(paramValue(v))
		}
	}
	if scheme := authScheme(ex.Header.Get("Authorization")); scheme != "" {
		u.schemes[scheme] = true
	}
	if ex.Status >= 200 && ex.Status <= 299 {
		u.ok++
		if body := bytes.TrimSpace(ex.Body); len(body) > 0 {
			mt := mediaTypeOf(ex.Header.Get("Content-Type"))
			if u.bodies[mt] == nil {
				u.bodies[mt] = &shape{}
			}
			u.withBody++
			if v, ok := decodeJSON(body); ok {
				u.bodies[mt].add(v)
			} else if mt == "multipart/form-data" {
				addMultipart(u.bodies[mt], ex)
			}
		}
	}
	if ex.Status < 100 || ex.Status > 599 {
		return
	}
	a := u.statuses[ex.Status]
	body := bytes.TrimSpace(ex.RespBody)
	if a == nil {
		a = &answer{shape: &shape{}}
		if len(body) > 0 {
			a.contentType = mediaTypeOf(ex.RespHeader.Get("Content-Type"))
		}
		u.statuses[ex.Status] = a
	}
	if v, ok := decodeJSON(body); ok {
		if a.example == nil {
			a.example = redactExample("", v)
		}
		a.shape.add(v)
	}
}

// recordMultipart records a multipart body the operation does not declare, as an object of its parts.
func (d *Drift) recordMultipart(where string, f Finding, ex Exchange) {
	addMultipart(d.entry(where, f, "", nil).shape, ex)
}

// addMultipart adds a multipart/form-data body to s as an object: each part a member, a string, or a
// binary string for a file.
func addMultipart(s *shape, ex Exchange) {
	_, params, err := mime.ParseMediaType(ex.Header.Get("Content-Type"))
	if err != nil || params["boundary"] == "" {
		return
	}
	r := multipart.NewReader(bytes.NewReader(ex.Body), params["boundary"])
	object := map[string]any{}
	files := map[string]bool{}
	for {
		part, err := r.NextPart()
		if err != nil {
			break
		}
		data, _ := io.ReadAll(io.LimitReader(part, 1<<20))
		name := part.FormName()
		if name == "" {
			continue
		}
		if part.FileName() != "" {
			files[name] = true
			object[name] = ""
			continue
		}
		object[name] = string(data)
	}
	s.add(object)
	for name := range files {
		s.members[name].binary = true
	}
}

var (
	uuidSegment   = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
	numberSegment = regexp.MustCompile(`^[0-9]{2,}$`)
)

// proposal is what the requests showed of an operation the contract lacks.
type proposal struct {
	version  string   // the path's version segment ("v1.1"), if it starts with one
	segments []string // the template's segments after the version: literals, and {name} for parameters
	params   []string // the path parameters' names, in order
	query    map[string]*shape
	bodies   map[string]*shape
	withBody int
	ok       int
	requests int
	statuses map[int]*answer
	schemes  map[string]bool
}

// template is a path's segments after its version, with ids as parameters (names chosen later).
type template struct {
	method   string
	version  string
	segments []string // literal, or "" for a parameter
	reqs     []*unmatchedReq
}

func (t *template) key() string {
	return t.method + " " + t.version + "/" + strings.Join(t.segments, "/")
}

// proposals are the findings of the requests no operation matches: one per operation they suggest.
func (d *Drift) proposals() []Finding {
	if len(d.unmatched) == 0 {
		return nil
	}
	reqs := make([]*unmatchedReq, 0, len(d.unmatched))
	for _, u := range d.unmatched {
		reqs = append(reqs, u)
	}
	sort.Slice(reqs, func(i, j int) bool { return reqs[i].order < reqs[j].order })
	known := d.contractTemplates()
	byKey := map[string]*template{}
	var templates []*template
	for _, u := range reqs {
		t := &template{method: u.method}
		segs := u.segments
		if len(segs) > 0 && versionSegment.MatchString(segs[0]) {
			t.version, segs = segs[0], segs[1:]
		}
		for i, seg := range segs {
			unescaped, _ := url.PathUnescape(seg)
			if d.isID(unescaped) || known.paramAt(t.segments[:i]) {
				t.segments = append(t.segments, "")
			} else {
				t.segments = append(t.segments, unescaped)
			}
		}
		if existing := byKey[t.key()]; existing != nil {
			existing.reqs = append(existing.reqs, u)
			continue
		}
		t.reqs = []*unmatchedReq{u}
		byKey[t.key()] = t
		templates = append(templates, t)
	}
	templates = mergeVarying(templates)

	out := make([]Finding, 0, len(templates))
	for _, t := range templates {
		out = append(out, d.proposalFinding(t, known))
	}
	return out
}

// isID reports whether a path segment is an id: shaped like one, or carried as one by a body.
func (d *Drift) isID(seg string) bool {
	return objectID.MatchString(seg) || keyID.MatchString(seg) || uuidSegment.MatchString(seg) ||
		numberSegment.MatchString(seg) || d.ids[seg]
}

// mergeVarying merges templates of one method that differ at one literal segment only: requests that
// name different things there (/deployments/abc, /deployments/def) name ids.
func mergeVarying(templates []*template) []*template {
	for merged := true; merged; {
		merged = false
	search:
		for i, a := range templates {
			for j := i + 1; j < len(templates); j++ {
				b := templates[j]
				if a.method != b.method || a.version != b.version || len(a.segments) != len(b.segments) {
					continue
				}
				diff := -1
				for k := range a.segments {
					if a.segments[k] != b.segments[k] {
						if diff >= 0 || a.segments[k] == "" || b.segments[k] == "" {
							diff = -2
							break
						}
						diff = k
					}
				}
				if diff < 0 {
					continue
				}
				a.segments[diff] = ""
				a.reqs = append(a.reqs, b.reqs...)
				templates = append(templates[:j], templates[j+1:]...)
				merged = true
				break search
			}
		}
	}
	return templates
}

// knownTemplates are the contract's paths, after their version segment: where they have parameters, and
// what the parameters are called.
type knownTemplates [][]string

func (d *Drift) contractTemplates() knownTemplates {
	var out knownTemplates
	for _, path := range d.validator.Doc().Paths.InMatchingOrder() {
		segs := strings.Split(strings.TrimPrefix(path, "/"), "/")
		if len(segs) > 0 && (versionSegment.MatchString(segs[0]) || isParam(segs[0]) && d.prefix == "") {
			segs = segs[1:]
		}
		out = append(out, segs)
	}
	return out
}

func isParam(seg string) bool { return strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}") }

// paramAt reports whether a contract path starting with the literal segments before has a parameter right
// after them.
func (k knownTemplates) paramAt(before []string) bool {
	return k.paramName(before) != ""
}

// paramName is the name of the parameter a contract path starting with before has right after them, or "".
func (k knownTemplates) paramName(before []string) string {
next:
	for _, segs := range k {
		if len(segs) <= len(before) || !isParam(segs[len(before)]) {
			continue
		}
		for i, b := range before {
			if b != "" && segs[i] != b {
				continue next
			}
			if b == "" && !isParam(segs[i]) {
				continue next
			}
		}
		return strings.Trim(segs[len(before)], "{}")
	}
	return ""
}

func (d *Drift) proposalFinding(t *template, known knownTemplates) Finding {
	p := &proposal{version: t.version, query: map[string]*shape{}, bodies: map[string]*shape{},
		statuses: map[int]*answer{}, schemes: map[string]bool{}}
	f := Finding{Kind: UndeclaredOperation, Method: t.method, proposal: p}
	taken := map[string]bool{}
	for i, seg := range t.segments {
		if seg != "" {
			p.segments = append(p.segments, seg)
			continue
		}
		name := known.paramName(t.segments[:i])
		if name == "" {
			name = "id"
			for j := i - 1; j >= 0; j-- {
				if t.segments[j] != "" {
					name = singular(camelLower(t.segments[j])) + "Id"
					break
				}
			}
		}
		for n := 2; taken[name]; n++ {
			name = strings.TrimRight(name, "0123456789") + strconv.Itoa(n)
		}
		taken[name] = true
		p.params = append(p.params, name)
		p.segments = append(p.segments, "{"+name+"}")
	}
	path := "/" + strings.Join(p.segments, "/")
	if t.version != "" {
		path = "/" + t.version + path
	}
	f.Path = path
	seenIn := map[string]bool{}
	firstOrder := -1
	for _, u := range t.reqs {
		f.Count += u.count
		p.requests += u.count
		p.withBody += u.withBody
		p.ok += u.ok
		for w := range u.seenIn {
			seenIn[w] = true
		}
		if firstOrder < 0 || u.order < firstOrder {
			firstOrder, f.First = u.order, u.first
		}
		for name, s := range u.query {
			if p.query[name] == nil {
				p.query[name] = &shape{}
			}
			p.query[name].merge(s)
		}
		for ct, s := range u.bodies {
			if p.bodies[ct] == nil {
				p.bodies[ct] = &shape{}
			}
			p.bodies[ct].merge(s)
		}
		for status, a := range u.statuses {
			have := p.statuses[status]
			if have == nil {
				have = &answer{contentType: a.contentType, shape: &shape{}, example: a.example}
				p.statuses[status] = have
			}
			if have.contentType == "" {
				have.contentType = a.contentType
			}
			if have.example == nil {
				have.example = a.example
			}
			have.shape.merge(a.shape)
		}
		for s := range u.schemes {
			p.schemes[s] = true
		}
	}
	f.Interactions = len(seenIn)
	f.position = len(d.order) + 1 + firstOrder // after the contract's operations, in the order first seen
	for status := range p.statuses {
		f.Statuses = append(f.Statuses, status)
	}
	sort.Ints(f.Statuses)
	return f
}

// merge adds every value of o to s, as if they had been added to s.
func (s *shape) merge(o *shape) {
	if o == nil {
		return
	}
	if s.types == nil {
		s.types = map[string]int{}
	}
	for t, n := range o.types {
		s.types[t] += n
	}
	s.objects += o.objects
	if s.credential == "" {
		s.credential = o.credential
	}
	s.binary = s.binary || o.binary
	for name, m := range o.members {
		if s.members == nil {
			s.members, s.present = map[string]*shape{}, map[string]int{}
		}
		if s.members[name] == nil {
			s.members[name] = &shape{}
		}
		s.members[name].merge(m)
		s.present[name] += o.present[name]
	}
	if o.items != nil {
		if s.items == nil {
			s.items = &shape{}
		}
		s.items.merge(o.items)
	}
}

// singular is a plural noun's singular, as paths name collections: deployments → deployment, apps → app.
func singular(s string) string {
	switch {
	case strings.HasSuffix(s, "ies") && len(s) > 3:
		return s[:len(s)-3] + "y"
	case strings.HasSuffix(s, "sses"), strings.HasSuffix(s, "xes"):
		return s[:len(s)-2]
	case strings.HasSuffix(s, "s") && !strings.HasSuffix(s, "ss") && len(s) > 1:
		return s[:len(s)-1]
	}
	return s
}

// camelLower is a path segment in lower camel case: service-accounts → serviceAccounts.
func camelLower(s string) string {
	c := camel(s)
	if c == "" {
		return s
	}
	return strings.ToLower(c[:1]) + c[1:]
}

func findingKey(f Finding) string {
	return strings.Join([]string{string(f.Kind), f.Operation, f.Method, f.Path, strconv.Itoa(f.Status), f.ContentType,
		f.Ref, f.Field, f.At, fmt.Sprint(f.Value), strconv.FormatBool(f.Request)}, "\x00")
}
