package markdown

import (
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/util"
)

// nodeRenderer overrides goldmark's rendering of a few node kinds. It is registered at a higher
// priority (a lower number) than goldmark's own renderers, so its functions win.
type nodeRenderer struct {
	unsafe bool
}

func (r *nodeRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(east.KindTable, r.renderTable)
	if !r.unsafe {
		// The tree walk already removed raw HTML; this is the second lock on the door, and it also
		// drops goldmark's "<!-- raw HTML omitted -->" comments.
		reg.Register(ast.KindHTMLBlock, renderNothing)
		reg.Register(ast.KindRawHTML, renderNothing)
	}
}

// renderTable renders a GFM table as goldmark does, inside <div class="bang"> so it can scroll
// sideways on a narrow screen.
func (r *nodeRenderer) renderTable(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		_, _ = w.WriteString("<div class=\"bang\">\n<table")
		if n.Attributes() != nil {
			html.RenderAttributes(w, n, extension.TableAttributeFilter)
		}
		_, _ = w.WriteString(">\n")
	} else {
		_, _ = w.WriteString("</table>\n</div>\n")
	}
	return ast.WalkContinue, nil
}

func renderNothing(util.BufWriter, []byte, ast.Node, bool) (ast.WalkStatus, error) {
	return ast.WalkSkipChildren, nil
}
