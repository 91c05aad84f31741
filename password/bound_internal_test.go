package password

import (
	"testing"
	"time"
)

// TestHashesWaitForASlot checks that no more argon2 computations run at
// once than hashing allows: with every slot taken, a Hash waits, and it
// runs as soon as one is given back.
func TestHashesWaitForASlot(t *testing.T) {
	for range cap(hashing) {
		hashing <- struct{}{}
	}
	done := make(chan error, 1)
	go func() {
		_, err := Argon2id{Time: 1, Memory: 1024, Threads: 1, KeyLen: 16}.Hash("mật khẩu")
		done <- err
	}()
	select {
	case <-done:
		t.Fatal("a hash ran while every slot was taken")
	case <-time.After(100 * time.Millisecond):
	}
	<-hashing
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the hash did not run once a slot was free")
	}
	for range cap(hashing) - 1 {
		<-hashing
	}
}
