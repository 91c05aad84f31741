//go:build linux || darwin || freebsd || netbsd || openbsd

package sqlstore

import "syscall"

// diskFree returns the bytes an unprivileged process may still write on
// the file system holding dir, or -1 if the system cannot tell.
func diskFree(dir string) int64 {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return -1
	}
	return int64(st.Bavail) * int64(st.Bsize)
}
