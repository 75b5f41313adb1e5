#!/usr/bin/env bash
# The package suite (root): builds the .deb with build-deb.sh, installs it with dpkg, runs the
# installed myvpn, then removes and purges it and checks that nothing of it is left.
# One line per check, "ok - …" or "not ok - …" (a skipped check: "ok - … # SKIP why"), then
# "N passed, N failed, N skipped". Exit status 0 when nothing failed.
# The package is never left installed, even when a check fails or the run is interrupted. It refuses
# to run where myvpn is installed as a package already; a /usr/bin/myvpn of no package is put back.
set -uo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" -ne 0 ]; then
  echo "test-deb.sh must run as root: it installs and removes the package with dpkg. Try: sudo $0" >&2
  exit 1
fi

passed=0 failed=0 skipped=0
ok() { echo "ok - $*"; passed=$((passed + 1)); }
not_ok() { echo "not ok - $*"; failed=$((failed + 1)); }
skip() { echo "ok - $1 # SKIP $2"; skipped=$((skipped + 1)); }
# check DESCRIPTION COMMAND...: ok when the command succeeds.
check() { local what=$1; shift; if "$@"; then ok "$what"; else not_ok "$what"; fi; }
summary() { echo "$passed passed, $failed failed, $skipped skipped"; }

installed() { dpkg-query -W -f='${Status}' myvpn 2>/dev/null | grep -q 'ok installed'; }
known() { dpkg-query -W -f='${Status}' myvpn 2>/dev/null | grep -qv 'not-installed'; }

if known; then
  not_ok "myvpn is installed as a package on this machine already; the suite installs and removes its own build (dpkg -P myvpn first)"
  summary
  exit 1
fi

work=$(mktemp -d -t myvpn-deb-test.XXXXXX)
# A /usr/bin/myvpn that no package owns (a symbolic link to a build, say) is moved aside and put back.
moved=""
if [ -e /usr/bin/myvpn ] || [ -L /usr/bin/myvpn ]; then
  mv /usr/bin/myvpn "$work/myvpn.before" && moved=yes
fi
etc_before=no
[ -e /etc/myvpn ] && etc_before=yes
cleanup() {
  if known; then dpkg -P myvpn >/dev/null 2>&1 || true; fi
  if [ "$etc_before" = no ]; then rmdir /etc/myvpn 2>/dev/null; fi
  if [ -n "$moved" ]; then mv -f "$work/myvpn.before" /usr/bin/myvpn; fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Directory.Build.props)
arch=$(dpkg --print-architecture)
deb="$work/out/myvpn_${version}_${arch}.deb"

# 1. Build.
if ! packaging/build-deb.sh "$work/out" > "$work/build.log" 2>&1 || [ ! -f "$deb" ]; then
  not_ok "packaging/build-deb.sh builds $(basename "$deb")"
  sed 's/^/# /' "$work/build.log" | tail -30
  summary
  exit 1
fi
ok "packaging/build-deb.sh builds $(basename "$deb")"

field() { dpkg-deb -f "$deb" "$1"; }
check "the control file says Package myvpn, Version $version, Architecture $arch" \
  test "$(field Package) $(field Version) $(field Architecture)" = "myvpn $version $arch"

# Every shared library the executable needs comes from a package the control file depends on.
dpkg-deb -x "$deb" "$work/x"
depends_cover_needed() {
  local lib path pkg ok=0 depends
  depends=$(field Depends)
  for lib in $(objdump -p "$work/x/usr/bin/myvpn" | awk '$1 == "NEEDED" {print $2}'); do
    path=$(ldconfig -p | awk -v l="$lib" '$1 == l && /x86-64|AArch64|64bit/ {print $NF; exit}')
    pkg=$( { dpkg -S "$path" || dpkg -S "$(realpath "$path")" || dpkg -S "/usr$path"; } 2>/dev/null | head -1 | cut -d: -f1)
    if [ -z "$pkg" ] || ! grep -Eq "(^|, )$pkg( |,|$)" <<<"$depends"; then
      echo "# $lib ($path) comes from '${pkg:-no package}', which Depends ($depends) does not name"
      ok=1
    fi
  done
  return $ok
}
check "Depends names the package of every library the executable links ($(field Depends))" depends_cover_needed
check "every file in the package is owned by root" \
  test -z "$(dpkg-deb -c "$deb" | awk '$2 != "root/root"')"

# 2. Install. dpkg installs no dependencies: the missing ones (nftables on a fresh machine) come first.
missing=()
for dep in $(field Depends | tr ',' '\n' | awk '{print $1}'); do
  dpkg-query -W -f='${Status}' "$dep" 2>/dev/null | grep -q 'ok installed' || missing+=("$dep")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "# installing the package's dependencies: ${missing[*]}"
  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
dpkg -i "$deb" > "$work/install.log" 2>&1
if ! installed; then
  not_ok "dpkg -i installs the package"
  sed 's/^/# /' "$work/install.log" | tail -20
  summary
  exit 1
fi
ok "dpkg -i installs the package"

check "/usr/bin/myvpn --version prints $version" test "$(/usr/bin/myvpn --version 2>&1)" = "$version"
genkey_ok() {
  /usr/bin/myvpn genkey -o "$work/k" || return 1
  [ "$(stat -c %a "$work/k")" = 600 ] || { echo "# key file mode $(stat -c %a "$work/k")"; return 1; }
  grep -Eqx '[A-Za-z0-9+/]{43}=' "$work/k" || { echo "# key file is not 44 base64 characters"; return 1; }
}
check "/usr/bin/myvpn genkey -o FILE writes a 44-character base64 key with mode 0600" genkey_ok

units=(packaging/systemd/*.service)
if [ -e "${units[0]}" ]; then
  installed_units=()
  for unit in "${units[@]}"; do
    installed_units+=("/lib/systemd/system/$(basename "$unit")")
    check "unit $(basename "$unit") is installed in /lib/systemd/system" cmp -s "$unit" "${installed_units[-1]}"
  done
  if command -v systemd-analyze >/dev/null; then
    # verify also checks that ExecStart's executable exists: the units run the installed /usr/bin/myvpn.
    verify_units() {
      local output
      output=$(systemd-analyze verify "${installed_units[@]}" 2>&1) && [ -z "$output" ] && return 0
      sed 's/^/# /' <<<"$output"
      return 1
    }
    check "systemd-analyze verify accepts the installed units as they are" verify_units
  else
    skip "systemd-analyze verify accepts the installed units" "systemd-analyze is not installed"
  fi
else
  skip "the systemd units are installed" "packaging/systemd/ has no units"
fi

# Minimal images tell dpkg not to install man pages and docs (path-exclude in /etc/dpkg/dpkg.cfg.d).
excluded() { grep -hs '^path-exclude' /etc/dpkg/dpkg.cfg /etc/dpkg/dpkg.cfg.d/* | grep -q "=$1"; }
if excluded /usr/share/man; then
  skip "the man page is installed" "dpkg here excludes /usr/share/man"
elif command -v man >/dev/null; then
  check "man -w myvpn finds /usr/share/man/man8/myvpn.8.gz" test "$(man -w myvpn 2>/dev/null)" = /usr/share/man/man8/myvpn.8.gz
  check "man renders myvpn(8) without a warning" \
    test -z "$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l /usr/share/man/man8/myvpn.8.gz 2>&1 >/dev/null)"
else
  check "the man page is installed at /usr/share/man/man8/myvpn.8.gz" test -f /usr/share/man/man8/myvpn.8.gz
fi
if excluded /usr/share/doc; then
  skip "the example configs are installed" "dpkg here excludes /usr/share/doc"
else
  for example in server.toml client.toml; do
    check "examples/$example is installed in /usr/share/doc/myvpn/examples" cmp -s "examples/$example" "/usr/share/doc/myvpn/examples/$example"
  done
fi
if [ "$etc_before" = no ]; then
  check "/etc/myvpn is made with mode 0700" test "$(stat -c %a /etc/myvpn 2>/dev/null)" = 700
else
  skip "/etc/myvpn is made with mode 0700" "/etc/myvpn existed before"
fi

# 3. Remove, then purge: nothing of the package is left.
files=$(dpkg-deb -c "$deb" | awk '$1 !~ /^d/ {sub(/^\./, "", $6); print $6}')
dpkg -r myvpn > "$work/remove.log" 2>&1
check "dpkg -r removes /usr/bin/myvpn" test ! -e /usr/bin/myvpn
dpkg -P myvpn > "$work/purge.log" 2>&1
check "dpkg -P leaves no trace in dpkg's database (dpkg -L myvpn finds nothing)" bash -c '! dpkg -L myvpn >/dev/null 2>&1'
left_over() {
  local f left=0
  for f in $files; do
    if [ -e "$f" ]; then echo "# $f is still there"; left=1; fi
  done
  return $left
}
check "no file of the package is left on disk" left_over
if [ "$etc_before" = no ]; then
  check "dpkg -P removes the empty /etc/myvpn" test ! -e /etc/myvpn
fi

summary
[ "$failed" -eq 0 ]
