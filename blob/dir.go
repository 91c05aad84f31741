package blob

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"

	"github.com/motcua/motcua"
)

// Dir keeps blobs as files under a folder. Put writes a temporary file in
// the destination folder, syncs it, renames it over the key and syncs the
// folder, so that a blob is either the old one or the new one, whole, even
// after a power cut.
type Dir struct {
	root string
}

// OpenDir opens (creating if needed) the folder root.
func OpenDir(root string) (*Dir, error) {
	if err := os.MkdirAll(root, 0o750); err != nil {
		return nil, fmt.Errorf("create document folder: %w", err)
	}
	return &Dir{root: root}, nil
}

func (d *Dir) path(key string) (string, error) {
	if err := motcua.CheckBlobKey(key); err != nil {
		return "", err
	}
	return filepath.Join(d.root, filepath.FromSlash(key)), nil
}

// tmpPrefix marks files being written; List skips them.
const tmpPrefix = ".tmp-"

// errDiskFull is a Put refused by a full disk: the caller may retry later
// (EUNAVAILABLE, answered 503 with Retry-After), unlike other faults.
var errDiskFull = motcua.Errorf(motcua.EUNAVAILABLE, "storage_unavailable",
	"Hệ thống tạm thời không lưu được tệp vì bộ nhớ lưu trữ của máy chủ đang đầy. Tệp chưa được lưu; vui lòng thử lại sau ít phút.")

// Put implements motcua.BlobStore. A full disk (or quota) is EUNAVAILABLE;
// the partial file is removed either way.
func (d *Dir) Put(ctx context.Context, key string, r io.Reader) (err error) {
	defer func() {
		if errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT) {
			err = fmt.Errorf("%w: %w", errDiskFull, err)
		}
	}()
	p, err := d.path(key)
	if err != nil {
		return err
	}
	dir := filepath.Dir(p)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return fmt.Errorf("put %s: %w", key, err)
	}
	f, err := os.CreateTemp(dir, tmpPrefix+"*")
	if err != nil {
		return fmt.Errorf("put %s: %w", key, err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if _, err = io.Copy(f, ctxReader{ctx, r}); err != nil {
		return fmt.Errorf("put %s: %w", key, err)
	}
	if err = f.Sync(); err != nil {
		return fmt.Errorf("put %s: sync: %w", key, err)
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("put %s: %w", key, err)
	}
	if err = os.Rename(f.Name(), p); err != nil {
		return fmt.Errorf("put %s: %w", key, err)
	}
	return syncDir(dir)
}

// syncDir makes a rename in dir durable.
func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		return fmt.Errorf("sync folder %s: %w", dir, err)
	}
	return nil
}

// ctxReader stops a copy when ctx ends.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// Get implements motcua.BlobStore.
func (d *Dir) Get(_ context.Context, key string) (io.ReadCloser, error) {
	p, err := d.path(key)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, notFound(key)
	} else if err != nil {
		return nil, fmt.Errorf("get %s: %w", key, err)
	}
	if st, err := f.Stat(); err == nil && st.IsDir() {
		f.Close()
		return nil, notFound(key)
	}
	return f, nil
}

// Delete implements motcua.BlobStore.
func (d *Dir) Delete(_ context.Context, key string) error {
	p, err := d.path(key)
	if err != nil {
		return err
	}
	if st, err := os.Stat(p); errors.Is(err, fs.ErrNotExist) || (err == nil && st.IsDir()) {
		return notFound(key)
	}
	if err := os.Remove(p); err != nil {
		return fmt.Errorf("delete %s: %w", key, err)
	}
	return syncDir(filepath.Dir(p))
}

// Exists implements motcua.BlobStore.
func (d *Dir) Exists(_ context.Context, key string) (bool, error) {
	p, err := d.path(key)
	if err != nil {
		return false, err
	}
	st, err := os.Stat(p)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	} else if err != nil {
		return false, err
	}
	return !st.IsDir(), nil
}

// List implements motcua.BlobStore.
func (d *Dir) List(ctx context.Context, prefix string) ([]motcua.BlobInfo, error) {
	var out []motcua.BlobInfo
	err := filepath.WalkDir(d.root, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if e.IsDir() || strings.HasPrefix(e.Name(), tmpPrefix) {
			return nil
		}
		rel, err := filepath.Rel(d.root, p)
		if err != nil {
			return err
		}
		key := filepath.ToSlash(rel)
		if !strings.HasPrefix(key, prefix) {
			return nil
		}
		info, err := e.Info()
		if err != nil {
			return err
		}
		out = append(out, motcua.BlobInfo{Key: key, Size: info.Size(), Modified: info.ModTime().UTC()})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", prefix, err)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out, nil
}
