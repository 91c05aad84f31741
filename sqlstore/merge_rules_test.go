package sqlstore

import "testing"

// TestMergeRulesCoverTables fails when a table is added to copy.go without
// saying how a merge of two provinces treats it (merge_rules.go).
func TestMergeRulesCoverTables(t *testing.T) {
	for _, name := range Tables() {
		r, ok := mergeRules[name]
		if !ok {
			t.Errorf("table %s has no merge rule in merge_rules.go", name)
			continue
		}
		if r.rule == "" || (r.phase != 's' && r.fix == nil) || (r.phase == 'b' && (r.key == "" || idKinds[r.keyOf] == "")) {
			t.Errorf("table %s: incomplete merge rule %+v", name, r)
		}
	}
	for name := range mergeRules {
		if _, err := func() (ts tableSpec, err error) {
			defer func() {
				if recover() != nil {
					t.Errorf("merge rule for unknown table %s", name)
				}
			}()
			return specByName(name), nil
		}(); err != nil {
			t.Error(err)
		}
	}
}

// TestSetSumAdds: the additive checksum of a set is the sum of its parts',
// and taking a row out undoes adding it.
func TestSetSumAdds(t *testing.T) {
	var all, x, y acc
	for i, r := range []string{"a", "b", "c", "d"} {
		all.addRow([]byte(r), 1)
		if i%2 == 0 {
			x.addRow([]byte(r), 1)
		} else {
			y.addRow([]byte(r), 1)
		}
	}
	var sum acc
	sum.addSum(x.sum())
	sum.addSum(y.sum())
	if sum.sum() != all.sum() {
		t.Fatalf("%v + %v = %v, want %v", x.sum(), y.sum(), sum.sum(), all.sum())
	}
	sum.addRow([]byte("e"), 1)
	sum.addRow([]byte("e"), -1)
	if sum.sum() != all.sum() {
		t.Fatal("adding and removing a row changed the sum")
	}
	x.addRow([]byte("a"), -1)
	x.addRow([]byte("z"), 1)
	if x.sum() == all.sum() || x.sum().Rows != 2 {
		t.Fatalf("a changed set kept its sum: %v", x.sum())
	}
}
