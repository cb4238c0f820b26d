#!/usr/bin/env bash
# Fuzzes the JSON API against its own OpenAPI document: starts the real function (embedded
# store on data/sample, ingestion and moderation on with test keys), validates GET /api/openapi.json
# against the OpenAPI 3.1 schema (openapi-spec-validator), then lets Schemathesis generate
# requests from it (valid and invalid) and check every answer:
#   not_a_server_error            no 5xx (the embedded store never answers the documented 503)
#   status_code_conformance       every status is one the document lists for the operation
#   content_type_conformance      every Content-Type is the documented one
#   response_schema_conformance   every body matches its documented schema
#   response_headers_conformance  documented headers are present and well-formed
# A fixed seed and a bounded number of examples per operation keep it reproducible and a
# few minutes long on 2 cores. A failure prints the request that reproduces it (a curl
# command, with the test key below, against a function started as printed).
#
#   scripts/fuzz-api.sh                    # FUZZ_EXAMPLES=300 FUZZ_SEED=20261203
#   FUZZ_EXAMPLES=2000 FUZZ_SEED=7 scripts/fuzz-api.sh
#   FUNCTION_BIN=target/release/leaderboard-function scripts/fuzz-api.sh
#   scripts/fuzz-api.sh --mode negative   # further arguments go to `schemathesis run`
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"

examples="${FUZZ_EXAMPLES:-300}"
seed="${FUZZ_SEED:-20261203}"
bin="${FUNCTION_BIN:-target/debug/leaderboard-function}"
# Keys for this run only: printed in reproducing requests on purpose. Schemathesis sends
# each operation the key of its security scheme (scripts/schemathesis.toml).
key="fuzz-api-test-key-not-a-secret-0123456789"
admin_key="fuzz-api-admin-key-not-a-secret-0123456789"
export FUZZ_INGEST_KEY="$key" FUZZ_ADMIN_KEY="$admin_key"

scripts/install-tools.sh python
venv="$root/target/tools/python/bin"
if [ -z "${FUNCTION_BIN:-}" ]; then
  cargo build --quiet -p leaderboard-function
fi

work="$(mktemp -d)"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

LEADERBOARD_INGEST_KEY="$key" LEADERBOARD_ADMIN_KEY="$admin_key" "$bin" --data-dir data/sample --host 127.0.0.1 --port 0 \
  >"$work/stdout" 2>"$work/stderr" &
server_pid=$!

# The first stdout line is `listening on http://ADDR` once the port answers.
base=""
for _ in $(seq 1 600); do
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "the function exited before listening:" >&2
    cat "$work/stderr" >&2
    exit 1
  fi
  line="$(head -n 1 "$work/stdout")"
  if [[ "$line" == "listening on "* ]]; then
    base="${line#listening on }"
    break
  fi
  sleep 0.1
done
if [ -z "$base" ]; then
  echo "the function did not start listening within a minute" >&2
  exit 1
fi

echo "==> validating $base/api/openapi.json (OpenAPI 3.1 schema)"
"$venv/python" - "$base/api/openapi.json" "$work/openapi.json" <<'PY'
import json, sys, urllib.request
with urllib.request.urlopen(sys.argv[1]) as answer:
    document = json.load(answer)
json.dump(document, open(sys.argv[2], "w"))
PY
"$venv/openapi-spec-validator" "$work/openapi.json"

echo "==> schemathesis: seed $seed, at most $examples examples per operation"
# Run in the scratch directory: Schemathesis and Hypothesis keep their example databases in
# the working directory, and a database from an earlier run would change what a seed does.
status=0
(cd "$work" && "$venv/schemathesis" --config-file "$root/scripts/schemathesis.toml" run "$base/api/openapi.json" \
  --url "$base" \
  --seed "$seed" \
  --max-examples "$examples" \
  --phases examples,coverage,fuzzing \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,response_headers_conformance \
  --workers 1 \
  --output-sanitize false \
  --no-color "$@") || status=$?
if [ "$status" -ne 0 ]; then
  echo >&2
  echo "Schemathesis found answers the document does not allow (above, with a curl command" >&2
  echo "for each). Reproduce against a function started with:" >&2
  echo "  LEADERBOARD_INGEST_KEY=$key LEADERBOARD_ADMIN_KEY=$admin_key $bin --data-dir data/sample --port 8080" >&2
  echo "Function stderr:" >&2
  tail -n 20 "$work/stderr" >&2
fi
exit "$status"
