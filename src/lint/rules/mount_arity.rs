//! JW304: MOUNT with a field count `bastille mount` rejects. It accepts a
//! host path and a jail path (then `nullfs ro 0 0`), or all six fstab
//! fields (mount.sh:68-110).

use super::{BASTILLE, args_span, steps_of};
use crate::document::Document;
use crate::lint::{Report, Rule, Severity};

pub const RULE: Rule = Rule {
    code: "JW304",
    name: "mount-arity",
    severity: Severity::Error,
    dialects: BASTILLE,
    summary: "MOUNT needs 2 fields (host and jail path) or all 6 fstab fields",
    check,
    fixable: false,
    opt_in: false,
};

fn check(doc: &Document, report: &mut Report) {
    for step in steps_of(doc, "MOUNT") {
        let n = step.args.len();
        if n != 2 && n != 6 {
            report.emit(
                args_span(doc, step),
                format!("MOUNT takes 2 or 6 fields, found {n}"),
                "write MOUNT HOSTPATH JAILPATH, or MOUNT HOSTPATH JAILPATH TYPE OPTIONS DUMP PASS",
            );
        }
    }
}
