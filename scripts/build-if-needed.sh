#!/usr/bin/env bash
# Used by `npm start`: builds when dist/ is missing or older than the sources, else does nothing,
# so a production start of an already built image does not need the build tools.
set -euo pipefail
cd "$(dirname "$0")/.."
stamp=dist/.build-stamp
if [ -f "$stamp" ] && { [ ! -d src ] || [ -z "$(find src prisma/schema.prisma package.json -newer "$stamp" -print -quit 2>/dev/null)" ]; }; then
  exit 0
fi
npm run --silent build
touch "$stamp"
