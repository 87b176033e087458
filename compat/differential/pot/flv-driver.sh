#!/bin/sh
# The flavour stage of `pot create` (share/pot/create.sh:782-789), run with pot's own code:
# the same preamble as bin/pot (common.sh, common-flv.sh, network.sh, pot.default.conf,
# pot.conf sourced from the installed locations), then  _exec_flv POT FLAVOUR.
# Usage (inside the private mount namespace set up by ./run):  flv-driver.sh POT FLAVOUR
# Only deviation: pot-cmd (common.sh:1214) is routed through the `pot` executable
# (recording wrapper -> real /usr/local/bin/pot), so each flavour line shows up as a
# `pot CMD ... -p POT` record; _POT_RECURSIVE=1 as inside `pot create` (which runs under lockf).

_POT_VERSION=0.16.0
_POT_PATHNAME=/usr/local/bin/pot
_POT_PREFIX=/usr/local/bin
_POT_INCLUDE=/usr/local/share/pot
_POT_ETC=/usr/local/etc/pot
_POT_FLAVOUR_DIR=/usr/local/etc/pot/flavours
export IFCONFIG_FORMAT=addr:default

. "${_POT_INCLUDE}/common.sh"
. "${_POT_INCLUDE}/common-flv.sh"
. "${_POT_INCLUDE}/network.sh"
. "$_POT_ETC/pot.default.conf"
. "$_POT_ETC/pot.conf"
_POT_VERBOSITY=${JW_POT_VERBOSITY:-1}
export _POT_RECURSIVE=1

pot-cmd()
{
	pot "$@"
}

# potluck's chain files NAME+1 ... NAME+9 are flavours potluck passes after
# NAME (`pot create -f NAME -f NAME+1 ...`); jailwright reads them as one
# template, so they run here too, in the order create.sh:782-789 runs a
# repeated -f.
_exec_flv "$1" "$2" || exit
case "$2" in
*.sh) ;;
*)
	for n in 1 2 3 4 5 6 7 8 9; do
		if [ -e "$_POT_FLAVOUR_DIR/$2+$n" ] || [ -e "$_POT_FLAVOUR_DIR/$2+$n.sh" ]; then
			_exec_flv "$1" "$2+$n" || exit
		fi
	done
	;;
esac
