#!/usr/bin/env bash
# Rebuild the shipped reference samples from the shared real data (derived statistics only).
# Usage: scripts/build-reference-samples.sh   (SAFEBASE_SHARED_DIR defaults to ../shared)
# tests/test_norms_realdata.py re-derives every number and checks this command reproduces the file.
set -euo pipefail
cd "$(dirname "$0")/.."
shared="${SAFEBASE_SHARED_DIR:-../shared}"
safebase="${SAFEBASE:-.venv/bin/safebase}"

"$safebase" norms build "$shared/data/openpsychometrics_ecr/data.csv" \
  --instrument ecr-5pt --prefix Q --invalid missing \
  --label "people who took the ECR online at openpsychometrics.org, self-selected, not a representative norm" \
  --source "openpsychometrics.org, ECR-data-1March2018 (answers of 51,491 online volunteers who agreed their answers could be used for research); copy from GitHub haghish/openpsychometrics, file data.csv, sha256 7703f7f7b4d35d1d85b5cf4062cecc94380cdedd4fcd16132411186c1ac95ec1" \
  --out safebase/norms/ecr-5pt-openpsychometrics-2018.toml
