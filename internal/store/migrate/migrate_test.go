package migrate

import (
	"strings"
	"testing"
	"testing/fstest"
)

func TestLoadOrdersScripts(t *testing.T) {
	fsys := fstest.MapFS{
		"m/002_b.sql":   {Data: []byte("B")},
		"m/001_a.sql":   {Data: []byte("A")},
		"m/010_x.txt":   {Data: []byte("not a script")},
		"other/3_c.sql": {Data: []byte("C")},
	}
	ms, err := Load(fsys, "m", "test")
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 2 || ms[0] != (Script{1, "001_a.sql", "A"}) || ms[1] != (Script{2, "002_b.sql", "B"}) {
		t.Fatalf("Load = %+v", ms)
	}
}

func TestLoadRefusesBadSets(t *testing.T) {
	for name, c := range map[string]struct {
		files []string
		want  string
	}{
		"gap":       {[]string{"001_a.sql", "003_c.sql"}, `test: migration "003_c.sql": want version 2`},
		"duplicate": {[]string{"001_a.sql", "001_b.sql"}, `want version 2`},
		"no number": {[]string{"a.sql"}, `test: migration "a.sql" is not named NNN_name.sql`},
		"zero":      {[]string{"000_a.sql"}, `is not named NNN_name.sql`},
		"not first": {[]string{"002_b.sql"}, `want version 1`},
	} {
		fsys := fstest.MapFS{}
		for _, f := range c.files {
			fsys["m/"+f] = &fstest.MapFile{Data: []byte("x")}
		}
		_, err := Load(fsys, "m", "test")
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: Load error %v, want %q", name, err, c.want)
		}
	}
}

func TestCheckCurrent(t *testing.T) {
	if err := CheckCurrent("test", 2, 2); err != nil {
		t.Errorf("same version: %v", err)
	}
	if err := CheckCurrent("test", 3, 2); err == nil || !strings.Contains(err.Error(), "schema version 3 is newer than this binary knows (2)") {
		t.Errorf("newer version: %v", err)
	}
}
