package password_test

import (
	"strings"
	"testing"

	"github.com/motcua/motcua/password"
)

func TestHashVerify(t *testing.T) {
	h := password.Argon2id{Time: 1, Memory: 8 * 1024, Threads: 1, KeyLen: 32}
	enc, err := h.Hash("mật khẩu đúng 123")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(enc, "$argon2id$v=19$m=8192,t=1,p=1$") {
		t.Fatalf("encoding %q", enc)
	}
	// Verification uses the parameters stored in the hash, not the hasher's.
	ok, err := password.Default().Verify(enc, "mật khẩu đúng 123")
	if err != nil || !ok {
		t.Fatalf("right password: ok=%v err=%v", ok, err)
	}
	if ok, _ := h.Verify(enc, "mật khẩu sai 123"); ok {
		t.Fatal("wrong password accepted")
	}
	enc2, _ := h.Hash("mật khẩu đúng 123")
	if enc == enc2 {
		t.Fatal("two hashes of one password are equal: salt not random")
	}
	for _, bad := range []string{"", "$argon2i$v=19$m=1,t=1,p=1$AA$AA", "$argon2id$v=19$m=x$AA$AA", "$argon2id$v=19$m=8,t=1,p=1$!!$AA"} {
		if _, err := h.Verify(bad, "x"); err == nil {
			t.Errorf("Verify(%q) gave no error", bad)
		}
	}
}
