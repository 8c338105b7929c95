#!/usr/bin/env bash
# Prints a lighttpd configuration that runs CgiRouting apps as FastCGI workers that lighttpd starts itself
# (mod_fastcgi with bin-path): lighttpd binds a unix socket, hands it to the binary as standard input (which makes it
# a FastCGI worker without --fastcgi), restarts it when it exits, and passes every path below each prefix to it, so
# that PATH_INFO is the rest of the URL path.
#   hosting/lighttpd-fastcgi.sh PORT ROOT PREFIX=BINARY... [NAME=VALUE...] [--ping-path=PATH] [--status-path=PATH]
# PREFIX is "/" or "/name/"; NAME=VALUE (a NAME without "/") is put in every worker's environment (bin-environment),
# where the worker reads its configuration (TODO_DB, say), once, when it starts. ROOT is a scratch directory for
# logs, the pid file and the workers' sockets. Run: lighttpd -D -f FILE
# The workers run as the user lighttpd runs as (root when started as root without server.username).
# --ping-path=PATH and --status-path=PATH are given to every worker (lighttpd splits bin-path at spaces), and lighttpd
# answers them 403 for any client but 127.0.0.1 and ::1.
# For one app without NAME=VALUE, BINARY --config lighttpd --fastcgi unix:ROOT/app0.sock --prefix PREFIX --port PORT
# --root ROOT prints the same (an end-to-end test holds them equal).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/apps.sh"
port=$1 root=$2; shift 2
environment=()
while IFS= read -r arg; do
    environment+=("\"${arg%%=*}\" => \"${arg#*=}\"")
done < <(app_environment "$@")
join() { local IFS=,; echo "$*"; }
options="" access=""
while read -r option path; do
    options+=" $option $path"
    access="server.modules        += ( \"mod_access\" )"$'\n'
done < <(local_paths "$@")

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
# What the workers write to stderr (handler exceptions) goes to its own log.
server.breakagelog     = "$root/app-stderr.log"
server.pid-file        = "$root/lighttpd.pid"
server.max-connections = 256
# Pass the app's output on as it comes (streamed responses) instead of holding it until the response is complete.
server.stream-response-body = 2
${access}server.modules        += ( "mod_fastcgi" )
CONF
index=0
# Each app in a condition on its own prefix, longest first (lighttpd takes the last matching condition, and a bare
# fastcgi.server prefix "/hello" would also take "/hellothere").
while IFS= read -r arg; do
    prefix=${arg%%=*} binary=${arg#*=}
    if [[ $prefix == / ]]; then
        condition='$HTTP["url"] =~ "^/"'
        # Without fix-root-scriptname lighttpd makes the whole path SCRIPT_NAME and leaves PATH_INFO unset for "/".
        key='"/"' fix='        "fix-root-scriptname" => "enable",'
    else
        condition="\$HTTP[\"url\"] =~ \"^${prefix%/}(/|\$)\""
        # The prefix without its trailing slash: lighttpd makes it SCRIPT_NAME and the rest of the path PATH_INFO
        # ("/hello/" would make SCRIPT_NAME "/hello/todos" for "/hello/todos/1").
        key="\"${prefix%/}\"" fix=""
    fi
    cat <<CONF
$condition {
    fastcgi.server = ( $key => ( (
        "bin-path"     => "$binary$options",
        "socket"       => "$root/app$index.sock",
        # One worker process: it answers many requests at once itself.
        "max-procs"    => 1,
        # Every path goes to the app: never look for a file of that name first.
        "check-local"  => "disable",
CONF
    if [[ -n $fix ]]; then echo "$fix"; fi
    if [[ ${#environment[@]} -gt 0 ]]; then echo "        \"bin-environment\" => ( $(join "${environment[@]}") ),"; fi
    echo "    ) ) )"
    echo "}"
    index=$((index + 1))
done < <(apps_longest_first "$@" | tac)
while read -r option path; do
    cat <<CONF
# $option: the worker answers it, to this machine only (403 for any other client).
\$HTTP["url"] == "$path" {
    \$HTTP["remote-ip"] != "127.0.0.1" {
        \$HTTP["remote-ip"] != "::1" {
            url.access-deny = ( "" )
        }
    }
}
CONF
done < <(local_paths "$@")
