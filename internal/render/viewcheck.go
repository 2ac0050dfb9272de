package render

import (
	"reflect"

	"bantin/internal/diag"
)

// checkViews type-checks every kind's layout (with the partials and base it
// uses) against Data, and the photo grid partial against the *Article
// photoGrid gives it, so a layout that names a field no view has fails at
// load, naming its file and line.
func (t *Templates) checkViews(files map[string]layout) error {
	funcs := placeholderFuncs()
	exec := map[string]int{"partialCached": 1}
	var problems diag.List
	seen := map[typeErrTmp]bool{}
	report := func(errs []typeErrTmp) {
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
			report(checkTypesTmp(tk, data, funcs, exec))
		}
	}
	for _, tk := range t.kinds {
		if grid := tk.Lookup("partials/photo-grid.html"); grid != nil {
			report(checkTypesTmp(grid, reflect.TypeFor[*Article](), funcs, exec))
		}
		break
	}
	problems.Sort()
	return problems.Err()
}
