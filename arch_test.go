package motcua_test

import (
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/motcua/motcua"

// rule is a line of the dependency table of architecture.md §3: a package
// may depend (directly or not) only on the project packages listed, and
// never on the standard packages named in forbidStd.
type rule struct {
	pkg       string
	allow     []string // project packages, "" for the root; a trailing "/..." allows a subtree
	forbidStd []string
}

var rules = []rule{
	{pkg: "", forbidStd: []string{"net/http", "database/sql"}},
	{pkg: "calendar", allow: []string{""}, forbidStd: []string{"net/http", "database/sql"}},
	{pkg: "service", allow: []string{"", "calendar"}, forbidStd: []string{"net/http", "database/sql"}},
	{pkg: "sqlstore", allow: []string{""}},
	{pkg: "sqlstore/sqltest", allow: []string{"", "sqlstore"}},
	{pkg: "password", allow: []string{""}},
	{pkg: "webhook", allow: []string{""}},
	{pkg: "metrics", allow: []string{""}},
	{pkg: "blob", allow: []string{""}},
	{pkg: "blob/blobtest", allow: []string{""}},
	{pkg: "dvcqg", allow: []string{""}},
	{pkg: "dvcqg/sim", allow: []string{"", "dvcqg"}},
	{pkg: "web", allow: []string{"", "service", "calendar"}, forbidStd: []string{"database/sql"}},
	{pkg: "web/api", allow: []string{"", "service", "calendar", "web", "xlsx"}, forbidStd: []string{"database/sql"}},
	{pkg: "web/ui", allow: []string{"", "service", "calendar", "web", "pdf", "xlsx", "chart"}, forbidStd: []string{"database/sql"}},
	{pkg: "pdf", allow: []string{""}, forbidStd: []string{"net/http", "database/sql"}},
	{pkg: "xlsx", allow: []string{""}, forbidStd: []string{"net/http", "database/sql"}},
	{pkg: "chart", forbidStd: []string{"net/http", "database/sql"}},
	{pkg: "jobs", allow: []string{"", "service", "calendar"}, forbidStd: []string{"database/sql"}},
	{pkg: "demo", allow: []string{"", "service", "calendar"}, forbidStd: []string{"net/http", "database/sql"}},
	{pkg: "payment", allow: []string{""}, forbidStd: []string{"database/sql"}},
	{pkg: "payment/sim", allow: []string{"", "payment"}, forbidStd: []string{"database/sql"}},
	{pkg: "signedhttp", allow: []string{""}, forbidStd: []string{"database/sql"}},
	{pkg: "popdb", allow: []string{"", "signedhttp"}, forbidStd: []string{"database/sql"}},
	{pkg: "popdb/sim", allow: []string{"", "popdb", "signedhttp"}, forbidStd: []string{"database/sql"}},
	{pkg: "sign", allow: []string{""}, forbidStd: []string{"database/sql"}},
	{pkg: "sign/sim", allow: []string{"", "sign"}, forbidStd: []string{"database/sql"}},
	{pkg: "sso", allow: []string{""}, forbidStd: []string{"database/sql"}},
	{pkg: "sso/sim", allow: []string{"", "sso"}, forbidStd: []string{"database/sql"}},
	{pkg: "kho", allow: []string{"", "signedhttp"}, forbidStd: []string{"database/sql"}},
	{pkg: "kho/sim", allow: []string{"", "kho", "signedhttp"}, forbidStd: []string{"database/sql"}},
	{pkg: "mail", allow: []string{""}, forbidStd: []string{"net/http", "database/sql"}},
	{pkg: "mail/mailtest", forbidStd: []string{"net/http", "database/sql"}},
	{pkg: "sms", allow: []string{""}, forbidStd: []string{"database/sql"}},
	{pkg: "sms/sim", allow: []string{"", "sms"}, forbidStd: []string{"database/sql"}},
	{pkg: "ocr", allow: []string{""}, forbidStd: []string{"net/http", "database/sql"}},
}

// TestDependencyRule enforces the table with `go list -deps`, so that the
// layering cannot rot. Third-party modules are allowed only to adapters and
// to the outer layers; the domain packages use the standard library alone.
func TestDependencyRule(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("go command not found")
	}
	domain := map[string]bool{"": true, "calendar": true, "service": true}
	for _, r := range rules {
		path := module
		if r.pkg != "" {
			path += "/" + r.pkg
		}
		out, err := exec.Command("go", "list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}|{{.ImportPath}}", path).CombinedOutput()
		if err != nil {
			t.Fatalf("go list %s: %v\n%s", path, err, out)
		}
		for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			nonStd, imp, _ := strings.Cut(line, "|")
			for _, f := range r.forbidStd {
				if imp == f {
					t.Errorf("%s depends on %s, which architecture.md forbids", path, f)
				}
			}
			if nonStd == "" || nonStd == path {
				continue
			}
			rel, inProject := strings.CutPrefix(nonStd, module)
			if !inProject {
				if domain[r.pkg] {
					t.Errorf("%s depends on third-party %s; the domain uses the standard library only", path, nonStd)
				}
				continue
			}
			rel = strings.TrimPrefix(rel, "/")
			ok := false
			for _, a := range r.allow {
				if rel == a || (strings.HasSuffix(a, "/...") && strings.HasPrefix(rel, strings.TrimSuffix(a, "..."))) {
					ok = true
				}
			}
			if !ok {
				t.Errorf("%s depends on %s/%s, which architecture.md forbids", path, module, rel)
			}
		}
	}
}
