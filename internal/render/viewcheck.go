package render

import (
	"reflect"

	"bantin/internal/diag"
)

// checkViews type-checks every kind's layout (with the partials and base it
// uses) against Data, and the photo grid partial against the *Article
// photoGrid gives it, so a layout that names a field no view has fails at
// load, naming its file and line. What they can read is what fingerprints
// hash (viewHasher).
func (t *Templates) checkViews(files map[string]layout) error {
	funcs := placeholderFuncs()
	exec := map[string]int{"partialCached": 1}
	grids := map[string]string{"photoGrid": "partials/photo-grid.html"}
	use := fieldUse{}
	var problems diag.List
	seen := map[TypeError]bool{}
	report := func(errs []TypeError) {
		for _, e := range errs {
			if seen[e] {
				continue
			}
			seen[e] = true
			label := e.Template
			if f, ok := files[e.Template]; ok {
				label = f.label
			}
			problems = append(problems, diag.Diagnostic{Path: label, Line: e.Line, Col: e.Col,
				Msg: e.Msg + "; what layouts can show is listed in layouts/README.md"})
		}
	}
	data := reflect.TypeFor[*Data]()
	for _, kind := range Kinds {
		if tk := t.kinds[kind]; tk != nil {
			report(checkUses(tk, data, funcs, exec, grids, use))
		}
	}
	problems.Sort()
	t.hasher = &viewHasher{used: use}
	return problems.Err()
}
