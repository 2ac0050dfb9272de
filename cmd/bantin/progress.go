package main

import (
	"fmt"
	"io"
	"os"
	"strings"
)

// progressBar returns a function that draws "label [####....] 12/200" on
// one terminal line, or nil when w is not a terminal (CI logs stay clean).
func progressBar(w io.Writer, label string) func(done, total int) {
	f, ok := w.(*os.File)
	if !ok {
		return nil
	}
	if info, err := f.Stat(); err != nil || info.Mode()&os.ModeCharDevice == 0 {
		return nil
	}
	return func(done, total int) {
		if total < 20 { // a handful of photos needs no bar
			return
		}
		const width = 30
		n := width * done / total
		fmt.Fprintf(w, "\r%s [%s%s] %d/%d", label, strings.Repeat("#", n), strings.Repeat(".", width-n), done, total)
		if done == total {
			fmt.Fprintln(w)
		}
	}
}
