#!/usr/bin/env bash
# Installs `archiver` for the current user as a .NET tool (~/.dotnet/tools), from this checkout:
# packs src/Archiver.Cli into .local/packages and installs (or updates) it from there. Afterwards
# `archiver --version` works from any directory (add ~/.dotnet/tools to PATH if it is not yet).
#
#   ./scripts/install.sh            install or update
#   ./scripts/install.sh --uninstall
set -euo pipefail
# shellcheck source=scripts/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
SVC_LOG_PREFIX=install
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

if [[ ${1-} == --uninstall ]]; then
  dotnet tool uninstall --global Archiver.Cli
  exit 0
fi

feed="$LOCAL/packages"
mkdir -p "$feed"
svc_log "packing src/Archiver.Cli into $feed"
dotnet pack "$ROOT/src/Archiver.Cli" -c Release -v quiet -nologo -clp:ErrorsOnly -o "$feed"
version="$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' "$ROOT/src/Archiver.Cli/Archiver.Cli.csproj" | head -n1)"

# Update replaces an installed copy of the same version too (install would refuse it).
svc_log "installing Archiver.Cli $version for $(id -un)"
dotnet tool update --global Archiver.Cli --version "$version" --add-source "$feed" --ignore-failed-sources >/dev/null
tools="${DOTNET_CLI_HOME:-$HOME}/.dotnet/tools"
case ":$PATH:" in
  *":$tools:"*) svc_log "installed: $("$tools/archiver" --version) at $tools/archiver" ;;
  *) svc_log "installed at $tools/archiver; add it to PATH: export PATH=\"\$PATH:$tools\" (e.g. in ~/.bashrc)" ;;
esac
