//! The rule catalogue. Codes are stable: a code is never reused for another
//! rule. Families (see `family`): JW1xx how the file is read, JW2xx ARG and
//! variables, JW3xx instruction arguments, JW4xx the host shell, JW5xx
//! keywords and passthrough subcommands, JW6xx layout, JW7xx Makejails,
//! JW8xx pot flavours, JW9xx practice (shell text, packages, services).

use super::Rule;
use crate::document::{Document, ProblemKind};
use crate::ir::{Dialect, Span, Step};

pub const BASTILLE: &[Dialect] = &[Dialect::Bastille];
pub const MAKEJAIL: &[Dialect] = &[Dialect::Makejail];
pub const POT: &[Dialect] = &[Dialect::Pot];
pub const MAKEJAIL_AND_POT: &[Dialect] = &[Dialect::Makejail, Dialect::Pot];
pub const BASTILLE_AND_MAKEJAIL: &[Dialect] = &[Dialect::Bastille, Dialect::Makejail];
pub const ALL_DIALECTS: &[Dialect] = &[Dialect::Bastille, Dialect::Makejail, Dialect::Pot];

mod installed;
mod services;

/// Each step `is` picks after the first, with the first one's line: for
/// pot commands where each call replaces what the one before set.
fn repeated(
    doc: &Document,
    is: fn(&crate::ir::Instruction) -> bool,
) -> impl Iterator<Item = (&Step, usize)> {
    let mut first: Option<usize> = None;
    doc.template
        .steps
        .iter()
        .filter(move |s| is(&s.instruction))
        .filter_map(move |step| match first {
            Some(line) => Some((step, line)),
            None => {
                first = Some(step.span.line);
                None
            }
        })
}

/// Whether the author of `line` (its text without the line break, the
/// blanks after a final backslash or a carriage return) evidently meant it
/// to continue onto `next`: it ends in an odd number of backslashes (`\\`
/// is a literal one), it is not a comment, and the next line is indented
/// as a continuation is. A fix that makes a backslash the last byte (JW102,
/// JW106) is certain only then: bastille joins any such line with the next.
pub(super) fn meant_to_continue(line: &str, next: Option<&str>) -> bool {
    let backslashes = line.len() - line.trim_end_matches('\\').len();
    backslashes % 2 == 1
        && !line.trim_start().starts_with('#')
        && next.is_some_and(|n| n.starts_with([' ', '\t']) && !n.trim().is_empty())
}

/// Reports every problem of one kind the reader recorded.
fn report_problems(doc: &Document, report: &mut super::Report, kind: ProblemKind, help: &str) {
    for problem in doc.problems.iter().filter(|p| p.kind == kind) {
        report.emit(doc.problem_span(problem), problem.message.clone(), help);
    }
}

/// Declares each rule module and lists it, with its source text (its
/// `//!` comment is the rule's documentation: `jailwright explain`).
macro_rules! catalogue {
    ($($module:ident),* $(,)?) => {
        $(mod $module;)*

        /// Every rule, in code order.
        pub static ALL: &[&Rule] = &[$(&$module::RULE),*];

        /// The source of each rule of `ALL`, in the same order.
        static SOURCES: &[&str] = &[$(include_str!(concat!(stringify!($module), ".rs"))),*];
    };
}

catalogue! {
    byte_order_mark,
    crlf_line_endings,
    space_indentation,
    tab_after_keyword,
    comment_continuation,
    trailing_backslash_blank,
    not_utf8,
    undeclared_variable,
    arg_duplicate,
    arg_builtin_override,
    arg_name_invalid,
    arg_host_evaluated,
    arg_without_value,
    bare_dollar_arg,
    cp_arity,
    overlay_arity,
    service_arity,
    mount_arity,
    rdr_options,
    render_trailing_comment,
    line_in_file_unquoted,
    pkg_empty,
    tags_empty,
    include_target,
    limits_arity,
    host_shell_operator,
    host_substitution,
    shell_syntax,
    unknown_keyword,
    dangerous_passthrough,
    legacy_hooks,
    unknown_instruction,
    tokenizer_error,
    usage_error,
    invalid_stage,
    build_only_instruction,
    include_error,
    build_arg_error,
    duplicate_build_arg,
    no_final_newline,
    unfinished_continuation,
    trailing_comment,
    cmd_invisible_variable,
    needs_running_jail,
    non_conditional_in_raw_block,
    include_extra_words,
    hoisted_out_of_order,
    makejail_duplicate_arg,
    apply_stage,
    expose_without_virtualnet,
    cmd_ignores_workdir,
    option_value,
    unknown_option,
    nat_without_virtualnet,
    pot_usage_error,
    ignored_line,
    duplicate_set_env,
    set_cmd_single_quotes,
    literal_shell_syntax,
    explicit_pot_name,
    hardcoded_flavour_dir,
    set_cmd_before_script,
    copy_in_relative_source,
    missing_copy_source,
    export_ports_network,
    duplicate_export_ports,
    shellcheck,
    pkg_install_without_yes,
    pkg_upgrade,
    cd_alone,
    sudo_in_template,
    pipe_to_shell,
    secret_in_arg_default,
    chmod_777,
    duplicate_package,
    service_not_enabled,
    enabled_not_started,
    missing_template_file,
    cmd_shell_syntax,
    failure_masked,
    secret_in_sysrc,
    service_not_installed,
}

/// A rule's documentation: the `//!` comment at the top of its module.
pub fn documentation(rule: &Rule) -> String {
    let index = ALL
        .iter()
        .position(|r| r.code == rule.code)
        .expect("a rule of ALL");
    SOURCES[index]
        .lines()
        .take_while(|l| l.starts_with("//!"))
        .map(|l| l.trim_start_matches("//!").strip_prefix(' ').unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The family of a code: what kind of problem its rules find.
pub fn family(code: &str) -> &'static str {
    match code.get(..3) {
        Some("JW1") => "reading: how the manager reads the file",
        Some("JW2") => "variables: ARG and substitution",
        Some("JW3") => "arguments: what an instruction takes",
        Some("JW4") => "host shell: what the host evaluates",
        Some("JW5") => "keywords and passthrough subcommands",
        Some("JW6") => "layout",
        Some("JW7") => "Makejail: AppJail's reader and stages",
        Some("JW8") => "pot flavours",
        Some("JW9") => "practice: shell text, packages, services, security",
        _ => "other",
    }
}

/// A rule by code (`JW301`) or name (`cp-arity`).
pub fn find(code_or_name: &str) -> Option<&'static Rule> {
    ALL.iter()
        .copied()
        .find(|r| r.code.eq_ignore_ascii_case(code_or_name) || r.name == code_or_name)
}

/// Where a step's argument text starts in its logical line: the text always
/// runs to the end of the line.
fn text_start(doc: &Document, step: &Step) -> usize {
    let line = &doc.lines[step.line_index].text;
    line.len().saturating_sub(step.text.len())
}

/// The span of a byte range of a step's argument text.
pub fn text_span(doc: &Document, step: &Step, start: usize, end: usize) -> Span {
    let base = text_start(doc, step);
    doc.span_in_line(step.line_index, base + start, base + end)
}

/// The span of a step's whole argument text (or of the keyword when the
/// text is empty).
pub fn args_span(doc: &Document, step: &Step) -> Span {
    if step.text.is_empty() {
        step.span.clone()
    } else {
        text_span(doc, step, 0, step.text.len())
    }
}

/// The span of a step's keyword as written (the step's when the keyword
/// is not in its line as it is).
pub fn keyword_span(doc: &Document, step: &Step) -> Span {
    let line = &doc.lines[step.line_index].text;
    match line.find(step.written_keyword.as_str()) {
        Some(at) if !step.written_keyword.is_empty() => {
            doc.span_in_line(step.line_index, at, at + step.written_keyword.len())
        }
        _ => step.span.clone(),
    }
}

/// Each OPTION of a Makejail as (step, name, value): `expose=80` is
/// (`expose`, `80`), a bare `start` (`start`, ``).
pub fn jail_options(doc: &Document) -> impl Iterator<Item = (&Step, &str, &str)> {
    doc.template
        .steps
        .iter()
        .filter_map(|step| match &step.instruction {
            crate::ir::Instruction::JailOption { option } => {
                let option = option.trim();
                let (name, value) = option.split_once('=').unwrap_or((option, ""));
                Some((step, name, value))
            }
            _ => None,
        })
}

/// What a Makejail's OPTIONs say of virtual networks (for JW719, JW723):
/// `None` when an unexpanded INCLUDE may hold more options.
pub struct Networks {
    /// How many `virtualnet` options there are.
    pub virtualnets: usize,
    /// One of them is marked `default`.
    pub default_network: bool,
}

pub fn networks(doc: &Document) -> Option<Networks> {
    let steps = &doc.template.steps;
    if steps
        .iter()
        .any(|s| matches!(s.instruction, crate::ir::Instruction::Include { .. }))
    {
        return None;
    }
    let values: Vec<&str> = steps
        .iter()
        .filter_map(|s| match &s.instruction {
            crate::ir::Instruction::JailOption { option } => {
                option.trim().strip_prefix("virtualnet=")
            }
            _ => None,
        })
        .collect();
    Some(Networks {
        virtualnets: values.len(),
        default_network: values.iter().any(|v| {
            v.split_whitespace()
                .skip(1)
                .any(|w| w.trim_matches(['"', '\'']) == "default")
        }),
    })
}

/// Steps written with one of the given canonical keywords.
pub fn steps_of<'d>(doc: &'d Document, keyword: &'static str) -> impl Iterator<Item = &'d Step> {
    doc.template
        .steps
        .iter()
        .filter(move |s| s.instruction.ir_name() == keyword)
}
