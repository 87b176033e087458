//! JW305: RDR with `-i`, `-s`, `-d` or `-t`. Those options of `bastille
//! rdr` must come before the jail name, which a template cannot do, so
//! they reach rdr.sh as a port and fail.

use super::{BASTILLE, args_span, steps_of};
use crate::document::Document;
use crate::lint::{Report, Rule, Severity};

pub const RULE: Rule = Rule {
    code: "JW305",
    name: "rdr-options",
    severity: Severity::Error,
    dialects: BASTILLE,
    summary: "RDR options (-i, -s, -d, -t) cannot be used from a template",
    check,
    fixable: false,
    opt_in: false,
};

fn check(doc: &Document, report: &mut Report) {
    for step in steps_of(doc, "RDR") {
        if let Some(opt) = step.args.iter().find(|a| a.starts_with('-')) {
            report.emit(
                args_span(doc, step),
                format!(
                    "`{opt}` cannot be given from a template: bastille puts the jail name before it"
                ),
                "use the long form: RDR ipv4|ipv6|dual IF SRC DST tcp|udp HOSTPORT JAILPORT",
            );
        }
    }
}
