#!/usr/bin/env bash
# Prints an nginx configuration that passes every path below each prefix to a CgiRouting app running as a FastCGI
# worker (app --fastcgi ADDRESS), so that PATH_INFO is the rest of the URL path. Connections to the worker are kept
# open between requests (an upstream with keepalive and fastcgi_keep_conn), so no connection is made per request.
#   hosting/nginx-fastcgi.sh PORT ROOT PREFIX=ADDRESS[,ADDRESS...]... [NAME=VALUE...] [--max-requests=N]
#       [--ping-path=PATH] [--status-path=PATH]
# ADDRESS is what the worker listens on and nginx's fastcgi_pass takes alike: 127.0.0.1:9000 or unix:/run/app.sock
# (nginx's workers, as "nobody", must be allowed to write to a unix socket); PREFIX is "/" or "/name/";
# NAME=VALUE (a NAME without "/") is passed to every request as a FastCGI parameter. ROOT is a scratch directory.
# Several addresses for one prefix (/=10.0.0.1:9000,10.0.0.2:9000: the same app as workers on several machines) make
# an upstream of them all: nginx shares requests between them in turn, takes a worker out for fail_timeout after
# max_fails failed attempts, and passes a request on to the next worker when connecting to one fails or times out
# (fastcgi_next_upstream error timeout). A POST that was sent and then failed is not passed on (nginx does not repeat
# a non-idempotent request: the worker may have stored it), so it gets a 502. docs/scaling.md has the measured figures.
# --ping-path=PATH and --status-path=PATH (the workers' own options) are passed to the worker from 127.0.0.1 and ::1
# only; any other client gets 403.
# Run: nginx -p ROOT/ -e ROOT/error.log -c FILE
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/apps.sh"
port=$1 root=$2; shift 2
params=""
while IFS= read -r arg; do
    params+="            fastcgi_param ${arg%%=*} \"${arg#*=}\";"$'\n'
done < <(app_environment "$@")
nginx_head "$root"
# Connections to a worker are kept open between requests (keepalive and fastcgi_keep_conn), and nginx closes them,
# never the worker: idle after keepalive_timeout, or after keepalive_requests requests. A worker that stops (SIGTERM,
# --max-requests) serves what nginx still sends on them until it does; had the worker closed one, a request nginx sent
# on it at that moment would be lost (nginx never sends a POST again). With --max-requests=N (the workers' own
# --max-requests) no connection is kept: each request has its own, so a worker serves exactly N.
keep=1
for arg in "$@"; do [[ $arg == --max-requests=* ]] && keep=0; done
index=0
while IFS= read -r arg; do
    addresses=${arg#*=}
    echo "    upstream app$index {"
    for address in ${addresses//,/ }; do
        if [[ $addresses == *,* ]]; then
            echo "        server $address max_fails=1 fail_timeout=10s;"
        else
            echo "        server $address;"
        fi
    done
    if [[ $keep == 1 ]]; then
        echo "        keepalive 8;"
        echo "        keepalive_timeout 2s;"
        echo "        keepalive_requests 100;"
    fi
    echo "    }"
    index=$((index + 1))
done < <(apps_longest_first "$@")
cat <<CONF
    server {
        listen 127.0.0.1:$port;
        # No file is served (ROOT holds the logs and sockets): paths outside the apps are 404.
        location / { return 404; }
CONF
# Regular-expression locations are tried in order: longest prefixes first.
keep_conn=""
[[ $keep == 1 ]] && keep_conn="            fastcgi_keep_conn on;"$'\n'
index=0
while IFS= read -r arg; do
    prefix=${arg%%=*}
    local=""
    while read -r option path; do
        [[ -n $path && $path == ${prefix%/}/* ]] || continue
        local+="            # $option: the worker answers it, to this machine only (403 for any other client). A regular"$'\n'
        local+="            # expression: nginx takes no exact location inside one."$'\n'
        local+="            location ~ ^$(regex_escaped "$path")\$ {"$'\n'
        local+="                allow 127.0.0.1;"$'\n'"                allow ::1;"$'\n'"                deny all;"$'\n'
        local+="                fastcgi_pass app$index;"$'\n'"            }"$'\n'
    done < <(local_paths "$@")
    next_upstream=""
    if [[ ${arg#*=} == *,* ]]; then
        next_upstream="            fastcgi_next_upstream error timeout;"$'\n'
    fi
    cat <<CONF
        location ~ ^${prefix%/}(?<app_path>/.*)?\$ {
$(nginx_cgi_parameters)
            fastcgi_param SCRIPT_NAME       "${prefix%/}";
            fastcgi_param PATH_INFO         \$app_path;
$params$local$next_upstream$keep_conn            fastcgi_pass app$index;
        }
CONF
    index=$((index + 1))
done < <(apps_longest_first "$@")
echo "    }"
echo "}"
