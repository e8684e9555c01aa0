#!/usr/bin/env bash
# Source this: installs the pinned PowerShell (a .NET tool) and Pester (a NuGet package whose tools/ folder is the
# module) from the configured NuGet feed, then puts pwsh on PATH and Pester on PSModulePath. Both are cached in
# .ci/.tools (git-ignored) and the NuGet cache, so a second run costs nothing.
POWERSHELL_VERSION=7.6.9
PESTER_VERSION=5.9.1
ci_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
tools="$ci_dir/.tools"
if [ ! -x "$tools/pwsh" ] || [ "$("$tools/pwsh" -NoProfile -Command '$PSVersionTable.PSVersion.ToString()')" != "$POWERSHELL_VERSION" ]; then
  rm -rf "$tools"
  dotnet tool install PowerShell --version "$POWERSHELL_VERSION" --tool-path "$tools" >/dev/null
fi
dotnet restore "$ci_dir/tools/ci-tools.csproj" --nologo -v q >/dev/null
packages="${NUGET_PACKAGES:-$HOME/.nuget/packages}"
pester_module="$packages/pester/$PESTER_VERSION/tools"
[ -f "$pester_module/Pester.psd1" ] || { echo "error: Pester $PESTER_VERSION was not restored to $pester_module" >&2; return 1; }
# PSModulePath entries hold folders named after their module.
mkdir -p "$tools/Modules"
ln -sfn "$pester_module" "$tools/Modules/Pester"
export PATH="$tools:$PATH"
export PSModulePath="$tools/Modules${PSModulePath:+:$PSModulePath}"
echo "pwsh $("$tools/pwsh" -NoProfile -Command '$PSVersionTable.PSVersion.ToString()'), Pester $PESTER_VERSION"
