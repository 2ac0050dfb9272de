package publish

import (
	"errors"

	"golang.org/x/sys/unix"
)

// errNoExchange: the file system cannot exchange two paths in one rename.
var errNoExchange = errors.New("RENAME_EXCHANGE not supported")

// exchange swaps two paths atomically (renameat2 RENAME_EXCHANGE).
func exchange(a, b string) error {
	err := unix.Renameat2(unix.AT_FDCWD, a, unix.AT_FDCWD, b, unix.RENAME_EXCHANGE)
	if errors.Is(err, unix.EINVAL) || errors.Is(err, unix.ENOSYS) || errors.Is(err, unix.EOPNOTSUPP) {
		return errNoExchange
	}
	return err
}
