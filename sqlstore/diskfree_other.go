//go:build !(linux || darwin || freebsd || netbsd || openbsd)

package sqlstore

// diskFree cannot measure free space on this system: -1 (unknown) turns
// the reserve check off, and a full disk is met by SQLite's own errors.
func diskFree(string) int64 { return -1 }
