#!/usr/bin/env bash
# A bounded load test of a real Lectern on loopback: 256 connections for DURATION seconds (default 30), a mix of
# reading pages (several layer views), the library page, document JSON, a search and an export, with 32 clients
# holding event streams open and 32 slow clients trickling headers. Run twice; it must answer every request (no
# socket errors, no status but 200) both times, the slow clients must be dropped by the server's header timeout
# while the others are served, and the server's memory must not keep growing on the second run.
#
#   bench/load.sh
#   DURATION=60 bench/load.sh
#
# Needs: wrk, curl, python3; a release build (made here). Stops by itself; everything stays on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."

duration="${DURATION:-30}"
for tool in wrk curl python3; do
    command -v "$tool" >/dev/null 2>&1 || { echo "load: $tool is not installed" >&2; exit 1; }
done
cargo build --release --quiet
tmp=$(mktemp -d)
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    rm -rf "$tmp"
}
trap cleanup EXIT

target/release/lectern --data "$tmp/library" --port 0 > "$tmp/out" 2> "$tmp/err" &
server=$!
pids+=("$server")
for _ in $(seq 1 100); do grep -q 'ready:' "$tmp/out" 2>/dev/null && break; sleep 0.1; done
base=$(head -1 "$tmp/out" | awk '{print $NF}')
for i in 1 2 3; do
    printf 'Story %s\nThe council would likely approve plan %s, officials said. The mayor may object.\n' "$i" "$i" |
        curl -sf -o /dev/null -H 'Content-Type: text/plain' --data-binary @- "${base}api/documents"
done

cat > "$tmp/mix.lua" <<'LUA'
local paths = {
  "/d/kim-putin-article", "/d/kim-putin-article?hide=hedge", "/d/kim-putin-article?hide=content,cue",
  "/", "/api/documents", "/api/documents/kim-putin-article", "/api/documents?q=council",
  "/d/story-1", "/d/story-2", "/api/documents/story-3?format=csv", "/healthz",
}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1], { ["Accept-Encoding"] = (i % 2 == 0) and "br" or "gzip" })
end
LUA

rss() { awk '/VmRSS/ {print $2}' "/proc/$server/status"; }

# 32 connections that send half a request, a header line at a time, and never finish it.
cat > "$tmp/slow.py" <<'PY'
import socket, sys, time, urllib.parse
u = urllib.parse.urlparse(sys.argv[1])
socks = []
for _ in range(32):
    s = socket.create_connection((u.hostname, u.port))
    s.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
    socks.append(s)
start = time.time(); closed = 0
for s in socks:
    s.settimeout(30)
    try:
        while True:
            s.sendall(b"X-Slow: 1\r\n")  # never the blank line that ends the headers
            if s.recv(1024) == b"":
                break
    except (OSError, socket.timeout):
        pass
    closed += 1
open(sys.argv[2], "w").write(f"{closed} {time.time() - start:.1f}\n")
PY

run() {
    local label=$1
    local streams=()
    for _ in $(seq 1 32); do
        curl -sN -o /dev/null --max-time "$((duration + 5))" "${base}api/events" &
        streams+=($!)
    done
    python3 "$tmp/slow.py" "$base" "$tmp/slow-result" &
    local slow=$!
    local before after
    before=$(rss)
    wrk -t2 -c256 -d"${duration}s" --latency -s "$tmp/mix.lua" "$base" > "$tmp/wrk-$label"
    after=$(rss)
    wait "$slow" || true
    for p in "${streams[@]}"; do kill "$p" 2>/dev/null || true; done
    local rps p99 errors non2xx
    rps=$(awk '/Requests\/sec/ {print $2}' "$tmp/wrk-$label")
    p99=$(awk '$1 == "99%" {print $2}' "$tmp/wrk-$label")
    errors=$(awk '/Socket errors/ {print}' "$tmp/wrk-$label")
    non2xx=$(awk '/Non-2xx/ {print $NF}' "$tmp/wrk-$label")
    read -r closed seconds < "$tmp/slow-result"
    echo "$label: ${rps} req/s, p99 ${p99}, ${errors:-no socket errors}, non-2xx: ${non2xx:-0}; RSS ${before} -> ${after} KiB; slow clients dropped: ${closed}/32 within ${seconds} s"
    [ -z "$errors" ] && [ -z "$non2xx" ] || { echo "load: FAILED: errors under load" >&2; exit 1; }
    [ "$closed" = "32" ] || { echo "load: FAILED: slow clients were not all dropped" >&2; exit 1; }
    echo "$after" > "$tmp/rss-$label"
}

echo "load: 256 connections for ${duration}s, 32 event streams, 32 slow clients, on 127.0.0.1 ($(nproc) cores)"
run first
run second
first=$(cat "$tmp/rss-first"); second=$(cat "$tmp/rss-second")
growth=$(python3 -c "print(f'{($second - $first) / $first * 100:.1f}')")
echo "memory after the first run ${first} KiB, after the second ${second} KiB (${growth}%)"
python3 -c "import sys; sys.exit(0 if $second <= $first * 1.10 + 4096 else 1)" ||
    { echo "load: FAILED: memory kept growing on the second run" >&2; exit 1; }
echo "load: passed"
