#!/usr/bin/env bash
# Prints an nginx configuration that passes every path below each prefix to a CgiRouting app running as a FastCGI
# worker (app --fastcgi ADDRESS), so that PATH_INFO is the rest of the URL path. Connections to the worker are kept
# open between requests (an upstream with keepalive and fastcgi_keep_conn), so no connection is made per request.
#   hosting/nginx-fastcgi.sh PORT ROOT PREFIX=ADDRESS[,ADDRESS...]... [NAME=VALUE...]
# ADDRESS is what the worker listens on and nginx's fastcgi_pass takes alike: 127.0.0.1:9000 or unix:/run/app.sock
# (nginx's workers, as "nobody", must be allowed to write to a unix socket); PREFIX is "/" or "/name/";
# NAME=VALUE (a NAME without "/") is passed to every request as a FastCGI parameter. ROOT is a scratch directory.
# Several addresses for one prefix (/=10.0.0.1:9000,10.0.0.2:9000: the same app as workers on several machines) make
# an upstream of them all: nginx shares requests between them in turn, takes a worker out for fail_timeout after
# max_fails failed attempts, and passes a request on to the next worker when connecting to one fails or times out
# (fastcgi_next_upstream error timeout). A POST that was sent and then failed is not passed on (nginx does not repeat
# a non-idempotent request: the worker may have stored it), so it gets a 502. docs/scaling.md has the measured figures.
# Run: nginx -p ROOT/ -e ROOT/error.log -c FILE
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/apps.sh"
port=$1 root=$2; shift 2
params=""
while IFS= read -r arg; do
    params+="            fastcgi_param ${arg%%=*} \"${arg#*=}\";"$'\n'
done < <(app_environment "$@")
nginx_head "$root"
index=0
while IFS= read -r arg; do
    addresses=${arg#*=}
    if [[ $addresses == *,* ]]; then
        echo "    upstream app$index {"
        for address in ${addresses//,/ }; do
            echo "        server $address max_fails=1 fail_timeout=10s;"
        done
        echo "        keepalive 8;"
        echo "    }"
    else
        echo "    upstream app$index { server $addresses; keepalive 8; }"
    fi
    index=$((index + 1))
done < <(apps_longest_first "$@")
cat <<CONF
    server {
        listen 127.0.0.1:$port;
        root $root;
CONF
# Regular-expression locations are tried in order: longest prefixes first.
index=0
while IFS= read -r arg; do
    prefix=${arg%%=*}
    next_upstream=""
    if [[ ${arg#*=} == *,* ]]; then
        next_upstream="            fastcgi_next_upstream error timeout;"$'\n'
    fi
    cat <<CONF
        location ~ ^${prefix%/}(?<app_path>/.*)?\$ {
$(nginx_cgi_parameters)
            fastcgi_param SCRIPT_NAME       "${prefix%/}";
            fastcgi_param PATH_INFO         \$app_path;
$params$next_upstream            fastcgi_keep_conn on;
            fastcgi_pass app$index;
        }
CONF
    index=$((index + 1))
done < <(apps_longest_first "$@")
echo "    }"
echo "}"
