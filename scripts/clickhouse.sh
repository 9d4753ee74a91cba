#!/usr/bin/env bash
# Two ClickHouse shards on loopback for custlab's engine tests and benches.
#
#   scripts/clickhouse.sh start    # two clickhouse-server processes + cluster "custlab" + database "custlab"
#   scripts/clickhouse.sh stop     # stop the processes this script started (by their pid files)
#   scripts/clickhouse.sh status   # "running <url1> <url2>" or "stopped"
#   scripts/clickhouse.sh env      # CUSTLAB_CLICKHOUSE=... line for the tests
#
# Each shard gets its own copy of Debian's /etc/clickhouse-server/{config,users}.xml, rewritten
# to its own data folder, logs and ports, with a remote_servers cluster "custlab" naming both
# shards (so a Distributed table on either shard spreads over both).
# CUSTLAB_CH_DIR (default .clickhouse/ in this checkout, so checkouts on one machine never share
# servers) holds the folders, pid files and the chosen port. CUSTLAB_CH_PORT is shard 1's HTTP port
# (default: the first of 18123, 18133, 18143, … where no server answers); shard 2 uses +1; TCP ports
# are 19000/19001 shifted the same way, interserver 19009/19010.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DIR="${CUSTLAB_CH_DIR:-$ROOT/.clickhouse}"
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
if [ -n "${CUSTLAB_CH_PORT:-}" ]; then HTTP0="$CUSTLAB_CH_PORT"
elif [ -f "$DIR/port" ]; then HTTP0="$(cat "$DIR/port")"
else
  HTTP0=18123
  if [ "${1:-}" = start ]; then
    while port_in_use "$HTTP0" || port_in_use $((HTTP0 + 1)) || port_in_use $((19000 + HTTP0 - 18123)) || port_in_use $((19001 + HTTP0 - 18123)) || port_in_use $((19009 + HTTP0 - 18123)) || port_in_use $((19010 + HTTP0 - 18123)); do
      HTTP0=$((HTTP0 + 10)); [ "$HTTP0" -gt 18623 ] && { echo "no free ports for ClickHouse shards" >&2; exit 1; }
    done
  fi
fi
OFF=$((HTTP0 - 18123))
SERVER="$(command -v clickhouse-server || true)"
SRC=/etc/clickhouse-server

http_port() { echo $((HTTP0 + $1)); }
tcp_port() { echo $((19000 + OFF + $1)); }
inter_port() { echo $((19009 + OFF + $1)); }

ping() { curl -sf --max-time 2 "http://127.0.0.1:$1/?query=SELECT%201" 2>/dev/null | grep -q '^1$'; }

write_config() {
  local i=$1 d="$DIR/shard$1"
  mkdir -p "$d/data" "$d/tmp" "$d/user_files" "$d/format_schemas" "$d/log"
  cp "$SRC/users.xml" "$d/users.xml"
  local remote="<remote_servers><custlab>"
  for j in 0 1; do remote+="<shard><replica><host>127.0.0.1</host><port>$(tcp_port $j)</port></replica></shard>"; done
  remote+="</custlab></remote_servers>"
  perl -0pe "
    s#<log>.*?</log>#<log>$d/log/server.log</log>#s;
    s#<errorlog>.*?</errorlog>#<errorlog>$d/log/server.err.log</errorlog>#s;
    s#<level>trace</level>#<level>warning</level>#s;
    s#<http_port>.*?</http_port>#<http_port>$(http_port $i)</http_port>#s;
    s#<tcp_port>.*?</tcp_port>#<tcp_port>$(tcp_port $i)</tcp_port>#s;
    s#<tcp_port_secure>.*?</tcp_port_secure>##s;
    s#<https_port>.*?</https_port>##s;
    s#<interserver_http_port>.*?</interserver_http_port>#<interserver_http_port>$(inter_port $i)</interserver_http_port>#s;
    s#<path>/var/lib/clickhouse/</path>#<path>$d/data/</path>#s;
    s#<tmp_path>.*?</tmp_path>#<tmp_path>$d/tmp/</tmp_path>#s;
    s#<user_files_path>.*?</user_files_path>#<user_files_path>$d/user_files/</user_files_path>#s;
    s#<format_schema_path>.*?</format_schema_path>#<format_schema_path>$d/format_schemas/</format_schema_path>#s;
    s#<users_config>.*?</users_config>#<users_config>$d/users.xml</users_config>#s;
    s#<remote_servers incl=.*?</remote_servers>#$remote<listen_host>127.0.0.1</listen_host>#s;
  " "$SRC/config.xml" > "$d/config.xml"
}

start() {
  if [ -z "$SERVER" ]; then echo "clickhouse-server not installed (apt-get install clickhouse-server clickhouse-client)" >&2; exit 2; fi
  if [ ! -f "$SRC/config.xml" ]; then echo "no $SRC/config.xml to copy" >&2; exit 2; fi
  mkdir -p "$DIR"
  echo "$HTTP0" > "$DIR/port"
  for i in 0 1; do
    if ping "$(http_port $i)"; then echo "shard $((i + 1)) already answers on port $(http_port $i)"; continue; fi
    write_config $i
    # The server itself runs in the background (not a subshell around it), so the pid file names it.
    (cd "$DIR/shard$i" || exit 1; nohup "$SERVER" --config-file="$DIR/shard$i/config.xml" > "$DIR/shard$i/log/stdout.log" 2>&1 & echo $! > "$DIR/shard$i/pid")
  done
  for i in 0 1; do
    local p; p=$(http_port $i)
    for _ in $(seq 1 120); do ping "$p" && break; sleep 0.25; done
    if ! ping "$p"; then echo "shard $((i + 1)) did not start; see $DIR/shard$i/log" >&2; tail -5 "$DIR/shard$i/log/server.err.log" >&2 2>/dev/null || true; stop; exit 1; fi
    curl -sf "http://127.0.0.1:$p/" --data-binary "CREATE DATABASE IF NOT EXISTS custlab" > /dev/null
  done
  echo "running http://127.0.0.1:$(http_port 0) http://127.0.0.1:$(http_port 1) (cluster custlab, database custlab)"
}

stop() {
  for i in 0 1; do
    local f="$DIR/shard$i/pid"
    [ -f "$f" ] || continue
    local pid; pid=$(cat "$f")
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 80); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
      kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$f"
  done
  rm -f "$DIR/port"
  echo "stopped"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) if { [ -f "$DIR/port" ] || [ -n "${CUSTLAB_CH_PORT:-}" ]; } && ping "$(http_port 0)" && ping "$(http_port 1)"; then echo "running http://127.0.0.1:$(http_port 0) http://127.0.0.1:$(http_port 1)"; else echo "stopped"; exit 1; fi ;;
  env) echo "CUSTLAB_CLICKHOUSE=clickhouse://127.0.0.1:$(http_port 0)/custlab?cluster=custlab&shards=127.0.0.1:$(http_port 0),127.0.0.1:$(http_port 1)" ;;
  *) echo "usage: $0 start|stop|status|env" >&2; exit 2 ;;
esac
