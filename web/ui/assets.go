package ui

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
)

//go:embed assets
var assetFS embed.FS

// assetPrefix is where assets are served. Their names carry a checksum of
// their content, so browsers may keep them for a year: a changed file gets
// a new name.
const assetPrefix = "/tai-nguyen/"

type asset struct {
	name, hashed, ctype string
	body                []byte
}

type assets struct {
	byName   map[string]*asset // style.css → …
	byHashed map[string]*asset // style.1a2b3c4d.css → …
}

func loadAssets() (*assets, error) {
	a := &assets{byName: map[string]*asset{}, byHashed: map[string]*asset{}}
	err := fs.WalkDir(assetFS, "assets", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := assetFS.ReadFile(p)
		if err != nil {
			return err
		}
		name := path.Base(p)
		sum := sha256.Sum256(b)
		ext := path.Ext(name)
		x := &asset{name: name, hashed: strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:])[:10] + ext,
			ctype: mime.TypeByExtension(ext), body: b}
		if x.ctype == "" {
			return fmt.Errorf("asset %s: unknown type", name)
		}
		a.byName[name], a.byHashed[x.hashed] = x, x
		return nil
	})
	return a, err
}

// favicon serves the site's icon (assets/favicon.svg) at /favicon.ico.
func (a *assets) favicon(w http.ResponseWriter, r *http.Request) {
	x := a.byName["favicon.svg"]
	w.Header().Set("Content-Type", x.ctype)
	w.Header().Set("Cache-Control", "public, max-age=86400")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Write(x.body)
}

// url returns the checksummed address of an asset.
func (a *assets) url(name string) string {
	x, ok := a.byName[name]
	if !ok {
		panic("ui: no asset " + name)
	}
	return assetPrefix + x.hashed
}

// size returns the size in bytes of an asset.
func (a *assets) size(name string) int { return len(a.byName[name].body) }

func (a *assets) serve(w http.ResponseWriter, r *http.Request) {
	x, ok := a.byHashed[r.PathValue("name")]
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", x.ctype)
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Write(x.body)
}
