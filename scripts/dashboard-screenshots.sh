#!/usr/bin/env bash
# Regenerates the dashboard's pictures in docs/ (docs/dashboard.md and the README show them) from
# the dashboard's browser test, which drives Debian's Chromium through both pages against a real
# service with real data and saves a screenshot at each step. Needs /usr/bin/chromium (or
# CHROMIUM_PATH); see docs/dashboard.md.
set -euo pipefail
cd "$(dirname "$0")/.."
shots="$(mktemp -d)"
trap 'rm -rf "$shots"' EXIT
npm run --silent build
DASHBOARD_SCREENSHOTS="$shots" npx jest test/e2e/dashboard.e2e.spec.ts --runInBand
# The overview with a firing alert and a failing webhook; a task's last hour during an incident
# (its outcome and timing charts, its first drives); the overview of that hour, minute by minute.
cp "$shots/overview-alerts-1280.png" docs/dashboard-overview.png
cp "$shots/incident-task-1h-1280.png" docs/dashboard-task.png
cp "$shots/incident-1h-1280.png" docs/dashboard-incident.png
echo "docs/dashboard-overview.png, docs/dashboard-task.png, docs/dashboard-incident.png updated"
