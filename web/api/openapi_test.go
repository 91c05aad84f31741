package api_test

import (
	"context"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/web/api"
)

// TestOpenAPIInStepWithHandlers checks that the document and the routes
// list the same endpoints, and that its enumerations are the domain's.
func TestOpenAPIInStepWithHandlers(t *testing.T) {
	doc, err := openapi3.NewLoader().LoadFromData(api.OpenAPI)
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatal(err)
	}
	documented := map[string]bool{}
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			documented[method+" "+path] = true
		}
	}
	routed := map[string]bool{}
	for _, r := range api.Routes {
		routed[r.Method+" "+r.Path] = true
		if !documented[r.Method+" "+r.Path] {
			t.Errorf("route %s %s is not in openapi.json", r.Method, r.Path)
		}
	}
	for k := range documented {
		if !routed[k] {
			t.Errorf("openapi.json documents %s, which no handler serves", k)
		}
	}

	enum := func(schema *openapi3.SchemaRef) []string {
		var out []string
		for _, v := range schema.Value.Enum {
			if s, ok := v.(string); ok && s != "" {
				out = append(out, s)
			}
		}
		sort.Strings(out)
		return out
	}
	var actions []string
	for _, tr := range motcua.Transitions {
		if !slices.Contains(actions, string(tr.Action)) {
			actions = append(actions, string(tr.Action))
		}
	}
	sort.Strings(actions)
	param := doc.Paths.Find("/dossiers/{code}/actions/{action}").Post.Parameters.GetByInAndName("path", "action")
	if got := enum(param.Schema); !slices.Equal(got, actions) {
		t.Errorf("documented actions %v, transition table %v", got, actions)
	}
	var states []string
	for _, s := range motcua.AllStates {
		states = append(states, string(s))
	}
	sort.Strings(states)
	if got := enum(doc.Components.Schemas["Status"].Value.Properties["state"]); !slices.Equal(got, states) {
		t.Errorf("documented states %v, domain %v", got, states)
	}
	for name, s := range doc.Components.Schemas {
		if strings.TrimSpace(name) == "" || s.Value == nil {
			t.Errorf("empty schema %q", name)
		}
	}
}
