#!/usr/bin/env bash
# Runs the test suite against real nats-server processes and prints
# "tests: N passed, N failed, N skipped" as the last line (exit code = deno test's).
# Usage: deno task test [extra deno test args, e.g. --filter name or a file]
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
deno="${DENO_BIN:-$(command -v deno || echo "$root/tools/node_modules/.bin/deno")}"
NATS_SERVER_BIN="$("$root/scripts/ensure_nats_server.sh")" || exit 1
export NATS_SERVER_BIN
NATS_SERVER_BIN_OLD="$("$root/scripts/ensure_nats_server.sh" bookworm 2>/dev/null)" || NATS_SERVER_BIN_OLD=""
export NATS_SERVER_BIN_OLD
echo "nats-server: $("$NATS_SERVER_BIN" --version)${NATS_SERVER_BIN_OLD:+, old: $("$NATS_SERVER_BIN_OLD" --version)}"
args=("$@")
if [ ${#args[@]} -eq 0 ] || [[ "${args[-1]}" == -* ]]; then args+=("tests/"); fi
log="$(mktemp)"
# A test that hangs must not hang CI: the whole run gets NATSW_TEST_TIMEOUT seconds (default 900).
limit="${NATSW_TEST_TIMEOUT:-900}"
NO_COLOR=1 timeout -k 10 "$limit" "$deno" test -A --sanitize-ops --sanitize-resources "${args[@]}" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
summary="$(grep -E '^(ok|FAILED) \| [0-9]+ passed' "$log" | tail -n 1)"
if [ -z "$summary" ]; then
  # no summary (killed by the timeout, or crashed): count what finished, and the unfinished one as failed
  done_ok="$(grep -cE ' \.\.\. ok \(' "$log")"
  done_failed="$(grep -cE ' \.\.\. FAILED' "$log")"
  rm -f "$log"
  if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then echo "deno test did not finish within ${limit}s"; fi
  echo "deno test printed no summary line (exit $rc)"
  echo "tests: ${done_ok} passed, $((done_failed + 1)) failed"
  exit "$(( rc == 0 ? 1 : rc ))"
fi
rm -f "$log"
num() { sed -nE "s/.*\| ([0-9]+) $1.*/\1/p" <<<"$summary"; }
passed="$(num passed)"; failed="$(num failed)"; ignored="$(num ignored)"
echo "tests: ${passed:-0} passed, ${failed:-0} failed, ${ignored:-0} skipped"
exit "$rc"
