package dashboard

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"net/http"
	"path"
)

//go:embed static
var staticFiles embed.FS

// asset is one file the pages load, served under a name that holds its
// digest, so a browser may keep it for ever and a new binary's file is a
// new name.
type asset struct {
	name        string
	contentType string
	body        []byte
}

// The pages' two assets: the styles (Pico's, then the dashboard's own) and
// htmx. Two requests after the HTML, both cached after the first page.
var (
	styles = newAsset("app", ".css", "text/css; charset=utf-8",
		"static/vendor/pico-2.1.1.min.css", "static/app.css")
	script = newAsset("htmx", ".js", "text/javascript; charset=utf-8", "static/vendor/htmx-2.0.11.min.js")
	assets = map[string]asset{styles.name: styles, script.name: script}
)

// newAsset joins the embedded files into one asset named base, a digest
// of its bytes and ext.
func newAsset(base, ext, contentType string, files ...string) asset {
	var body []byte
	for _, f := range files {
		b, err := fs.ReadFile(staticFiles, f)
		if err != nil {
			panic(err) // the files are embedded: a missing one is a build mistake
		}
		body = append(append(body, b...), '\n')
	}
	sum := sha256.Sum256(body)
	return asset{name: base + "." + hex.EncodeToString(sum[:6]) + ext, contentType: contentType, body: body}
}

// URL is where the pages load the asset from.
func (a asset) URL() string { return path.Join("/dashboard/static", a.name) }

// serveStatic handles GET /dashboard/static/{name}: an asset, cached for a
// year (its name changes with its content).
func serveStatic(w http.ResponseWriter, r *http.Request) {
	a, ok := assets[r.PathValue("name")]
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", a.contentType)
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	w.Write(a.body)
}
