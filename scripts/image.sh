#!/bin/sh
# `npm run image [-- extra build options]`: builds the Containerfile as gatehouse:latest with podman, or docker when
# podman is absent. `--format docker` keeps the HEALTHCHECK, which the OCI image format has no field for.
# Set BASE_IMAGE to build on another base, CA_BUNDLE to hand a CA bundle to npm ci (build secret `ca`).
set -eu
cd "$(dirname "$0")/.."
if command -v podman >/dev/null 2>&1; then
  set -- podman build --format docker "$@"
else
  set -- docker build "$@"
fi
[ -n "${BASE_IMAGE:-}" ] && set -- "$@" --build-arg "BASE_IMAGE=$BASE_IMAGE"
[ -n "${CA_BUNDLE:-}" ] && set -- "$@" --secret "id=ca,src=$CA_BUNDLE"
exec "$@" -f Containerfile -t "${IMAGE:-gatehouse:latest}" .
