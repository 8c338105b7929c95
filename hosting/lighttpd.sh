#!/usr/bin/env bash
# Prints a lighttpd configuration that runs CgiRouting apps with mod_cgi, each app owning every path below its
# prefix, so that PATH_INFO is the rest of the URL path.
#   hosting/lighttpd.sh PORT ROOT PREFIX=BINARY... [NAME=VALUE...] [--basic-auth=PATH:HTPASSWD]
# PREFIX is "/" or "/name/"; NAME=VALUE (a NAME without "/") is passed to every app's environment; --basic-auth: see
# hosting/apps.sh.
# ROOT is a scratch directory for logs and the pid file. Run: lighttpd -D -f FILE
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/apps.sh"
port=$1 root=$2; shift 2
aliases=() env=()
# lighttpd refuses an alias that an earlier one hides, hence the order.
prefixes=()
while IFS= read -r arg; do
    aliases+=("\"${arg%%=*}\" => \"${arg#*=}/\"")
    prefix=${arg%%=*}
    prefixes+=("${prefix%/}")
done < <(apps_longest_first "$@")
while IFS= read -r arg; do
    env+=("\"${arg%%=*}\" => \"${arg#*=}\"")
done < <(app_environment "$@")
join() { local IFS=,; echo "$*"; }
read -r auth_path auth_file < <(basic_auth "$@"; echo)
auth_modules=""
[[ -n $auth_path ]] && auth_modules='"mod_auth", "mod_authn_file", '

cat <<CONF
# No file is served: the document root is a folder nothing creates, so paths outside the apps are 404 (ROOT holds the
# logs and the sockets).
server.document-root   = "$root/no-files"
# Started as root, lighttpd runs as nobody, and so do the apps it starts. It opens its logs after that: ROOT is nobody's.
server.username        = "nobody"
server.groupname       = "nogroup"
server.bind            = "127.0.0.1"
server.port            = $port
server.errorlog        = "$root/error.log"
# What the apps write to stderr (handler exceptions) goes to its own log.
server.breakagelog     = "$root/app-stderr.log"
server.pid-file        = "$root/lighttpd.pid"
server.max-connections = 256
# Pass the app's output on as it comes (streamed responses: Response.Stream, IAsyncEnumerable<T> results) instead of
# holding it until the app exits.
server.stream-response-body = 2
# mod_auth, when there, comes first: it must decide before mod_cgi runs the app.
server.modules        += ( ${auth_modules}"mod_alias", "mod_cgi", "mod_setenv" )
# The trailing "/" of each target makes lighttpd find the binary and pass the rest of the path as PATH_INFO
# ("/" for the prefix itself).
alias.url              = ( $(join "${aliases[@]}") )
# Only the apps run, never another file.
\$HTTP["url"] =~ "^($(join "${prefixes[@]}" | tr , '|'))(/|\$)" {
    cgi.assign         = ( "" => "" )
}
CONF
if [[ ${#env[@]} -gt 0 ]]; then echo "setenv.add-environment = ( $(join "${env[@]}") )"; fi
if [[ -n $auth_path ]]; then cat <<CONF
# HTTP Basic on $auth_path: lighttpd checks the password and passes the user as REMOTE_USER (and AUTH_TYPE=Basic).
auth.backend                   = "htpasswd"
auth.backend.htpasswd.userfile = "$auth_file"
auth.require = ( "$auth_path" => ( "method" => "basic", "realm" => "CgiRouting", "require" => "valid-user" ) )
CONF
fi
