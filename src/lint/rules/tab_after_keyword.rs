//! JW104: a tab right after the keyword. Arguments start after the first
//! *space*, so everything up to it is silently lost (`PKG<TAB>a b` installs
//! only `b`).

use super::BASTILLE;
use crate::dialect::bastille::lines;
use crate::document::Document;
use crate::ir::Layout;
use crate::lint::{Edit, Report, Rule, Severity};

pub const RULE: Rule = Rule {
    code: "JW104",
    name: "tab-after-keyword",
    severity: Severity::Error,
    dialects: BASTILLE,
    summary: "a tab after the keyword makes bastille drop the first argument",
    check,
    fixable: true,
    opt_in: false,
};

fn check(doc: &Document, report: &mut Report) {
    if doc.template.layout != Layout::File {
        return;
    }
    for step in &doc.template.steps {
        let line = &doc.lines[step.line_index].text;
        let split = lines::split(line);
        let after = split.keyword_start + split.keyword.len();
        // A space-indented line has no keyword of its own (JW103).
        if line.starts_with(' ') || !line[after..].starts_with('\t') {
            continue;
        }
        let lost_end = line[after..].find(' ').map_or(line.len(), |i| after + i);
        let lost = line[after..lost_end].trim();
        let message = if lost.is_empty() {
            "a tab separates the keyword from its arguments: bastille only splits at a space"
                .to_string()
        } else {
            format!(
                "a tab follows the keyword: bastille drops `{lost}`, everything before the first space"
            )
        };
        let blanks = line[after..].len() - line[after..].trim_start_matches([' ', '\t']).len();
        let gap = doc.span_in_line(step.line_index, after, after + blanks);
        report.emit_fixed(
            doc.span_in_line(step.line_index, after, lost_end),
            message,
            "separate the keyword from its arguments with one space",
            vec![Edit::replace(gap.start, gap.end, " ")],
        );
    }
}
