
# ---- jailwright differential test: FreeBSD sh built-ins dash lacks ----------
# Appended (by ../run) to a copy of share/appjail/lib/load, which every AppJail
# shell sources first; the upstream lines above keep their numbers.
# setvar NAME VALUE: FreeBSD sh built-in (used by lib_load above).
command -v setvar >/dev/null 2>&1 || setvar() { eval "$1=\"\$2\""; }
# trap: FreeBSD sh accepts SIGINT-style names (lib/atexit:45-66,
# cmd/makejail:950); dash only INT, and dash allows no function named trap:
# an alias, which applies to code parsed after this file (lib/atexit, the
# build script's `trap '' SIGINT`).
__jw_trap() {
	if [ $# -le 1 ]; then command trap "$@"; return; fi
	local __jw_act __jw_sigs __jw_s
	__jw_act=$1; shift
	__jw_sigs=
	for __jw_s; do __jw_sigs="${__jw_sigs} ${__jw_s#SIG}"; done
	command trap "${__jw_act}" ${__jw_sigs}
}
alias trap=__jw_trap
# echo: FreeBSD sh's takes -n and -e and expands backslash escapes only with
# -e (lib/log uses `echo -e`); dash's always expands them.
__jw_echo() {
	local __jw_n __jw_e
	__jw_n=0 __jw_e=0
	while [ $# -gt 0 ]; do
		case $1 in
		-n) __jw_n=1 ;;
		-e) __jw_e=1 ;;
		*) break ;;
		esac
		shift
	done
	if [ ${__jw_e} -eq 1 ]; then printf '%b' "$*"; else printf '%s' "$*"; fi
	[ ${__jw_n} -eq 1 ] || printf '\n'
}
alias echo=__jw_echo
