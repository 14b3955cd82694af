package diff

import (
	"strings"
	"testing"
)

// TestRulesTable checks that the table a teacher reviews is complete:
// every rule has its ID in place, a name, and both formulas.
func TestRulesTable(t *testing.T) {
	seen := map[string]bool{}
	for i, r := range Rules() {
		if int(r.ID) != i {
			t.Errorf("rule %d has ID %d", i, r.ID)
		}
		if r.Name == "" || r.LaTeX == "" || r.Plain == "" {
			t.Errorf("rule %d (%q) lacks a name or a formula", i, r.Name)
		}
		if seen[r.Name] {
			t.Errorf("two rules are called %q", r.Name)
		}
		seen[r.Name] = true
		if strings.ContainsAny(r.Tag(), "ᵀ∇") {
			t.Errorf("rule %q: its LaTeX tag has unicode math: %s", r.Name, r.Tag())
		}
	}
	if got := RuleID(-1).String(); got != "?" {
		t.Errorf("an unknown rule is called %q", got)
	}
}
