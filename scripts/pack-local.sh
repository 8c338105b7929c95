#!/usr/bin/env bash
# scripts/pack-local.sh [FEED_DIR]: packs CgiRouting and CgiRouting.Templates into FEED_DIR (default ~/cgirouting-feed)
# with a version of their own, 0.1.0-dev.<UTC time>. NuGet never replaces a version it has cached, so a package re-packed
# as plain 0.1.0 would be ignored by every app that restored 0.1.0 before; a new version is picked up at once.
# Prints the version and the commands that use it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

feed=${1:-$HOME/cgirouting-feed}
mkdir -p "$feed"
feed=$(cd "$feed" && pwd)

# Directory.Build.props sets <Version> itself, which makes MSBuild ignore VersionSuffix: pass the whole version.
prefix=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Directory.Build.props | head -n 1)
[[ -n $prefix ]] || { echo "pack-local.sh: no <Version> in Directory.Build.props" >&2; exit 1; }
version="$prefix-dev.$(date -u +%Y%m%d%H%M%S)"
while [[ -e $feed/CgiRouting.$version.nupkg ]]; do # packed twice in one second: take the next one
    sleep 1
    version="$prefix-dev.$(date -u +%Y%m%d%H%M%S)"
done

for project in src/Runtime/CgiRouting.csproj templates/CgiRouting.Templates.csproj; do
    dotnet pack "$project" -c Release -o "$feed" -p:Version="$version" -nologo -v quiet >&2
done

cat <<END
Packed CgiRouting $version into $feed

  dotnet nuget add source $feed --name cgirouting-local   # once
  dotnet add package CgiRouting --version $version
  dotnet new install $feed/CgiRouting.Templates.$version.nupkg   # its cgiapp references CgiRouting $version
END
