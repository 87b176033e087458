//! The rule catalogue. Codes are stable: a code is never reused for another
//! rule. Families: JW1xx how the file is read, JW2xx ARG and variables,
//! JW3xx instruction arguments, JW4xx the host shell, JW5xx keywords and
//! passthrough subcommands, JW6xx layout.

use super::Rule;
use crate::document::{Document, ProblemKind};
use crate::ir::{Dialect, Span, Step};

mod apply_stage;
mod arg_builtin_override;
mod arg_duplicate;
mod arg_host_evaluated;
mod arg_name_invalid;
mod arg_without_value;
mod bare_dollar_arg;
mod build_arg_error;
mod build_only_instruction;
mod byte_order_mark;
mod cmd_invisible_variable;
mod comment_continuation;
mod copy_in_relative_source;
mod cp_arity;
mod crlf_line_endings;
mod dangerous_passthrough;
mod duplicate_build_arg;
mod duplicate_set_env;
mod explicit_pot_name;
mod hardcoded_flavour_dir;
mod hoisted_out_of_order;
mod host_shell_operator;
mod host_substitution;
mod ignored_line;
mod include_error;
mod include_extra_words;
mod include_target;
mod invalid_stage;
mod legacy_hooks;
mod line_in_file_unquoted;
mod literal_shell_syntax;
mod makejail_duplicate_arg;
mod missing_copy_source;
mod mount_arity;
mod needs_running_jail;
mod no_final_newline;
mod non_conditional_in_raw_block;
mod not_utf8;
mod overlay_arity;
mod pkg_empty;
mod pot_usage_error;
mod rdr_options;
mod render_trailing_comment;
mod service_arity;
mod set_cmd_before_script;
mod set_cmd_single_quotes;
mod shell_syntax;
mod space_indentation;
mod tab_after_keyword;
mod tags_empty;
mod tokenizer_error;
mod trailing_backslash_blank;
mod trailing_comment;
mod undeclared_variable;
mod unfinished_continuation;
mod unknown_instruction;
mod unknown_keyword;
mod usage_error;

pub const BASTILLE: &[Dialect] = &[Dialect::Bastille];
pub const MAKEJAIL: &[Dialect] = &[Dialect::Makejail];
pub const POT: &[Dialect] = &[Dialect::Pot];
pub const MAKEJAIL_AND_POT: &[Dialect] = &[Dialect::Makejail, Dialect::Pot];

/// Reports every problem of one kind the reader recorded.
fn report_problems(doc: &Document, report: &mut super::Report, kind: ProblemKind, help: &str) {
    for problem in doc.problems.iter().filter(|p| p.kind == kind) {
        report.emit(doc.problem_span(problem), problem.message.clone(), help);
    }
}

/// Every rule, in code order.
pub static ALL: &[&Rule] = &[
    &byte_order_mark::RULE,
    &crlf_line_endings::RULE,
    &space_indentation::RULE,
    &tab_after_keyword::RULE,
    &comment_continuation::RULE,
    &trailing_backslash_blank::RULE,
    &not_utf8::RULE,
    &undeclared_variable::RULE,
    &arg_duplicate::RULE,
    &arg_builtin_override::RULE,
    &arg_name_invalid::RULE,
    &arg_host_evaluated::RULE,
    &arg_without_value::RULE,
    &bare_dollar_arg::RULE,
    &cp_arity::RULE,
    &overlay_arity::RULE,
    &service_arity::RULE,
    &mount_arity::RULE,
    &rdr_options::RULE,
    &render_trailing_comment::RULE,
    &line_in_file_unquoted::RULE,
    &pkg_empty::RULE,
    &tags_empty::RULE,
    &include_target::RULE,
    &host_shell_operator::RULE,
    &host_substitution::RULE,
    &shell_syntax::RULE,
    &unknown_keyword::RULE,
    &dangerous_passthrough::RULE,
    &legacy_hooks::RULE,
    &unknown_instruction::RULE,
    &tokenizer_error::RULE,
    &usage_error::RULE,
    &invalid_stage::RULE,
    &build_only_instruction::RULE,
    &include_error::RULE,
    &build_arg_error::RULE,
    &duplicate_build_arg::RULE,
    &no_final_newline::RULE,
    &unfinished_continuation::RULE,
    &trailing_comment::RULE,
    &cmd_invisible_variable::RULE,
    &needs_running_jail::RULE,
    &non_conditional_in_raw_block::RULE,
    &include_extra_words::RULE,
    &hoisted_out_of_order::RULE,
    &makejail_duplicate_arg::RULE,
    &apply_stage::RULE,
    &pot_usage_error::RULE,
    &ignored_line::RULE,
    &duplicate_set_env::RULE,
    &set_cmd_single_quotes::RULE,
    &literal_shell_syntax::RULE,
    &explicit_pot_name::RULE,
    &hardcoded_flavour_dir::RULE,
    &set_cmd_before_script::RULE,
    &copy_in_relative_source::RULE,
    &missing_copy_source::RULE,
];

/// Looks a rule up by code.
pub fn find(code: &str) -> Option<&'static Rule> {
    ALL.iter()
        .copied()
        .find(|r| r.code.eq_ignore_ascii_case(code))
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

/// Steps written with one of the given canonical keywords.
pub fn steps_of<'d>(doc: &'d Document, keyword: &'static str) -> impl Iterator<Item = &'d Step> {
    doc.template
        .steps
        .iter()
        .filter(move |s| s.instruction.keyword() == keyword)
}
