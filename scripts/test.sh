#!/usr/bin/env bash
# The whole test suite (`npm test`, the README's test command) on a fresh Debian/Ubuntu machine: installs what
# is missing, type-checks, builds the production app, then runs every phase against one real PostgreSQL and
# one real S3 server (scripts/test-run.ts). Arguments are passed to test-run (e.g. `npm test -- vitest`).
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1 AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true

bash scripts/system-deps.sh
[[ -x node_modules/.bin/next ]] || npm ci
echo "==> typecheck"
npm run --silent typecheck
if [[ -z ${SKIP_BUILD:-} ]]; then
	echo "==> build"
	npm run --silent build >/tmp/cloudnotes-build.log 2>&1 || { tail -50 /tmp/cloudnotes-build.log; exit 1; }
fi
exec node --import tsx scripts/test-run.ts "$@"
