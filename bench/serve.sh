#!/usr/bin/env bash
# Serving speed: Lectern's reading page and document JSON against nginx serving the very same bytes, under wrk on
# loopback, in one run (the machine is shared: compare the ratios, not the absolute numbers).
#
#   bench/serve.sh                 # 10 s per measurement
#   DURATION=30 bench/serve.sh
#
# Needs: wrk and nginx (Debian: apt-get install wrk nginx-light), a release build (made here). Everything runs on
# 127.0.0.1 and stops by itself.
set -euo pipefail
cd "$(dirname "$0")/.."

duration="${DURATION:-10}"
threads=2
connections=64
for tool in wrk nginx curl python3; do
    command -v "$tool" >/dev/null 2>&1 || { echo "bench: $tool is not installed" >&2; exit 1; }
done

cargo build --release --quiet
bin=target/release/lectern
tmp=$(mktemp -d)
chmod 755 "$tmp"  # nginx's workers read the pages as another user
lectern_pid=""
cleanup() {
    [ -n "$lectern_pid" ] && kill "$lectern_pid" 2>/dev/null || true
    [ -f "$tmp/nginx.pid" ] && kill "$(cat "$tmp/nginx.pid")" 2>/dev/null || true
    rm -rf "$tmp"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# Lectern with the demo article and a 1 MB document built from it.
"$bin" --data "$tmp/library" --port 0 > "$tmp/lectern.out" 2> "$tmp/lectern.err" &
lectern_pid=$!
for _ in $(seq 1 100); do grep -q 'ready:' "$tmp/lectern.out" 2>/dev/null && break; sleep 0.1; done
base=$(head -1 "$tmp/lectern.out" | awk '{print $NF}')
python3 - "$tmp/big.txt" <<'PY'
import sys
text = open("demo/kim-putin-article.txt", encoding="utf-8").read()
parts, i = [], 0
while sum(len(p) for p in parts) < 1_000_000:
    parts.append(text.replace("Kim", f"Kim{i}"))
    i += 1
open(sys.argv[1], "w", encoding="utf-8").write("\n".join(parts))
PY
curl -sf -o /dev/null -H 'Content-Type: text/plain' --data-binary @"$tmp/big.txt" "${base}api/documents?name=big.txt"

# nginx serving what Lectern serves, saved as files.
mkdir -p "$tmp/html"
curl -sf -o "$tmp/html/demo.html" "${base}d/kim-putin-article"
curl -sf -o "$tmp/html/big.html" "${base}d/big"
curl -sf -o "$tmp/html/demo.json" "${base}api/documents/kim-putin-article"
chmod -R a+rX "$tmp/html"
nginx_port=$(free_port)
cat > "$tmp/nginx.conf" <<CONF
worker_processes 2;
pid $tmp/nginx.pid;
error_log $tmp/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  types { text/html html; application/json json; }
  server { listen 127.0.0.1:$nginx_port; root $tmp/html; }
}
CONF
nginx -c "$tmp/nginx.conf"
sleep 0.3

measure() { # url [header] -> "req/s p99_ms errors"
    local out
    if [ -n "${2:-}" ]; then
        out=$(wrk -t"$threads" -c"$connections" -d"${duration}s" --latency -H "$2" "$1")
    else
        out=$(wrk -t"$threads" -c"$connections" -d"${duration}s" --latency "$1")
    fi
    local rps p99 errors
    rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
    p99=$(echo "$out" | awk '$1 == "99%" {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v=v*1000}; print v}')
    errors=$(echo "$out" | awk '/Non-2xx|Socket errors/ {print}' | tr '\n' ' ')
    echo "$rps $p99 ${errors:-none}"
}

echo "wrk -t$threads -c$connections -d${duration}s on 127.0.0.1; $(nproc) cores; $(date -u +%Y-%m-%dT%H:%MZ)"
printf '%-34s %12s %12s %7s %10s %10s  %s\n' "page" "nginx req/s" "Lectern" "ratio" "nginx p99" "Lectern p99" "Lectern errors"
for row in "demo page|d/kim-putin-article|demo.html|" "demo page, brotli|d/kim-putin-article|demo.html|Accept-Encoding: br" \
           "demo JSON|api/documents/kim-putin-article|demo.json|" "1 MB document's page|d/big|big.html|" \
           "1 MB document's page, brotli|d/big|big.html|Accept-Encoding: br"; do
    IFS='|' read -r label path file header <<< "$row"
    read -r n_rps n_p99 n_err <<< "$(measure "http://127.0.0.1:$nginx_port/$file" "$header")"
    case "$n_err" in *Non-2xx*) echo "bench: nginx answered errors for $file: $n_err" >&2; exit 1 ;; esac
    read -r l_rps l_p99 l_err <<< "$(measure "${base}${path}" "$header")"
    ratio=$(python3 -c "print(f'{$l_rps/$n_rps:.2f}')")
    printf '%-34s %12s %12s %7s %9sms %9sms  %s\n' "$label" "$n_rps" "$l_rps" "$ratio" "$n_p99" "$l_p99" "$l_err"
done
echo "targets: ratio >= 0.50, Lectern p99 < 10 ms (nginx serves the brotli rows uncompressed: it has no brotli)"
