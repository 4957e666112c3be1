#!/usr/bin/env bash
# Starts a throwaway PostgreSQL from Debian's packages in a temporary directory (no fsync) and
# prints the URL to reach it over a unix socket; `stop DIR` stops it and removes the directory.
# As root, initdb and pg_ctl run as the `postgres` user (initdb refuses root). With openssl at
# hand it also listens on 127.0.0.1 on a free port with a self-signed certificate, encrypted
# connections only, and writes that URL to DIR/tls-url.
#   url=$(tools/throwaway-postgres.sh start /tmp/genjin-pg)
#   tools/throwaway-postgres.sh stop /tmp/genjin-pg
#   tools/throwaway-postgres.sh halt|resume /tmp/genjin-pg   (stop the server, start it again)
set -euo pipefail
cmd="${1:?start|stop}"
dir="${2:?directory}"
bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
[ -x "$bin/initdb" ] || { echo "PostgreSQL is not installed (apt-get install postgresql)" >&2; exit 1; }
as_pg=()
if [ "$(id -u)" = 0 ]; then as_pg=(runuser -u postgres --); fi
case "$cmd" in
  start)
    mkdir -p "$dir"
    if [ "$(id -u)" = 0 ]; then chown postgres "$dir"; fi
    "${as_pg[@]}" "$bin/initdb" -N -A trust -E UTF8 --locale=C.UTF-8 -U postgres -D "$dir/data" >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
    listen="''"
    # a port no one listens on (two runs at once never share one)
    port=""
    for _ in $(seq 1 50); do
      candidate=$(( 20000 + RANDOM % 30000 ))
      if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then
        port="$candidate"
        break
      fi
    done
    [ -n "$port" ] || { echo "no free port for the throwaway PostgreSQL" >&2; exit 1; }
    if command -v openssl >/dev/null 2>&1; then
      openssl req -new -x509 -days 2 -nodes -subj '/CN=genjin-test' \
        -keyout "$dir/data/server.key" -out "$dir/data/server.crt" >/dev/null 2>&1
      if [ "$(id -u)" = 0 ]; then chown postgres "$dir/data/server.key" "$dir/data/server.crt"; fi
      chmod 600 "$dir/data/server.key"
      echo "ssl = on" >>"$dir/data/postgresql.conf"
      # over TCP: encrypted or nothing, so a test proves the connection is encrypted
      { printf 'hostnossl all all 127.0.0.1/32 reject\nhostssl all all 127.0.0.1/32 trust\n'
        cat "$dir/data/pg_hba.conf"; } >"$dir/pg_hba" && cat "$dir/pg_hba" >"$dir/data/pg_hba.conf"
      listen="'127.0.0.1'"
      echo "postgres://postgres@127.0.0.1:$port" >"$dir/tls-url"
    fi
    # kept for `resume` (a test stops the server and starts it again: issue 22)
    echo "-c listen_addresses=$listen -p $port -k $dir -c fsync=off -c max_connections=200" >"$dir/options"
    "${as_pg[@]}" "$bin/pg_ctl" -D "$dir/data" -w -l "$dir/log" -o "$(cat "$dir/options")" start >/dev/null \
      || { cat "$dir/log" >&2; exit 1; }
    # the socket directory, percent-encoded as a URL host
    host="$(printf '%s' "$dir" | sed 's#/#%2F#g')"
    echo "postgres://postgres@$host:$port"
    ;;
  stop)
    "${as_pg[@]}" "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
  halt)
    # the server goes away (as when it restarts or its cable is pulled); the data stays
    "${as_pg[@]}" "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
    ;;
  resume)
    "${as_pg[@]}" "$bin/pg_ctl" -D "$dir/data" -w -l "$dir/log" -o "$(cat "$dir/options")" start >/dev/null \
      || { cat "$dir/log" >&2; exit 1; }
    ;;
  *) echo "start|stop|halt|resume" >&2; exit 2 ;;
esac
