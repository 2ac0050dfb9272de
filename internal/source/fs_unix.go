//go:build unix

package source

import "syscall"

// openFlags open without blocking: a FIFO with no writer opens at once (and
// is then refused); a terminal does not become the controlling one.
const openFlags = syscall.O_RDONLY | syscall.O_NONBLOCK | syscall.O_NOCTTY | syscall.O_CLOEXEC
