# The nginx configuration in deploy/ in front of `atalaya serve`, probed
# through TLS as front_door_test.sh probes the server directly: a private
# nginx (its own prefix, pid, logs and temporary files under a scratch
# directory, loopback ports above 1024, a self-signed certificate made
# here), stopped at the end. deploy/nginx/atalaya.conf is used as it is,
# with only its ports, paths and certificate changed.
source "$(dirname "$0")/lib.sh"

NGINX=${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}
if [ ! -x "$NGINX" ]; then
  echo "FAIL: nginx not found (Debian's nginx package; make deps installs it)" >&2
  exit 1
fi

ingest_mapped pa-snm-darien corridor/pa-darien-transit-by-nationality.csv
mkdir -p "$WORK/web/assets"
printf '<!doctype html><meta charset=utf-8><title>Atalaya</title><script type=module src=/assets/app.js></script>\n' \
  >"$WORK/web/index.html"
for i in $(seq 1 3000); do echo "// line $i of a stand-in for the dashboard's script"; done >"$WORK/web/assets/app.js"

# nginx's workers may run as another user: its prefix must be reachable.
NGX=$(mktemp -d)
chmod 755 "$NGX"
mkdir -p "$NGX/logs" "$NGX/tmp"
chmod 777 "$NGX/tmp"
SERVER_PID=
stop_all() {
  if [ -f "$NGX/nginx.pid" ]; then "$NGINX" -p "$NGX" -c "$NGX/nginx.conf" -s stop 2>/dev/null || true; fi
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null
  wait 2>/dev/null
  rm -rf "$NGX"
  cleanup
}
trap stop_all EXIT

"$ATALAYA" serve --bind 127.0.0.1 --port 0 --web "$WORK/web" --routes "$ROOT/routes" \
  --access-log "$WORK/access.log" --expensive-threads 2 --expensive-queue 8 >"$WORK/serve.log" 2>&1 &
SERVER_PID=$!
UPSTREAM=$(server_url "$WORK/serve.log")
UPSTREAM=${UPSTREAM#http://}

# Two free loopback ports for nginx (HTTPS, and HTTP that redirects).
read -r HTTPS_PORT HTTP_PORT < <(python3 -c '
import socket
s = [socket.socket() for _ in range(2)]
for x in s: x.bind(("127.0.0.1", 0))
print(*[x.getsockname()[1] for x in s])')

openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 \
  -keyout "$NGX/key.pem" -out "$NGX/cert.pem" 2>/dev/null

sed -e "s|listen 443 ssl|listen 127.0.0.1:$HTTPS_PORT ssl|" \
    -e "s|listen 80;|listen 127.0.0.1:$HTTP_PORT;|" \
    -e "s|/etc/ssl/certs/atalaya.example.org.pem|$NGX/cert.pem|" \
    -e "s|/etc/ssl/private/atalaya.example.org.key|$NGX/key.pem|" \
    -e "s|server 127.0.0.1:8080;|server $UPSTREAM;|" \
    "$ROOT/deploy/nginx/atalaya.conf" >"$NGX/atalaya.conf"
cat >"$NGX/nginx.conf" <<CONF
worker_processes 1;
pid $NGX/nginx.pid;
error_log $NGX/logs/error.log warn;
events { worker_connections 1024; }
http {
  access_log $NGX/logs/access.log;
  client_body_temp_path $NGX/tmp/body;
  proxy_temp_path $NGX/tmp/proxy;
  fastcgi_temp_path $NGX/tmp/fastcgi;
  uwsgi_temp_path $NGX/tmp/uwsgi;
  scgi_temp_path $NGX/tmp/scgi;
  include $NGX/atalaya.conf;
}
CONF
if ! "$NGINX" -p "$NGX" -c "$NGX/nginx.conf" -t >"$NGX/check.log" 2>&1; then
  echo "FAIL: nginx refuses the configuration:" >&2
  cat "$NGX/check.log" "$NGX/atalaya.conf" >&2
  exit 1
fi
"$NGINX" -p "$NGX" -c "$NGX/nginx.conf"
URL=https://127.0.0.1:$HTTPS_PORT
for _ in $(seq 1 50); do
  curl -fsSk "$URL/api/v1/health" >/dev/null 2>&1 && break
  sleep 0.1
done

expect_eq "plain HTTP is sent to HTTPS" "301 https://127.0.0.1/api/v1/health" \
  "$(curl -sS -o /dev/null -w '%{http_code} %{redirect_url}' "http://127.0.0.1:$HTTP_PORT/api/v1/health")"
headers=$(curl --http1.1 -sSk -D - -o /dev/null "$URL/")
expect_contains "the dashboard's HTML has a content security policy" "Content-Security-Policy: default-src 'self'" "$headers"
expect_contains "HSTS" "Strict-Transport-Security: max-age=31536000" "$headers"
expect_contains "nosniff through nginx" "X-Content-Type-Options: nosniff" "$headers"

if ! python3 "$ROOT/tests/front_probe.py" --url "$URL" --static /assets/app.js --access-log "$WORK/access.log" \
  --busy-status 429; then
  failures=$((failures + 1))
  tail -20 "$NGX/logs/error.log" >&2
fi
checks=$((checks + 1))
finish
