//! JW901: ShellCheck's findings in a template's shell text: every CMD,
//! every line of a legacy CMD hook and of a pot flavour script, checked as
//! `sh` in one run per template, with the template's ARG/VAR/ENV names and
//! the managers' built-ins declared first (so `${PORT}` is not "unassigned")
//! and each step in a subshell of its own (each is its own `sh -c`). The
//! message carries ShellCheck's code (SC2086...) and links its wiki page;
//! the finding points at the template's own file, line and column. Needs
//! `shellcheck` installed (lint says once when it is not); `--no-shellcheck`
//! or disabling JW901 in .jailwright.toml turns it off.

pub use crate::lint::shellcheck_script::RULE;
