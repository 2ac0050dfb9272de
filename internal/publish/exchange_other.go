//go:build !linux

package publish

import "errors"

var errNoExchange = errors.New("RENAME_EXCHANGE not supported")

// exchange is Linux's; elsewhere publish moves the old output aside (swap).
func exchange(a, b string) error { return errNoExchange }
