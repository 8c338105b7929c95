#!/usr/bin/env bash
# Prints an nginx configuration that answers every request by itself (return 200) with the body and content type of a
# CGI response file: the ceiling of bench/run.sh's throughput table, nginx with no upstream. The rest is
# hosting/nginx-fastcgi.sh's (one worker process, the same logs), so that only the upstream differs.
#   bench/nginx-alone.sh PORT ROOT RESPONSE-FILE
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../hosting/apps.sh"
port=$1 root=$2 response=$3
type=$(tr -d '\r' < "$response" | sed -n 's/^Content-Type: //Ip' | head -1)
body=$(tr -d '\r' < "$response" | sed '1,/^$/d')
body=${body//\\/\\\\}; body=${body//\'/\\\'}
nginx_head "$root"
cat <<CONF
    server {
        listen 127.0.0.1:$port;
        root $root;
        location / {
            default_type "$type";
            return 200 '$body';
        }
    }
}
CONF
