//go:build !unix

package source

import "os"

// openFlags: without O_NONBLOCK, special files are refused after opening.
const openFlags = os.O_RDONLY
