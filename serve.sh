#!/usr/bin/env bash
# Builds the sample app as a Native AOT binary and serves it through lighttpd on http://127.0.0.1:${PORT:-8080}/.
# Installs lighttpd and the Native AOT toolchain with apt-get when they are missing. Ctrl-C stops it.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/common.sh

PORT=${PORT:-8080}
ROOT=$PWD/.serve
ensure_packages lighttpd:lighttpd
ensure_aot_toolchain

echo "Publishing samples/Hello as Native AOT..."
publish_aot samples/Hello/Hello.csproj "$ROOT/hello"
lighttpd_conf "$PORT" "$ROOT" "$ROOT/hello/hello" > "$ROOT/lighttpd.conf"

echo
echo "Serving samples/Hello at http://127.0.0.1:$PORT/  (try: curl http://127.0.0.1:$PORT/hello/world)"
echo "The app's stderr goes to $ROOT/app-stderr.log, lighttpd's own to $ROOT/error.log. Ctrl-C stops the server."
exec lighttpd -D -f "$ROOT/lighttpd.conf"
