package main

import (
	"strings"
	"testing"
)

// The replica section survives a full regeneration of the report and is
// replaced, not duplicated, by a new -postgres run.
func TestWithReplicas(t *testing.T) {
	notes := "## Notes\n\n" + notesBegin + "\nmine\n" + notesEnd + "\n"
	rep := "# Benchmarks\n\nnumbers\n\n" + notes
	sec := func(body string) string { return replicasBegin + "\n" + body + "\n" + replicasEnd + "\n" }
	first := withReplicas(rep, rep, sec("one"))
	if !strings.Contains(first, "numbers\n\n"+sec("one")+"\n## Notes") {
		t.Fatalf("inserted:\n%s", first)
	}
	kept := withReplicas(rep, first, "") // a full run without -postgres
	if kept != first {
		t.Errorf("carried over:\n%s\nwant\n%s", kept, first)
	}
	second := withReplicas(first, first, sec("two"))
	if strings.Count(second, replicasBegin) != 1 || !strings.Contains(second, "two") || strings.Contains(second, "one") {
		t.Errorf("replaced:\n%s", second)
	}
	if got := withReplicas(rep, rep, ""); got != rep {
		t.Errorf("nothing to carry: %s", got)
	}
}
