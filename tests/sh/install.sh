#!/usr/bin/env bash
# install.sh: `make install` puts the binary and the man page under DESTDIR/PREFIX.
set -euo pipefail
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
make -s install BUILD="${BUILD:-build}" PREFIX=/opt/nn DESTDIR="$dir" >/dev/null
test -x "$dir/opt/nn/bin/nnrun"
grep -q '^\.TH NNRUN 1' "$dir/opt/nn/share/man/man1/nnrun.1"
"$dir/opt/nn/bin/nnrun" --version | grep -qx 'nnrun [0-9.]*'
make -s uninstall PREFIX=/opt/nn DESTDIR="$dir" >/dev/null
test ! -e "$dir/opt/nn/bin/nnrun"
echo "ok   install_and_uninstall"
