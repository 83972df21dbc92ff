#!/usr/bin/env bash
# What `make test` needs besides Python packages: Debian's chromium (driven by
# Playwright), Java for the Nu Html Checker, Node for axe-core, vnu-jar and
# Lighthouse (pinned by package-lock.json), and a font. Quick when all is
# there; installs what is missing with apt-get (as root) and npm. Never
# downloads a browser: the tests drive /usr/bin/chromium.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v chromium >/dev/null || need+=(chromium)
command -v java >/dev/null || need+=(openjdk-17-jre-headless)
command -v node >/dev/null || need+=(nodejs)
command -v npm >/dev/null || need+=(npm)
fc-list 2>/dev/null | grep -qi dejavu || need+=(fonts-dejavu-core)
# Extra packages (CI asks for postgresql and redis-server for its second run).
for pkg in ${EXTRA_DEBIAN_PACKAGES:-}; do need+=("$pkg"); done

if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${need[@]}"
  else
    echo "The tests need these Debian packages: ${need[*]}" >&2
    echo "Install them (sudo apt-get install ${need[*]}) and run make test again." >&2
    exit 1
  fi
fi

# --ignore-scripts: vnu-jar's install script would fetch a Java runtime; Java comes from apt.
if [ ! node_modules/.package-lock.json -nt package-lock.json ]; then
  npm ci --no-audit --no-fund --ignore-scripts
fi
