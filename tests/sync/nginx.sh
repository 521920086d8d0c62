#!/usr/bin/env bash
# nginx.sh - a throw-away nginx on 127.0.0.1 for the sync tests: the central office's
# side of docs/architecture.md (static files, WebDAV PUT for the inbox and heartbeats).
#
#   nginx.sh start DIR [PORT]   write DIR/nginx.conf, start nginx, print the port
#   nginx.sh stop DIR           stop it (fast: open transfers are cut)
#
# DIR/www is the document root. Locations:
#   /                    static files (bundles, manifest, status feed)
#   /inbox/ /status/     WebDAV PUT (dav_methods PUT; create_full_put_path on)
#   /busy/...            /busy/bundles/ answers 503 with Retry-After: 2 (seconds)
#   /throttle/...        /throttle/bundles/ answers 429 with Retry-After: an HTTP-date
#                        $THROTTLE_SECONDS (default 3) after the config was written
#   /slow/...            everything at 256 KB/s (limit_rate)
#   /drip/...            bundles drip at 100 bytes/s after the first 1 KB (limit_rate)
#   /redirect-ftp/...    /redirect-ftp/bundles/ redirects (302) to ftp://127.0.0.1/...
#   /redirect-file/...   /redirect-file/bundles/ redirects (302) to file:///etc/passwd
# Under each prefix, inbox/ and status/ take PUTs as at the root, so a whole cycle
# runs against any of them.
#
# DIR/access.log has one line per request: $msec "$request" $status $bytes_sent
# "$http_range" "$http_if_range" "$http_if_none_match" - the tests read their
# timing and conditional requests from it. Needs nginx built with the dav module
# (Debian's `nginx` package has it: nginx -V lists --with-http_dav_module).
set -euo pipefail

cmd=${1:?usage: nginx.sh start|stop DIR [PORT]}
dir=$(cd "${2:?usage: nginx.sh start|stop DIR [PORT]}" && pwd)
nginx=$(command -v nginx || echo /usr/sbin/nginx)

stop() {
  [ -f "$dir/nginx.pid" ] || return 0
  local pid
  pid=$(cat "$dir/nginx.pid" 2>/dev/null || true)
  [ -n "$pid" ] || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
  done
  rm -f "$dir/nginx.pid"
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

write_conf() {
  local port=$1 www=$dir/www user=""
  local date
  date=$(date -u -d "@$(( $(date +%s) + ${THROTTLE_SECONDS:-3} ))" '+%a, %d %b %Y %H:%M:%S GMT')
  [ "$(id -u)" -eq 0 ] && user="user root root;"
  mkdir -p "$www/inbox" "$www/status" "$dir/tmp"
  local put="dav_methods PUT; create_full_put_path on; dav_access user:rw group:r all:r; client_max_body_size 2m;"
  cat > "$dir/nginx.conf" <<EOF
# written by tests/sync/nginx.sh
$user
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 128; }
http {
  log_format timed '\$msec "\$request" \$status \$bytes_sent "\$http_range" "\$http_if_range" "\$http_if_none_match"';
  access_log $dir/access.log timed;
  client_body_temp_path $dir/tmp/body;
  proxy_temp_path $dir/tmp/proxy;
  fastcgi_temp_path $dir/tmp/fastcgi;
  uwsgi_temp_path $dir/tmp/uwsgi;
  scgi_temp_path $dir/tmp/scgi;
  types { application/json json; application/octet-stream kbundle sealed; }
  default_type application/octet-stream;
  sendfile off;
  keepalive_timeout 10;
  server {
    listen 127.0.0.1:$port;
    root $www;
    location / { }
    location /inbox/ { $put }
    location /status/ { $put }

    location /busy/ { alias $www/; }
    location /busy/bundles/ { add_header Retry-After 2 always; return 503; }
    location /busy/inbox/ { alias $www/inbox/; $put }
    location /busy/status/ { alias $www/status/; $put }

    location /throttle/ { alias $www/; }
    location /throttle/bundles/ { add_header Retry-After "$date" always; return 429; }
    location /throttle/inbox/ { alias $www/inbox/; $put }
    location /throttle/status/ { alias $www/status/; $put }

    location /slow/ { alias $www/; limit_rate 256k; }
    location /slow/inbox/ { alias $www/inbox/; $put }
    location /slow/status/ { alias $www/status/; $put }

    location /drip/ { alias $www/; }
    location /drip/bundles/ { alias $www/bundles/; limit_rate_after 1k; limit_rate 100; }
    location /drip/inbox/ { alias $www/inbox/; $put }
    location /drip/status/ { alias $www/status/; $put }

    location /redirect-ftp/ { alias $www/; }
    location /redirect-ftp/bundles/ { return 302 "ftp://127.0.0.1:$port/bundles/"; }
    location /redirect-ftp/inbox/ { alias $www/inbox/; $put }
    location /redirect-ftp/status/ { alias $www/status/; $put }

    location /redirect-file/ { alias $www/; }
    location /redirect-file/bundles/ { return 302 "file:///etc/passwd"; }
    location /redirect-file/inbox/ { alias $www/inbox/; $put }
    location /redirect-file/status/ { alias $www/status/; $put }
  }
}
EOF
}

case $cmd in
start)
  "$nginx" -V 2>&1 | grep -q -- --with-http_dav_module || {
    echo "nginx.sh: $nginx lacks the dav module (install Debian's nginx package)" >&2
    exit 1
  }
  stop
  for _ in 1 2 3 4 5; do
    port=${3:-$(free_port)}
    write_conf "$port"
    if "$nginx" -p "$dir" -c "$dir/nginx.conf" 2>>"$dir/error.log"; then
      for _ in $(seq 1 100); do
        [ -s "$dir/nginx.pid" ] && break
        sleep 0.02
      done
      echo "$port" > "$dir/port"
      echo "$port"
      exit 0
    fi
    [ -n "${3:-}" ] && break
  done
  echo "nginx.sh: nginx would not start; see $dir/error.log" >&2
  tail -5 "$dir/error.log" >&2
  exit 1
  ;;
stop)
  stop
  ;;
*)
  echo "usage: nginx.sh start|stop DIR [PORT]" >&2
  exit 2
  ;;
esac
