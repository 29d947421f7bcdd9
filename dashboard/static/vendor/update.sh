#!/bin/sh
# Fetches the vendored files again from the npm registry (npm pack) and
# prints their SHA-256, for VENDOR.md. Run it from this folder.
set -eu
HTMX=2.0.11 PICO=2.1.1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "htmx.org@$HTMX" "@picocss/pico@$PICO" > /dev/null && mkdir h p &&
	tar xzf "htmx.org-$HTMX.tgz" -C h && tar xzf "picocss-pico-$PICO.tgz" -C p)
cp "$tmp/h/package/dist/htmx.min.js" "htmx-$HTMX.min.js"
cp "$tmp/h/package/LICENSE" htmx-LICENSE
cp "$tmp/p/package/css/pico.min.css" "pico-$PICO.min.css"
cp "$tmp/p/package/LICENSE.md" pico-LICENSE.md
sha256sum "htmx-$HTMX.min.js" "pico-$PICO.min.css" "$tmp"/*.tgz
