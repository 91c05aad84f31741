//go:build linux

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/sqlstore"
	"github.com/motcua/motcua/web"
)

// TestFullDiskOverHTTP runs the server on a real file system that fills
// up (a 48 MiB tmpfs mounted by the test: needs root, as CI has; skipped
// otherwise unless MOTCUA_REQUIRE_MOUNT is set), with the free-space
// reserve off so that SQLite itself meets ENOSPC. A new dossier is then
// answered 503 with Retry-After and a Vietnamese message, /readyz says not
// ready, and an acknowledged request sent again is answered with its
// stored dossier; once space is freed, the server is ready and takes
// dossiers again without a restart.
func TestFullDiskOverHTTP(t *testing.T) {
	if testing.Short() {
		t.Skip("fills a file system")
	}
	dir := t.TempDir()
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size=48m,mode=0700"); err != nil {
		if os.Getenv("MOTCUA_REQUIRE_MOUNT") != "" {
			t.Fatalf("mount a tmpfs: %v", err)
		}
		t.Skipf("cannot mount a tmpfs (needs root): %v", err)
	}
	t.Cleanup(func() { syscall.Unmount(dir, syscall.MNT_DETACH) })
	prev := slog.Default()
	setupLogging("error", io.Discard)
	t.Cleanup(func() { slog.SetDefault(prev) })

	ctx := context.Background()
	// The 48 MiB disk is under the default reserve: the seed runs without it,
	// as the server does below.
	store, err := sqlstore.Open(filepath.Join(dir, "motcua.db"), sqlstore.Options{MinFreeSpace: -1})
	if err != nil {
		t.Fatal(err)
	}
	svc := seedDemo(t, store)
	p, err := svc.ProcedureByCode(ctx, "1.001193")
	if err != nil {
		t.Fatal(err)
	}
	_, points, err := svc.Agency(ctx, "H99.101")
	if err != nil {
		t.Fatal(err)
	}
	var comps []service.ComponentInput
	for _, c := range p.Components {
		if !c.FromNationalDB {
			comps = append(comps, service.ComponentInput{ComponentID: c.ID, Provided: true})
		}
	}
	store.Close()

	in := startInstance(t, []string{"--data", dir, "--min-free-space", "0", "--log-level", "error"})
	base := in.url.String()
	client := &http.Client{Timeout: 20 * time.Second}
	token := crashSignIn(t, client, base, "motcua.anphu")
	request := func(i int) *crashRequest {
		b, _ := json.Marshal(service.NewDossier{ProcedureID: p.ID, ReceptionPointID: points[0].ID, Channel: motcua.ChannelCounter,
			Components: comps, Applicant: motcua.Applicant{FullName: "Người nộp đĩa đầy " + strconv.Itoa(i), IDNumber: "079000000001"}})
		return &crashRequest{key: "full-" + strconv.Itoa(i), token: token, body: b}
	}
	first := request(0)
	code, status, err := crashSend(client, base, first)
	if err != nil || status != http.StatusCreated {
		t.Fatalf("dossier on a disk with room: %d %v", status, err)
	}
	ready := func() int {
		t.Helper()
		resp, err := client.Get(base + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if s := ready(); s != http.StatusOK {
		t.Fatalf("readyz on a disk with room: %d", s)
	}

	filler := fillDisk(t, dir)
	var refused *http.Response
	var body []byte
	for i := 1; i <= 3000 && refused == nil; i++ {
		r := request(i)
		req, _ := http.NewRequest("POST", base+"/api/v1/dossiers", bytes.NewReader(r.body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Idempotency-Key", r.key)
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		switch resp.StatusCode {
		case http.StatusCreated:
		case http.StatusServiceUnavailable:
			refused, body = resp, b
		default:
			t.Fatalf("dossier %d on a full disk: %d %s", i, resp.StatusCode, b)
		}
	}
	if refused == nil {
		t.Fatal("3000 dossiers fitted on a full disk")
	}
	var eb web.ErrorBody
	json.Unmarshal(body, &eb)
	if refused.Header.Get("Retry-After") == "" || eb.Error != motcua.EUNAVAILABLE || eb.Message == "" {
		t.Errorf("refusal on a full disk: Retry-After %q, %s", refused.Header.Get("Retry-After"), body)
	}
	again, status, err := crashSend(client, base, first)
	if err != nil || status != http.StatusOK || again != code {
		t.Errorf("acknowledged request sent again on a full disk: %d %q %v, want 200 with %s", status, again, err, code)
	}
	time.Sleep(1100 * time.Millisecond) // past the probe's memory of its last success
	if s := ready(); s != http.StatusServiceUnavailable {
		t.Errorf("readyz on a full disk: %d, want 503", s)
	}

	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(15 * time.Second)
	for ready() != http.StatusOK {
		if time.Now().After(deadline) {
			t.Fatal("not ready 15 s after the space was freed")
		}
		time.Sleep(200 * time.Millisecond)
	}
	if _, status, err := crashSend(client, base, request(9999)); err != nil || status != http.StatusCreated {
		t.Fatalf("dossier after the space was freed: %d %v", status, err)
	}
}

// fillDisk writes a file until the file system holding dir is full.
func fillDisk(t *testing.T, dir string) string {
	t.Helper()
	path := filepath.Join(dir, "filler")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	chunk := make([]byte, 64<<10)
	for {
		if _, err := f.Write(chunk); err != nil {
			if errors.Is(err, syscall.ENOSPC) {
				return path
			}
			t.Fatal(err)
		}
	}
}
