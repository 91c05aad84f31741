// Package password hashes staff passwords with argon2id
// (golang.org/x/crypto/argon2), in the PHC string format so that parameters
// travel with each hash and can be raised without invalidating old ones.
package password

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"runtime"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Argon2id holds the cost parameters. Memory is in KiB.
type Argon2id struct {
	Time    uint32
	Memory  uint32
	Threads uint8
	KeyLen  uint32
}

// Default is t=1, m=64 MiB, p=2 (about 150 ms on the reference machine;
// the first recommended option of RFC 9106).
func Default() Argon2id { return Argon2id{Time: 1, Memory: 64 * 1024, Threads: 2, KeyLen: 32} }

// hashing bounds the argon2 computations running at once. Each holds
// its Memory (64 MiB by default) until it ends and keeps Threads cores
// busy, so running more at once than the cores allow only adds memory: at
// eight in the morning, with hundreds of officers signing in, unbounded
// hashes took the process past its memory limit (four at once are 256 MiB)
// while the sign-ins went no faster. Waiting here costs a sign-in the time
// of the hashes before it, which the cores would have spent anyway.
var hashing = make(chan struct{}, max(1, runtime.GOMAXPROCS(0)/2))

// idKey is argon2.IDKey within the bound of hashing.
func idKey(pw, salt []byte, t, m uint32, p uint8, n uint32) []byte {
	hashing <- struct{}{}
	defer func() { <-hashing }()
	return argon2.IDKey(pw, salt, t, m, p, n)
}

// Hash returns the encoded hash of pw with a fresh random salt.
func (a Argon2id) Hash(pw string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("password salt: %w", err)
	}
	key := idKey([]byte(pw), salt, a.Time, a.Memory, a.Threads, a.KeyLen)
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, a.Memory, a.Time, a.Threads,
		enc.EncodeToString(salt), enc.EncodeToString(key)), nil
}

// Verify reports whether pw matches encoded, using the parameters stored in
// encoded. It returns an error only when encoded cannot be read.
func (a Argon2id) Verify(encoded, pw string) (bool, error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, fmt.Errorf("password hash: not an argon2id hash")
	}
	var v int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &v); err != nil || v != argon2.Version {
		return false, fmt.Errorf("password hash: unsupported version %q", parts[2])
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || m == 0 || t == 0 || p == 0 {
		return false, fmt.Errorf("password hash: bad parameters %q", parts[3])
	}
	enc := base64.RawStdEncoding
	salt, err1 := enc.DecodeString(parts[4])
	want, err2 := enc.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false, fmt.Errorf("password hash: bad encoding")
	}
	got := idKey([]byte(pw), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}
