#!/usr/bin/env bash
# The whole test suite (`npm test`, the README's test command) on a fresh Debian/Ubuntu machine: installs what
# is missing, type-checks, lints (ESLint, Prettier), runs the unit tier, builds the production app, then runs
# the other tiers against one real PostgreSQL and one real S3 server (scripts/test-run.ts). Arguments name tiers
# to run instead of all (`npm test -- e2e playwright`; npm run test:integration / test:e2e); only what they need
# is installed and built.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1 AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true

tiers=()
for arg in "$@"; do [[ $arg == -- ]] || tiers+=("$arg"); done
wants() { # wants TIER...: true when all tiers run or one of the named ones is selected
	((${#tiers[@]} == 0)) && return 0
	local t w
	for t in "${tiers[@]}"; do for w in "$@"; do [[ $t == "$w" ]] && return 0; done; done
	return 1
}

wants integration e2e playwright vitest && bash scripts/system-deps.sh
[[ -x node_modules/.bin/next ]] || npm ci
if ((${#tiers[@]} == 0)); then
	echo "==> typecheck"
	npm run --silent typecheck
	echo "==> lint"
	npm run --silent lint
	npm run --silent format:check
fi
if wants e2e playwright vitest && [[ -z ${SKIP_BUILD:-} ]]; then
	echo "==> build"
	npm run --silent build >/tmp/cloudnotes-build.log 2>&1 || { tail -50 /tmp/cloudnotes-build.log; exit 1; }
fi
exec node --import tsx scripts/test-run.ts "${tiers[@]}"
