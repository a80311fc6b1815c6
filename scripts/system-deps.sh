#!/usr/bin/env bash
# Installs, through apt and only when missing, what the test suite needs beyond Node and npm:
# Chromium (Playwright's browser), Ceph's RADOS Gateway (the S3 server), NGINX and systemd-analyze (the
# operations tests; systemd is only installed for its tools, nothing here needs it running).
set -euo pipefail

need=()
command -v chromium >/dev/null 2>&1 || [[ -n ${CHROMIUM_PATH:-} ]] || need+=(chromium)
command -v nginx >/dev/null 2>&1 || [[ -x /usr/sbin/nginx ]] || need+=(nginx)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
command -v curl >/dev/null 2>&1 || need+=(curl)
command -v systemd-analyze >/dev/null 2>&1 || need+=(systemd)
if [[ -z ${TEST_S3_ENDPOINT:-} ]]; then
	for bin in radosgw ceph-mon ceph-osd ceph; do
		command -v "$bin" >/dev/null 2>&1 || { need+=(radosgw ceph-mon ceph-osd ceph-common); break; }
	done
fi
((${#need[@]} == 0)) && exit 0

sudo=()
if [[ $(id -u) -ne 0 ]]; then
	command -v sudo >/dev/null 2>&1 || { echo "system-deps: need root or sudo to install: ${need[*]}" >&2; exit 1; }
	sudo=(sudo)
fi
echo "system-deps: installing ${need[*]}" >&2
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
