#!/usr/bin/env bash
# Publishes the samples as Native AOT binaries and serves them through lighttpd on http://127.0.0.1:${PORT:-8080}/:
# samples/Todo (a page and a JSON API on SQLite) at /, samples/Hello at /hello/. Installs lighttpd and the Native AOT
# toolchain with apt-get when they are missing. Ctrl-C stops it.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/common.sh

PORT=${PORT:-8080}
ROOT=$PWD/.serve
ensure_packages lighttpd:lighttpd
ensure_aot_toolchain

echo "Publishing samples/Todo and samples/Hello as Native AOT..."
publish_aot samples/Todo/Todo.csproj "$ROOT/todo"
publish_aot samples/Hello/Hello.csproj "$ROOT/hello"
# lighttpd runs as nobody when started as root, and so do the apps: it writes its logs, and Todo its database, in ROOT.
[[ $(id -u) -eq 0 ]] && chown nobody:nogroup "$ROOT" && { [[ ! -e $ROOT/todo.db ]] || chown nobody:nogroup "$ROOT"/todo.db*; }
hosting/lighttpd.sh "$PORT" "$ROOT" "/=$ROOT/todo/todo" "/hello/=$ROOT/hello/hello" "TODO_DB=$ROOT/todo.db" > "$ROOT/lighttpd.conf"

cat <<TEXT

Open the Todo page: http://127.0.0.1:$PORT/

Serving on lighttpd, one process per request:
  Todo   http://127.0.0.1:$PORT/               (the page; the JSON API at /todos; SQLite database: $ROOT/todo.db)
  Hello  http://127.0.0.1:$PORT/hello/
Try:
  curl http://127.0.0.1:$PORT/todos
  curl -H 'Content-Type: application/json' -d '{"title":"try CgiRouting"}' http://127.0.0.1:$PORT/todos
  curl http://127.0.0.1:$PORT/hello/hello/world
The apps' stderr goes to $ROOT/app-stderr.log, lighttpd's own to $ROOT/error.log. Ctrl-C stops the server.
TEXT
exec lighttpd -D -f "$ROOT/lighttpd.conf"
