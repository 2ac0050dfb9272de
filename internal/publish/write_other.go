//go:build !unix

package publish

import "os"

const (
	syscallNonblock = 0
	syscallNofollow = 0
)

func writeFile(name string, data []byte, fix bool) error { return os.WriteFile(name, data, 0o644) }

func isNotDir(err error) bool { return false }

func noHardLinks(err error) bool { return true }

// lockDest takes no lock where flock is not available.
func lockDest(lockPath, dest string) (*os.File, error) {
	return os.OpenFile(lockPath, os.O_RDWR|os.O_CREATE, 0o644)
}

func umask() int { return 0o022 }

func isMountPoint(dir, parent string) bool { return false }
