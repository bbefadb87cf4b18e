#!/bin/sh
# deps.sh: installs the named Debian packages that are missing (as root),
# or prints the command that would.
missing=""
for p in "$@"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
	echo "installing:$missing"
	apt-get update -qq >/dev/null &&
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			--no-install-recommends $missing >/dev/null || exit 1
else
	echo "nnrun needs:$missing; install them with:" >&2
	echo "  sudo apt-get install$missing" >&2
	exit 1
fi
