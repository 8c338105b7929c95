#!/usr/bin/env bash
# Prints an nginx configuration that passes every request to an HTTP server on a unix socket with proxy_pass,
# connections to it kept open between requests (an upstream with keepalive, HTTP/1.1, no "Connection: close"):
# Kestrel behind nginx, as the ASP.NET Core documentation sets it up. The rest is hosting/nginx-fastcgi.sh's, so that
# the comparison is of the two ways to reach an app.
#   bench/kestrel/nginx.sh PORT ROOT SOCKET
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../../hosting/apps.sh"
port=$1 root=$2 socket=$3
nginx_head "$root"
cat <<CONF
    upstream app { server unix:$socket; keepalive 8; }
    server {
        listen 127.0.0.1:$port;
        root $root;
        location / {
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host \$host;
            proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto \$scheme;
            proxy_pass http://app;
        }
    }
}
CONF
