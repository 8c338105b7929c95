# Shared by the configuration scripts in hosting/: their PREFIX=BINARY and NAME=VALUE arguments.

# apps_longest_first ARG...: the PREFIX=BINARY arguments (those starting with "/"), longest prefix first, one a line.
# Every server here takes the first prefix that matches, so "/hello/" must come before "/".
apps_longest_first() {
    printf '%s\n' "$@" | grep '^/' | awk -F= '{ print length($1) "\t" $0 }' | sort -s -k1,1nr | cut -f2-
}

# app_environment ARG...: the NAME=VALUE arguments, one a line.
app_environment() {
    printf '%s\n' "$@" | grep -v '^/' | grep -v '^--' || true
}

# local_paths ARG...: "OPTION PATH" of the --ping-path=PATH and --status-path=PATH arguments (the worker's own options,
# which it answers itself), ping first, one a line. The configurations let only this machine reach them (403 otherwise).
local_paths() {
    local option arg
    for option in --ping-path --status-path; do
        for arg in "$@"; do
            if [[ $arg == "$option"=* ]]; then echo "$option ${arg#*=}"; fi
        done
    done
}

# regex_escaped PATH: PATH as a regular expression that matches it alone.
regex_escaped() {
    sed 's/[].()[*+?^|]/\\&/g' <<<"$1"
}

# basic_auth ARG...: "PATH FILE" of a --basic-auth=PATH:FILE argument, or nothing. The server then asks for a user
# name and password (HTTP Basic) on PATH and all below it, checks them against FILE (an htpasswd file of apr1 hashes,
# as `openssl passwd -apr1` writes them) and passes the user to the app as REMOTE_USER; elsewhere REMOTE_USER is never set.
basic_auth() {
    local arg
    for arg in "$@"; do
        if [[ $arg == --basic-auth=* ]]; then arg=${arg#--basic-auth=}; echo "${arg%%:*} ${arg#*:}"; fi
    done
}

# nginx_cgi_parameters: the CGI meta-variables as nginx's fastcgi_param lines of a location, written out (Debian's
# fastcgi_params would also set SCRIPT_NAME to the whole path); the same for fcgiwrap and for a FastCGI worker.
nginx_cgi_parameters() {
    cat <<'CONF'
            # The CGI meta-variables, written out: Debian's fastcgi_params would also set SCRIPT_NAME to the whole path.
            fastcgi_param GATEWAY_INTERFACE CGI/1.1;
            fastcgi_param SERVER_SOFTWARE   nginx/$nginx_version;
            fastcgi_param SERVER_PROTOCOL   $server_protocol;
            fastcgi_param SERVER_NAME       $server_name;
            fastcgi_param SERVER_ADDR       $server_addr;
            fastcgi_param SERVER_PORT       $server_port;
            fastcgi_param REMOTE_ADDR       $remote_addr;
            fastcgi_param REMOTE_PORT       $remote_port;
            fastcgi_param REQUEST_METHOD    $request_method;
            fastcgi_param REQUEST_URI       $request_uri;
            fastcgi_param QUERY_STRING      $query_string;
            fastcgi_param CONTENT_TYPE      $content_type;
            fastcgi_param CONTENT_LENGTH    $content_length;
            fastcgi_param HTTPS             $https if_not_empty;
CONF
}

# nginx_head ROOT: the start of an nginx configuration, up to the http block's first lines (one worker process in the
# foreground, as "nobody", its files in ROOT); the scripts add the upstreams and the server.
nginx_head() {
    cat <<CONF
daemon off;
worker_processes 1;
user nobody nogroup;
pid $1/nginx.pid;
error_log $1/error.log warn;
events { worker_connections 256; }
http {
    access_log off;
    client_body_temp_path $1/body;
    fastcgi_temp_path $1/fastcgi;
    proxy_temp_path $1/proxy;
    uwsgi_temp_path $1/uwsgi;
    scgi_temp_path $1/scgi;
CONF
}

# apache_not_found_outside ARG...: a RedirectMatch that answers 404 for every path outside the apps' prefixes (ROOT, the
# DocumentRoot, holds the logs and the configuration), followed by a blank line; nothing when an app is at "/".
apache_not_found_outside() {
    local prefixes
    prefixes=$(apps_longest_first "$@" | cut -d= -f1 | sed 's|/$||' | paste -sd'|')
    [[ -z $(apps_longest_first "$@" | cut -d= -f1 | grep -x /) ]] || return 0
    [[ $prefixes == *'|'* ]] && prefixes="($prefixes)"
    echo "# No file is served (ROOT holds the logs and the configuration): paths outside the app are 404."
    echo "RedirectMatch 404 \"^(?!$prefixes(/|\$))\""
    echo
}
