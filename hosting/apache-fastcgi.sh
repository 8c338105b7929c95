#!/usr/bin/env bash
# Prints an Apache httpd (Debian apache2-bin) configuration that passes every path below each prefix to a CgiRouting
# app running as a FastCGI worker (app --fastcgi 127.0.0.1:PORT) with mod_proxy_fcgi, so that PATH_INFO is the rest
# of the URL path.
#   hosting/apache-fastcgi.sh PORT ROOT PREFIX=HOST:PORT... [--max-requests=N] [--ping-path=PATH] [--status-path=PATH]
# PREFIX is "/" or "/name/"; HOST:PORT is where the worker listens. The worker reads its configuration (TODO_DB, say)
# from its own environment: start it with that. ROOT is a scratch directory for logs and the pid file.
# --ping-path=PATH and --status-path=PATH (the worker's own options) are answered to this machine only (Require local);
# any other client gets 403.
# Run: apache2 -f FILE -DFOREGROUND
# For one app, BINARY --config apache --fastcgi HOST:PORT --prefix PREFIX --port PORT --root ROOT prints the same (an
# end-to-end test holds them equal).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/apps.sh"
port=$1 root=$2; shift 2
modules=/usr/lib/apache2/modules
cat <<CONF
ServerRoot        "$root"
ServerName        127.0.0.1
Listen            127.0.0.1:$port
PidFile           $root/httpd.pid
DefaultRuntimeDir $root
ErrorLog          $root/error.log
LogLevel          warn
LoadModule mpm_event_module  $modules/mod_mpm_event.so
LoadModule authz_core_module $modules/mod_authz_core.so
LoadModule mime_module       $modules/mod_mime.so
LoadModule alias_module      $modules/mod_alias.so
LoadModule proxy_module      $modules/mod_proxy.so
LoadModule proxy_fcgi_module $modules/mod_proxy_fcgi.so
User  nobody
Group nogroup
TypesConfig  /etc/mime.types
DocumentRoot $root
# Allow encoded slashes (%2F) in the path, decoded as every other server does, instead of answering 404 itself.
AllowEncodedSlashes On
# Apache answers TRACE itself by echoing the request (headers included) unless told not to.
TraceEnable Off
CONF
apache_not_found_outside "$@"
cat <<CONF
# GENERIC: the CGI meta-variables as for any FastCGI application, not PHP-FPM's. mod_proxy_fcgi then sets
# SCRIPT_NAME to the whole (decoded) path and no PATH_INFO; the ProxyFCGISetEnvIf lines below move it to PATH_INFO.
ProxyFCGIBackendType GENERIC
<Location "/">
    Require all granted
    # Pass the Authorization header on (HTTP_AUTHORIZATION), for apps that check tokens themselves: Apache drops it
    # by default.
    CGIPassAuth On
    ProxyFCGISetEnvIf "reqenv('SCRIPT_NAME') =~ m#^(/.*)\$#" PATH_INFO "\$1"
    ProxyFCGISetEnvIf true SCRIPT_NAME ""
</Location>
CONF
# The ProxyFCGISetEnvIf lines of every <Location> that matches run in the order of the file (the one for "/" above
# first): each longer prefix then takes itself off the front of PATH_INFO.
while IFS= read -r arg; do
    prefix=${arg%%=*}
    [[ $prefix == / ]] && continue
    cat <<CONF
<LocationMatch "^${prefix%/}(/|\$)">
    ProxyFCGISetEnvIf "reqenv('PATH_INFO') =~ m#^${prefix%/}(/.*)?\$#" PATH_INFO "\$1"
    ProxyFCGISetEnvIf true SCRIPT_NAME "${prefix%/}"
</LocationMatch>
CONF
done < <(apps_longest_first "$@" | tac)
if [[ -n $(local_paths "$@") ]]; then echo "LoadModule authz_host_module $modules/mod_authz_host.so"; fi
while read -r option path; do
    cat <<CONF
# $option: the worker answers it, to this machine only (403 for any other client).
<Location "$path">
    Require local
</Location>
CONF
done < <(local_paths "$@")
# The first ProxyPassMatch that matches wins: longest prefixes first. enablereuse keeps connections to the worker
# open between requests; not with --max-requests=N (the workers' own), so that a worker serves exactly N requests and
# never closes a connection Apache may send a request on.
reuse=" enablereuse=on"
for arg in "$@"; do [[ $arg == --max-requests=* ]] && reuse=""; done
while IFS= read -r arg; do
    prefix=${arg%%=*} address=${arg#*=}
    echo "ProxyPassMatch \"^${prefix%/}(/.*)?\$\" \"fcgi://$address\"$reuse"
done < <(apps_longest_first "$@")
