#!/bin/sh
# Multi-call stub for the pot differential test (see ./run).
# Installed as symlinks named after each command in $JW_STUBDIR (first in PATH).
# Three kinds of names:
#  - recorded stubs: append one record to $JW_LOG (name NUL argc NUL args NUL...),
#    print a plausible FreeBSD answer when the caller needs one, never touch the host;
#  - recorded pass-through (pot, lockf, cp, chmod, mkdir): record, then run the real thing;
#  - BSD-compat shims (sed, tail, stat): not recorded, translate BSD-only options
#    for the GNU tool (sed -i '' / tail -r / stat -f %m).

_n=${0##*/}
case "$0" in
"$JW_STUBDIR"/*) _rec=$_n ;;   # found via PATH: record the bare name the code wrote
*) _rec=$0 ;;                 # invoked by absolute path: record it as written
esac

jw_record() {
	[ -n "$JW_LOG" ] || return 0
	# One locked write per record: calls in a pipeline run at once.
	{ flock 9 && printf '%s\0' "$_rec" "$#" "$@" >&9; } 9>>"$JW_LOG"
}

_st=$JW_STATE
_is_running() { [ -e "$_st/running.$1" ]; }

# mount table kept as "src<TAB>dst<TAB>type" lines
_mnt_add() { printf '%s\t%s\t%s\n' "$1" "$2" "$3" >>"$_st/mounts"; }
_mnt_del() {
	[ -f "$_st/mounts" ] || return 1
	_d=${1%/}
	if original-awk -F'\t' -v d="$_d" '$2==d{f=1} END{exit !f}' "$_st/mounts"; then
		original-awk -F'\t' -v d="$_d" '$2!=d' "$_st/mounts" >"$_st/mounts.new"
		mv "$_st/mounts.new" "$_st/mounts"
		return 0
	fi
	return 1
}

case "$_n" in
# ---------------------------------------------------------------- BSD shims
sed)
	# BSD: "-i EXT" (EXT mandatory, separate word, may be empty). GNU: -i[SUFFIX]
	_args=
	_i=0
	for _a; do
		shift
		if [ "$_i" = 1 ]; then
			_i=0
			if [ -z "$_a" ]; then set -- "$@" -i; else set -- "$@" "-i$_a"; fi
			continue
		fi
		if [ "$_a" = "-i" ]; then _i=1; continue; fi
		set -- "$@" "$_a"
	done
	exec /bin/sed "$@"
	;;
tail)
	for _a; do [ "$_a" = "-r" ] && _rev=1; done
	if [ -n "$_rev" ]; then
		_f=
		for _a; do [ "$_a" != "-r" ] && _f=$_a; done
		if [ -n "$_f" ]; then exec tac "$_f"; else exec tac; fi
	fi
	exec /usr/bin/tail "$@"
	;;
stat)
	if [ "$1" = "-f" ]; then
		case "$2" in
		%m) shift 2; exec /usr/bin/stat -c %Y "$@" ;;
		esac
	fi
	exec /usr/bin/stat "$@"
	;;
mktemp)
	# Deterministic names (a per-run counter instead of random characters), so that logs
	# of two runs compare equal. BSD semantics: "-t prefix" alone = $TMPDIR/prefix.XXXXXXXX
	_d= _q= _t= _tmpl=
	while [ $# -gt 0 ]; do
		case "$1" in
		-d) _d=1 ;;
		-q) _q=1 ;;
		-t) _t=$2; shift ;;
		-*) ;;
		*) _tmpl=$1 ;;
		esac
		shift
	done
	[ -n "$_tmpl" ] || _tmpl=${TMPDIR:-/tmp}/${_t:-tmp}.XXXXXXXX
	_x=${_tmpl##*[!X]}
	_b=${_tmpl%"$_x"}
	while :; do
		_c=$(( $(cat "$_st/mktemp.n" 2>/dev/null || echo 0) + 1 ))
		echo "$_c" >"$_st/mktemp.n"
		_p=$(printf "%s%0${#_x}d" "$_b" "$_c")
		[ -e "$_p" ] || break
	done
	if [ -n "$_d" ]; then /bin/mkdir -m 700 "$_p" || exit 1; else (umask 077; : >"$_p") || exit 1; fi
	echo "$_p"
	exit 0
	;;
# ---------------------------------------------- recorded pass-through
pot)
	jw_record "$@"
	# pot's code needs an ash-like sh that accepts "pot-cmd()" names (FreeBSD sh);
	# dash/busybox reject them, so the real bin/pot is run by bash (non-POSIX mode).
	exec bash "$JW_REAL_POT" "$@"
	;;
lockf)
	jw_record "$@"
	while [ $# -gt 0 ]; do
		case "$1" in
		-t) shift 2 ;;
		-[knsw]*) shift ;;
		--) shift; break ;;
		*) break ;;
		esac
	done
	shift # the lock file (FreeBSD lockf would create it; we do not)
	[ "$1" = "$JW_REAL_POT" ] && exec bash "$@"
	exec "$@"
	;;
cp|chmod|mkdir)
	jw_record "$@"
	exec "/bin/$_n" "$@"
	;;
esac

# ---------------------------------------------------------- recorded stubs
jw_record "$@"

case "$_n" in
jls)
	# jls -j NAME [param...]   (pot: _is_pot_running, _js_rss, info)
	_j=
	if [ "$1" = "-j" ]; then _j=$2; shift 2; fi
	if [ -n "$_j" ]; then
		if ! _is_running "$_j"; then
			echo "jls: jail \"$_j\" not found" >&2
			exit 1
		fi
		if [ $# -eq 0 ]; then
			printf '   JID  IP Address      Hostname                      Path\n'
			printf '%6d  %-15s %-29s %s\n' 1 "" "$_j" "$JW_POT_FS_ROOT/jails/$_j/m"
		else
			for _p; do
				case "$_p" in
				jid) echo 1 ;;
				name) echo "$_j" ;;
				path) echo "$JW_POT_FS_ROOT/jails/$_j/m" ;;
				host.hostname) echo "$_j.jwhost" ;;
				*) echo "" ;;
				esac
			done
		fi
		exit 0
	fi
	for _f in "$_st"/running.*; do [ -e "$_f" ] && echo "${_f##*/running.}"; done
	exit 0
	;;
jail)
	# jail -c ... name=N ... : creates (running) jail N; jail -c path=.. command=..: one-shot
	# jail [-f-] [-q] -r N : removes jail N (stdin = jail.conf snippet, consumed)
	_create= _remove= _name=
	for _a; do
		case "$_a" in
		-c) _create=1 ;;
		-r) _remove=1 ;;
		-f-|-f) cat >/dev/null ;;
		name=*) _name=${_a#name=} ;;
		esac
	done
	if [ -n "$_remove" ]; then
		eval "_name=\${$#}"
		rm -f "$_st/running.$_name"
	elif [ -n "$_create" ] && [ -n "$_name" ]; then
		: >"$_st/running.$_name"
	fi
	exit 0
	;;
jexec) exit 0 ;;
zfs)
	_sub=$1
	shift
	_o= _ds= _prop=
	while [ $# -gt 0 ]; do
		case "$1" in
		-o) _o=$2; shift 2 ;;
		-Ho|-oH) _o=$2; shift 2 ;;
		-*) shift ;;
		*) if [ -z "$_ds" ] && [ "$_sub" = get ] && [ -z "$_prop" ]; then _prop=$1; else _ds=$1; fi; shift ;;
		esac
	done
	_mp() {
		case "$1" in
		"$JW_POT_ZFS_ROOT") echo "$JW_POT_FS_ROOT" ;;
		"$JW_POT_ZFS_ROOT"/*) echo "$JW_POT_FS_ROOT/${1#"$JW_POT_ZFS_ROOT"/}" ;;
		*) echo "/$1" ;;
		esac
	}
	case "$_sub" in
	list)
		[ -n "$_ds" ] || exit 0
		case "$_o" in
		name) echo "$_ds" ;;
		mountpoint) _mp "$_ds" ;;
		name,mountpoint) printf '%s\t%s\n' "$_ds" "$(_mp "$_ds")" ;;
		*) printf '%s\t%s\n' "$_ds" "$(_mp "$_ds")" ;;
		esac
		;;
	get)
		case "$_prop" in
		mounted) echo yes ;;
		mountpoint) _mp "$_ds" ;;
		*) echo - ;;
		esac
		;;
	esac
	exit 0
	;;
mount)
	if [ $# -eq 0 ]; then
		[ -f "$_st/mounts" ] || exit 0
		original-awk -F'\t' '{ printf "%s on %s (%s, local)\n", $1, $2, $3 }' "$_st/mounts"
		exit 0
	fi
	_t=ufs
	while [ $# -gt 2 ]; do
		case "$1" in
		-t) _t=$2; shift 2 ;;
		-o) shift 2 ;;
		*) shift ;;
		esac
	done
	_mnt_add "$1" "${2%/}" "$_t"
	exit 0
	;;
mount_nullfs)
	while [ $# -gt 2 ]; do shift; done
	_mnt_add "$1" "${2%/}" nullfs
	exit 0
	;;
umount)
	eval "_d=\${$#}"
	_mnt_del "$_d" || { echo "umount: $_d: not a file system root directory" >&2; exit 1; }
	exit 0
	;;
chroot)
	# pot mount-in: chroot ROOT /bin/realpath MNT
	if [ "$2" = /bin/realpath ]; then
		case "$3" in /*) echo "$3" ;; *) echo "/$3" ;; esac
	fi
	exit 0
	;;
sysctl)
	eval "_k=\${$#}"
	case "$_k" in
	kern.osrelease) echo 14.2-RELEASE ;;
	kern.boottime) echo '{ sec = 1700000000, usec = 0 } Tue Nov 14 22:13:20 2023' ;;
	kern.features.vimage) echo 1 ;;
	kern.features.inet6) echo 1 ;;
	kern.racct.enable) echo 1 ;;
	net.inet.ip.portrange.reservedhigh) echo 1023 ;;
	net.inet.ip.portrange.first) echo 10000 ;;
	security.jail.jailed) echo 0 ;;
	hw.ncpu) echo 2 ;;
	*) echo 0 ;;
	esac
	exit 0
	;;
hostname) echo jwhost; exit 0 ;;
uname)
	case "$1" in -r) echo 14.2-RELEASE ;; -m|-p) echo amd64 ;; *) echo FreeBSD ;; esac
	exit 0
	;;
ifconfig)
	case "$*" in
	"epair create"*) echo epair0a ;;
	*" name "*) eval "echo \${$#}" ;;
	esac
	exit 0
	;;
pgrep) exit 1 ;;
potnet)
	case "$1" in
	ip4check) exit 0 ;;
	esac
	exit 0
	;;
*) exit 0 ;;
esac
