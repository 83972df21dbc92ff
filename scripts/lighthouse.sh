#!/usr/bin/env bash
# Lighthouse on a guide, a framework page and a compare page, served
# production-like (gunicorn, DEBUG off, whitenoise with hashed static files)
# from a throwaway seeded database.
#
#   scripts/lighthouse.sh [PATH ...]
#     default: /guides/flask-vs-django/ /frameworks/flask/ /compare/django-vs-flask/
#
# Prints each page's four category scores and writes the full reports to
# build/lighthouse/<path>-<preset>.report.{json,html}. Exits 1 unless every
# page scores 100 in performance, accessibility, best practices and SEO.
# Performance is measured on this machine and a busy moment can cost a
# point, so a page short only on performance is measured once more
# (LIGHTHOUSE_RETRIES, default 2). Needs `npm ci` (lighthouse) and Debian's
# chromium; uses port $LIGHTHOUSE_PORT (default 8190).
# LIGHTHOUSE_PRESETS="mobile" runs only the mobile preset (the test does).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ $# -gt 0 ]; then PAGES=("$@"); else PAGES=(/guides/flask-vs-django/ /frameworks/flask/ /compare/django-vs-flask/); fi
PORT="${LIGHTHOUSE_PORT:-8190}"
RETRIES="${LIGHTHOUSE_RETRIES:-2}"
PY=.venv/bin/python
OUT=build/lighthouse
WORK="$(mktemp -d)"
mkdir -p "$OUT"

# Plain HTTP on loopback, as `make serve`: no redirect to HTTPS.
export SECRET_KEY=lighthouse-only-not-secret DEBUG=false SECURE_SSL_REDIRECT=false
export DATABASE_URL="sqlite:///$WORK/db.sqlite3" STATIC_ROOT="$WORK/static"
export CHROME_PATH="${CHROME_PATH:-/usr/bin/chromium}"

$PY manage.py migrate --noinput -v0
$PY manage.py seed -v0
$PY manage.py collectstatic --noinput -v0

.venv/bin/gunicorn compare_site.wsgi --bind "127.0.0.1:$PORT" --workers 2 --log-level warning &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 50); do
  curl -fs -o /dev/null "http://127.0.0.1:$PORT/" 2>/dev/null && break
  sleep 0.2
done
# Warm each page (and the page cache) so no audit measures a first render.
for page in "${PAGES[@]}"; do curl -fs -o /dev/null "http://127.0.0.1:$PORT$page"; done

FLAGS="--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync --no-first-run"
PRESETS="${LIGHTHOUSE_PRESETS:-mobile desktop}"

# A report's name: the page's path, e.g. guides-flask-vs-django-mobile.report.json.
name_of() { local p="${1#/}"; p="${p%/}"; p="${p//[^A-Za-z0-9]/-}"; echo "${p:-home}"; }

audit() {  # PAGE PRESET: one Chrome, one report
  local extra=()
  [ "$2" = desktop ] && extra=(--preset=desktop)
  node_modules/.bin/lighthouse "http://127.0.0.1:$PORT$1" "${extra[@]}" \
    --chrome-flags="$FLAGS" --only-categories=performance,accessibility,best-practices,seo \
    --output=json --output=html --output-path="$OUT/$(name_of "$1")-$2" --quiet
}

# Prints the scores and whatever audits cost points. Exit status: 0 all 100,
# 2 only performance short (worth measuring again), 3 Lighthouse itself failed
# (e.g. NO_NAVSTART, a trace it could not record: worth running again), 1 otherwise.
report() {
  node - "$OUT/$(name_of "$1")-$2.report.json" "$1" "$2" <<'JS'
const fs = require("fs");
const [file, page, preset] = process.argv.slice(2);
const report = JSON.parse(fs.readFileSync(file, "utf8"));
if (report.runtimeError && report.runtimeError.code !== "NO_ERROR") {
  console.log(`${preset} ${page}: Lighthouse failed (${report.runtimeError.code}): ${report.runtimeError.message}`);
  process.exit(3);
}
const scores = Object.fromEntries(Object.entries(report.categories).map(([k, c]) => [k, Math.round(c.score * 100)]));
console.log(`${preset} ${page}: ` + Object.entries(scores).map(([k, v]) => `${k} ${v}`).join(", "));
for (const [id, audit] of Object.entries(report.audits)) {
  if (audit.score !== null && audit.score < 1 && !["informative", "manual", "notApplicable"].includes(audit.scoreDisplayMode)) {
    console.log(`  - ${id}: ${audit.title}${audit.displayValue ? ` (${audit.displayValue})` : ""}`);
  }
}
const short = Object.entries(scores).filter(([, v]) => v < 100).map(([k]) => k);
process.exit(short.length === 0 ? 0 : short.every((k) => k === "performance") ? 2 : 1);
JS
}

attempt() {  # PAGE PRESET: audit and report; a Lighthouse that could not run at all is status 3
  if ! audit "$1" "$2"; then
    echo "$2 $1: Lighthouse could not complete the audit"
    return 3
  fi
  report "$1" "$2"
}

ok=0
for preset in $PRESETS; do
  for page in "${PAGES[@]}"; do
    status=0; attempt "$page" "$preset" || status=$?
    for _ in $(seq "$RETRIES"); do
      [ "$status" = 2 ] || [ "$status" = 3 ] || break
      echo "  (measuring again)"
      [ "$status" = 3 ] && sleep 3  # a trace Chromium could not record: let a busy machine settle first
      status=0; attempt "$page" "$preset" || status=$?
    done
    [ "$status" = 0 ] || ok=1
  done
done
exit $ok
