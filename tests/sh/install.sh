#!/usr/bin/env bash
# install.sh: `make install` puts the binary, the man page and the bash
# completion under DESTDIR/PREFIX.
set -euo pipefail
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
make -s install BUILD="${BUILD:-build}" PREFIX=/opt/nn DESTDIR="$dir" >/dev/null
test -x "$dir/opt/nn/bin/nnrun"
grep -q '^\.TH NNRUN 1' "$dir/opt/nn/share/man/man1/nnrun.1"
"$dir/opt/nn/bin/nnrun" --version | grep -qx 'nnrun [0-9.]*'
grep -q '^complete -F _nnrun nnrun$' "$dir/opt/nn/share/bash-completion/completions/nnrun"
make -s uninstall PREFIX=/opt/nn DESTDIR="$dir" >/dev/null
test ! -e "$dir/opt/nn/bin/nnrun"
test ! -e "$dir/opt/nn/share/bash-completion/completions/nnrun"
echo "ok   install_and_uninstall"
