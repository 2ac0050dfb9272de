// Package build is the orchestrator: it runs the stages in order —
// config, load, model, convert, templates, render+write — and returns counts.
//
// Each step's errors are wrapped with the step's name or carried as
// diagnostics with file and line; all content problems of a build are
// collected before it stops, and nothing is written when there are any.
package build
