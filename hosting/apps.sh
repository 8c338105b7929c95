# Shared by the configuration scripts in hosting/: their PREFIX=BINARY and NAME=VALUE arguments.

# apps_longest_first ARG...: the PREFIX=BINARY arguments (those starting with "/"), longest prefix first, one a line.
# Every server here takes the first prefix that matches, so "/hello/" must come before "/".
apps_longest_first() {
    printf '%s\n' "$@" | grep '^/' | awk -F= '{ print length($1) "\t" $0 }' | sort -s -k1,1nr | cut -f2-
}

# app_environment ARG...: the NAME=VALUE arguments, one a line.
app_environment() {
    printf '%s\n' "$@" | grep -v '^/' || true
}
