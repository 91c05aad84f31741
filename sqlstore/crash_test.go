package sqlstore_test

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/sqlstore"
)

// TestCrashKeepsAcknowledgedWrites runs a writer in a child process that
// prints the code of every agency as soon as Write acknowledges it, kills
// the child with SIGKILL in mid-stream, and checks that every acknowledged
// agency is in the database afterwards.
func TestCrashKeepsAcknowledgedWrites(t *testing.T) {
	if os.Getenv("MOTCUA_CRASH_CHILD") != "" {
		crashChild()
		return
	}
	if testing.Short() {
		t.Skip("spawns a process")
	}
	path := filepath.Join(t.TempDir(), "crash.db")
	db, err := sqlstore.Open(path, sqlstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Migrate(ctx, nil); err != nil {
		t.Fatal(err)
	}
	db.Close()

	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashKeepsAcknowledgedWrites$")
	cmd.Env = append(os.Environ(), "MOTCUA_CRASH_CHILD="+path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var acked []string
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		line := sc.Text()
		if code, ok := cutPrefix(line, "ACK "); ok {
			acked = append(acked, code)
			if len(acked) == 500 {
				cmd.Process.Signal(syscall.SIGKILL)
			}
		}
	}
	cmd.Wait()
	if len(acked) < 500 {
		t.Fatalf("child acknowledged only %d writes before exiting", len(acked))
	}

	db, err = sqlstore.Open(path, sqlstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.Read(ctx, func(tx motcua.Tx) error {
		for _, code := range acked {
			if _, err := tx.AgencyByCode(ctx, code); err != nil {
				return fmt.Errorf("acknowledged agency %s lost after the crash: %w", code, err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d acknowledged writes survived SIGKILL", len(acked))
}

func cutPrefix(s, p string) (string, bool) {
	if len(s) >= len(p) && s[:len(p)] == p {
		return s[len(p):], true
	}
	return "", false
}

// crashChild writes agencies from 16 goroutines forever, printing each
// acknowledged code.
func crashChild() {
	db, err := sqlstore.Open(os.Getenv("MOTCUA_CRASH_CHILD"), sqlstore.Options{})
	if err != nil {
		fmt.Println("ERR", err)
		os.Exit(1)
	}
	var mu sync.Mutex
	w := bufio.NewWriter(os.Stdout)
	var wg sync.WaitGroup
	for g := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				code := "H" + strconv.Itoa(10+g) + "." + strconv.Itoa(i)
				err := db.Write(ctx, func(tx motcua.Tx) error {
					return tx.CreateAgency(ctx, &motcua.Agency{Code: code, Name: "x", Level: motcua.LevelCommune, Kind: motcua.KindCommuneCommittee})
				})
				if err != nil {
					fmt.Println("ERR", err)
					os.Exit(1)
				}
				mu.Lock()
				fmt.Fprintln(w, "ACK "+code)
				w.Flush()
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	time.Sleep(time.Hour)
}
