#!/usr/bin/env bash
# Prints an nginx configuration that runs CgiRouting apps through fcgiwrap, each app owning every path below its
# prefix, so that PATH_INFO is the rest of the URL path.
#   hosting/nginx.sh PORT ROOT SOCKET PREFIX=BINARY... [NAME=VALUE...] [--basic-auth=PATH:HTPASSWD]
# SOCKET is fcgiwrap's socket (spawn-fcgi -s SOCKET -u nobody -g nogroup -U nobody -G nogroup -- /usr/sbin/fcgiwrap);
# PREFIX is "/" or "/name/";
# NAME=VALUE (a NAME without "/") is passed to every app's environment; --basic-auth: see hosting/apps.sh. ROOT is a
# scratch directory.
# Run: nginx -p ROOT/ -e ROOT/error.log -c FILE
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/apps.sh"
port=$1 root=$2 socket=$3; shift 3
params=""
while IFS= read -r arg; do
    params+="            fastcgi_param ${arg%%=*} \"${arg#*=}\";"$'\n'
done < <(app_environment "$@")
read -r auth_path auth_file < <(basic_auth "$@"; echo)
nginx_head "$root"
if [[ -n $auth_path ]]; then cat <<CONF
    # HTTP Basic on $auth_path and below. \$remote_user is whatever name the client's Authorization header carries,
    # checked or not: pass it as REMOTE_USER only where nginx checked the password.
    map \$uri \$cgirouting_realm {
        default off;
        "~^${auth_path%/}(/|\$)" "CgiRouting";
    }
    map \$cgirouting_realm \$cgirouting_user {
        off "";
        default \$remote_user;
    }
CONF
fi
cat <<CONF
    server {
        listen 127.0.0.1:$port;
        # No file is served (ROOT holds the logs and sockets): paths outside the apps are 404.
        location / { return 404; }
CONF
auth=""
[[ -n $auth_path ]] && auth="            auth_basic \$cgirouting_realm;
            auth_basic_user_file $auth_file;
            fastcgi_param REMOTE_USER       \$cgirouting_user if_not_empty;
            fastcgi_param AUTH_TYPE         Basic if_not_empty;
"
# Regular-expression locations are tried in order: longest prefixes first.
while IFS= read -r arg; do
    prefix=${arg%%=*} binary=${arg#*=}
    # \$uri is the decoded, normalised path; the part after the prefix is PATH_INFO ("/" for the prefix itself).
    cat <<CONF
        location ~ ^${prefix%/}(?<app_path>/.*)?\$ {
$(nginx_cgi_parameters)
            fastcgi_param SCRIPT_FILENAME   $binary;
            fastcgi_param SCRIPT_NAME       "${prefix%/}";
            fastcgi_param PATH_INFO         \$app_path;
            # Streamed responses: Debian's fcgiwrap passes the app's output on as it reads it, instead of in 8 KiB
            # blocks (nginx itself does not buffer a response that says X-Accel-Buffering: no, as CgiRouting's do).
            fastcgi_param NO_BUFFERING      1;
$auth$params            fastcgi_pass unix:$socket;
        }
CONF
done < <(apps_longest_first "$@")
echo "    }"
echo "}"
