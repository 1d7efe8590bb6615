#!/usr/bin/env bash
# Refresh the vendored web assets from npm: NL Design System (Utrecht) CSS and theme, htmx, and axe-core for
# the browser tests. Versions are pinned here; bump one, run this script, look at the pages, commit the result.
set -euo pipefail
cd "$(dirname "$0")/.."

UTRECHT_CSS_VERSION=9.0.4       # @utrecht/component-library-css: the Utrecht components as plain CSS classes
# The theme: NL Design System's example theme (EUPL-1.2, class .voorbeeld-theme), which sets the --utrecht-*
# tokens the components read. Not @utrecht/design-tokens: that is Gemeente Utrecht's own house style, licensed
# as proprietary ("the open source license does NOT apply"). A municipality swaps in its own theme file here.
THEME_VERSION=7.4.1             # @nl-design-system-unstable/voorbeeld-design-tokens
HTMX_VERSION=2.0.11             # htmx.org: the 2.x line (4.x changed the attribute model; not yet needed)
AXE_VERSION=4.14.1              # axe-core: accessibility checks injected by tests/browser
SWAGGER_UI_VERSION=5.35.0       # swagger-ui-dist: the browsable API reference at /api-referentie (Apache-2.0)
CYTOSCAPE_VERSION=3.34.4        # cytoscape: the network picture of a case at /casussen/{id}/netwerk (MIT)

STATIC=src/service/web/static/vendor
TESTS=tests/browser/vendor
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

(
  cd "$work"
  npm init -y >/dev/null
  npm install --no-audit --no-fund --ignore-scripts --save-exact \
    "@utrecht/component-library-css@$UTRECHT_CSS_VERSION" \
    "@nl-design-system-unstable/voorbeeld-design-tokens@$THEME_VERSION" \
    "htmx.org@$HTMX_VERSION" \
    "axe-core@$AXE_VERSION" \
    "swagger-ui-dist@$SWAGGER_UI_VERSION" \
    "cytoscape@$CYTOSCAPE_VERSION" >/dev/null
)
modules="$work/node_modules"

licence() {  # the first licence file a package ships
  for name in LICENSE LICENSE.md LICENSE.txt LICENCE LICENCE.md license license.md; do
    if [ -f "$1/$name" ]; then echo "$1/$name"; return; fi
  done
  echo "no licence file in $1" >&2
  exit 1
}

rm -rf "$STATIC" "$TESTS"
mkdir -p "$STATIC/utrecht" "$STATIC/htmx" "$STATIC/swagger-ui" "$STATIC/cytoscape" "$TESTS"
cp "$modules/@utrecht/component-library-css/dist/index.css" "$STATIC/utrecht/component-library.css"
cp "$(licence "$modules/@utrecht/component-library-css")" "$STATIC/utrecht/LICENSE-component-library-css.md"
mkdir -p "$STATIC/theme"
cp "$modules/@nl-design-system-unstable/voorbeeld-design-tokens/dist/theme.css" "$STATIC/theme/theme.css"
cp "$(licence "$modules/@nl-design-system-unstable/voorbeeld-design-tokens")" "$STATIC/theme/LICENSE.md"
cp "$modules/htmx.org/dist/htmx.min.js" "$STATIC/htmx/htmx.min.js"
cp "$(licence "$modules/htmx.org")" "$STATIC/htmx/LICENSE"
cp "$modules/swagger-ui-dist/swagger-ui-bundle.js" "$modules/swagger-ui-dist/swagger-ui.css" "$STATIC/swagger-ui/"
cp "$(licence "$modules/swagger-ui-dist")" "$STATIC/swagger-ui/LICENSE"
cp "$modules/cytoscape/dist/cytoscape.min.js" "$STATIC/cytoscape/cytoscape.min.js"
cp "$(licence "$modules/cytoscape")" "$STATIC/cytoscape/LICENSE"
cp "$modules/axe-core/axe.min.js" "$TESTS/axe.min.js"
cp "$(licence "$modules/axe-core")" "$TESTS/LICENSE-axe-core.txt"

field() { node -p "require('$modules/$1/package.json').$2"; }
readme() {  # $1 = output, then package names
  local out=$1; shift
  {
    echo "# Vendored from npm by scripts/vendor-web-assets.sh — do not edit by hand"
    echo
    echo "| package | version | licence | files |"
    echo "| --- | --- | --- | --- |"
    for package in "$@"; do
      echo "| \`$package\` | $(field "$package" version) | $(field "$package" license) | ${FILES[$package]} |"
    done
  } >"$out"
}
declare -A FILES=(
  ["@utrecht/component-library-css"]="utrecht/component-library.css, utrecht/LICENSE-component-library-css.md"
  ["@nl-design-system-unstable/voorbeeld-design-tokens"]="theme/theme.css, theme/LICENSE.md"
  ["htmx.org"]="htmx/htmx.min.js, htmx/LICENSE"
  ["swagger-ui-dist"]="swagger-ui/swagger-ui-bundle.js, swagger-ui/swagger-ui.css, swagger-ui/LICENSE"
  ["axe-core"]="axe.min.js, LICENSE-axe-core.txt"
  ["cytoscape"]="cytoscape/cytoscape.min.js, cytoscape/LICENSE"
)
readme "$STATIC/README.md" "@utrecht/component-library-css" "@nl-design-system-unstable/voorbeeld-design-tokens" "htmx.org" \
  "swagger-ui-dist" "cytoscape"
readme "$TESTS/README.md" "axe-core"
echo "vendored into $STATIC and $TESTS:"
find "$STATIC" "$TESTS" -type f -printf '  %p (%s bytes)\n' | sort
