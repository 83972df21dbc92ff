#!/usr/bin/env bash
# Lighthouse on the guide page, served production-like (gunicorn, DEBUG off,
# whitenoise with hashed static files) from a throwaway seeded database.
#
#   scripts/lighthouse.sh [PATH]     default PATH: /guides/flask-vs-django/
#
# Prints the four category scores and writes the full reports to
# build/lighthouse/. Exits 1 unless accessibility is 100 and performance,
# best practices and SEO are at least 90. Needs `npm ci` (lighthouse) and
# Debian's chromium; uses port $LIGHTHOUSE_PORT (default 8190).
# LIGHTHOUSE_PRESETS="mobile" runs only the mobile preset (the test does).
set -euo pipefail
cd "$(dirname "$0")/.."

PAGE="${1:-/guides/flask-vs-django/}"
PORT="${LIGHTHOUSE_PORT:-8190}"
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

FLAGS="--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync --no-first-run"
PRESETS="${LIGHTHOUSE_PRESETS:-mobile desktop}"
for preset in $PRESETS; do
  extra=()
  [ "$preset" = desktop ] && extra=(--preset=desktop)
  node_modules/.bin/lighthouse "http://127.0.0.1:$PORT$PAGE" "${extra[@]}" \
    --chrome-flags="$FLAGS" --only-categories=performance,accessibility,best-practices,seo \
    --output=json --output=html --output-path="$OUT/guide-$preset" --quiet
done

node - "$OUT" $PRESETS <<'JS'
const fs = require("fs");
const [out, ...presets] = process.argv.slice(2);
let ok = true;
for (const preset of presets) {
  const report = JSON.parse(fs.readFileSync(`${out}/guide-${preset}.report.json`, "utf8"));
  const scores = Object.fromEntries(Object.entries(report.categories).map(([k, c]) => [k, Math.round(c.score * 100)]));
  console.log(`${preset}: ` + Object.entries(scores).map(([k, v]) => `${k} ${v}`).join(", "));
  if (scores.accessibility < 100 || scores.performance < 90 || scores["best-practices"] < 90 || scores.seo < 90) ok = false;
  for (const [id, audit] of Object.entries(report.audits)) {
    if (audit.score !== null && audit.score < 1 && audit.scoreDisplayMode !== "informative" && audit.scoreDisplayMode !== "manual") {
      console.log(`  - ${id}: ${audit.title}`);
    }
  }
}
process.exit(ok ? 0 : 1);
JS
