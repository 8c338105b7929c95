#!/usr/bin/env bash
# Prints an Apache httpd (Debian apache2-bin) configuration that runs CgiRouting apps with mod_cgid, each app
# owning every path below its prefix, so that PATH_INFO is the rest of the URL path.
#   hosting/apache.sh PORT ROOT PREFIX=BINARY... [NAME=VALUE...] [--basic-auth=PATH:HTPASSWD]
# PREFIX is "/" or "/name/"; NAME=VALUE (a NAME without "/") is passed to every app's environment; --basic-auth: see
# hosting/apps.sh.
# ROOT is a scratch directory for logs and sockets. Run: apache2 -f FILE -DFOREGROUND
# Apache runs CGI programs as "nobody": the binaries, and the directories they write, must allow that user.
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
LoadModule cgid_module       $modules/mod_cgid.so
LoadModule env_module        $modules/mod_env.so
User  nobody
Group nogroup
TypesConfig  /etc/mime.types
ScriptSock   $root/cgid.sock
DocumentRoot $root
# Allow encoded slashes (%2F) in PATH_INFO, decoded as every other server does, instead of answering 404 itself.
AllowEncodedSlashes On
# Apache answers TRACE itself by echoing the request (headers included) unless told not to.
TraceEnable Off
CONF
apache_not_found_outside "$@"
cat <<CONF
<Directory />
    Require all granted
    # Pass the Authorization header on (HTTP_AUTHORIZATION), for apps that check tokens themselves: Apache drops it
    # by default.
    CGIPassAuth On
</Directory>
CONF
read -r auth_path auth_file < <(basic_auth "$@"; echo)
if [[ -n $auth_path ]]; then cat <<CONF
# HTTP Basic on $auth_path: Apache checks the password and passes the user as REMOTE_USER (and AUTH_TYPE=Basic).
LoadModule auth_basic_module $modules/mod_auth_basic.so
LoadModule authn_core_module $modules/mod_authn_core.so
LoadModule authn_file_module $modules/mod_authn_file.so
LoadModule authz_user_module $modules/mod_authz_user.so
<Location "$auth_path">
    AuthType Basic
    AuthName "CgiRouting"
    AuthBasicProvider file
    AuthUserFile "$auth_file"
    Require valid-user
</Location>
CONF
fi
# ScriptAliasMatch maps the prefix and all below it onto the binary's path; Apache finds the binary and passes
# the rest as PATH_INFO. Longest prefixes first: the first match wins.
while IFS= read -r arg; do
    prefix=${arg%%=*} binary=${arg#*=}
    echo "ScriptAliasMatch \"^${prefix%/}(/.*)?\$\" \"$binary\$1\""
done < <(apps_longest_first "$@")
while IFS= read -r arg; do
    echo "SetEnv ${arg%%=*} \"${arg#*=}\""
done < <(app_environment "$@")
