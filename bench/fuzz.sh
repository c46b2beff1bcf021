#!/usr/bin/env bash
# The fuzz job: a hundred thousand generated cases (default; CASES=…) of each property in tests/it/fuzz.rs (the
# annotator on hostile text, every export, the decoders on random and broken bytes), on an optimised build. Stops at
# the first failure, which proptest shrinks to a small input and prints.
#
#   bench/fuzz.sh
#   CASES=1000000 bench/fuzz.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cases="${CASES:-100000}"
start=$(date +%s)
LECTERN_FUZZ_CASES="$cases" cargo test --release --test it fuzz -- --test-threads 2
echo "fuzz: $cases cases of each property passed in $(( $(date +%s) - start )) s"
