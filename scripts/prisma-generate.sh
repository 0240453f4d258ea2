#!/usr/bin/env bash
# `prisma generate` never runs the schema engine, but without internet it fails trying to
# download one; pointing PRISMA_SCHEMA_ENGINE_BINARY at any executable skips that download.
set -euo pipefail
cd "$(dirname "$0")/.."
export PRISMA_SCHEMA_ENGINE_BINARY="${PRISMA_SCHEMA_ENGINE_BINARY:-$(command -v node)}"
exec npx --no-install prisma generate >/dev/null
