//! The conversion codes (`CV`, stable: a code is never reused): what each
//! means, and its page for `jailwright explain CVnnn`.

/// A conversion code and its page.
pub struct Code {
    pub code: &'static str,
    /// One line: what does not carry over.
    pub summary: &'static str,
    /// Whether the construct is dropped (reported as a warning) or carried
    /// by other means (info); some codes are either.
    pub outcome: &'static str,
    /// Why, and what to do.
    pub page: &'static str,
}

/// Every conversion code, in order.
pub const ALL: &[Code] = &[
    Code {
        code: "CV001",
        summary: "ARG has no equivalent in the target (pot flavours have no parameters)",
        outcome: "carried by other means",
        page: "A pot flavour takes no arguments: `pot create -f NAME` runs the command file and the script \
with nothing to set. An ARG becomes a variable at the top of the flavour script, \
`NAME=\"${NAME:-default}\"`, or `NAME=\"${NAME:?required: ...}\"` when it has no default, so the \
script reads it from its environment (`pot create` passes its own environment to the script; \
`jailwright plan --env NAME=VALUE` does the same).\n\n\
What to do: set the variable in the environment of `pot create`, or edit the default in the script.",
    },
    Code {
        code: "CV002",
        summary: "a step creates or configures the jail itself (the manager does that)",
        outcome: "dropped",
        page: "Makejail OPTION and FROM, DESTROY, and START/STOP for pot describe the jail, not what runs in \
it. Each manager creates jails with its own command (`bastille create`, `appjail quick`, \
`pot create`), so these become a `# jailwright CV002` comment in the output.\n\n\
What to do: give the same settings to the target manager's create command.",
    },
    Code {
        code: "CV003",
        summary: "a Makejail stage other than build (the target has no stages)",
        outcome: "dropped",
        page: "A Makejail's `STAGE start`, `STAGE cmd`, `STAGE custom:NAME` ... run at other times \
(`appjail start`, `appjail run -s`). Bastillefiles and pot flavours run once, when applied, so \
only the build stage carries over.\n\n\
What to do: run those steps from the target manager's own hooks, or apply them as a separate \
template.",
    },
    Code {
        code: "CV004",
        summary: "host-side code (RAW, CMD --local, ...) the target cannot run",
        outcome: "dropped",
        page: "RAW, `CMD --local`, `CMD --chroot`, `PKG --chroot` and `COPY --glob` run on the host, \
not in the jail. Bastille templates and pot flavours run only in the jail (pot's script runs \
through jexec), so host code has nowhere to go.\n\n\
What to do: run it on the host before or after applying the template.",
    },
    Code {
        code: "CV005",
        summary: "manager state: jail.conf, limits, tags, labels, devices, volumes, pot attributes",
        outcome: "dropped",
        page: "CONFIG and SET (other than boot and the jail parameters the target has), LIMITS, TAGS, \
LABEL, DEVICE, VOLUME, pot attributes with no counterpart, set-cmd, set-env, add-dep and \
set-rss are the manager's records of the jail, kept in its own configuration.\n\n\
What to do: configure it with the target manager's own commands (e.g. `bastille limits`, \
`appjail limits`, `pot set-rss`).",
    },
    Code {
        code: "CV006",
        summary: "INCLUDE of another template (convert that template too)",
        outcome: "dropped",
        page: "An INCLUDE names another template, which is converted separately. A local Makejail \
INCLUDE is flattened when the template is read with its includes; a remote one, or a Bastille \
INCLUDE of a `project/template`, is left as a comment.\n\n\
What to do: convert the included template too and apply it before this one.",
    },
    Code {
        code: "CV007",
        summary: "file templating that works differently (RENDER, REPLACE)",
        outcome: "dropped",
        page: "Bastille's RENDER substitutes ARGs in files already in the jail; a Makejail REPLACE with \
a keyword AppJail would refuse cannot be written as the same edit.\n\n\
What to do: ship the file already filled in, or edit it with sed in a CMD.",
    },
    Code {
        code: "CV008",
        summary: "approximated: same effect by other means, check it",
        outcome: "carried by other means",
        page: "The step is carried, but not by the same instruction: LINE_IN_FILE and REPLACE become the \
shell the manager runs for them; a multi-line script is shipped with the template and run \
whole; a port redirection adds the virtual network AppJail's expose needs; pot's export-ports \
works only on a bridged pot; a jail parameter set on a running jail takes effect at its next \
restart.\n\n\
What to do: read the converted lines and check them against what the source meant.",
    },
    Code {
        code: "CV009",
        summary: "pot runs its command file before its script: a copy was staged",
        outcome: "carried by other means",
        page: "pot runs every line of a flavour's command file (copy-in ...) before its script. A copy \
that the source made after a script step, a directory copy, or a copy into /tmp (a tmpfs that \
the start before the script mounts afresh) is copied to `/root/.jailwright-stage/N` by the \
command file and moved into place by the script, at its turn.\n\n\
What to do: nothing; the result is the source's order. Keep the staging lines together when \
editing.",
    },
    Code {
        code: "CV010",
        summary: "a word the target cannot hold (pot words have no quoting)",
        outcome: "carried by other means",
        page: "pot splits a command file's lines on blanks and has no quoting, so a path or value with a \
blank in it cannot be a copy-in or mount-in word. The step goes to the flavour script instead.\n\n\
What to do: nothing, or rename the path.",
    },
    Code {
        code: "CV011",
        summary: "a line the source manager itself rejects or ignores",
        outcome: "dropped",
        page: "A line the source's own manager skips (a pot command file's comment or unknown command: \
pot says \"not valid - ignoring\") did nothing there, so \
it is not turned into a line that runs in the target.\n\n\
What to do: fix the source (`jailwright lint` says how) and convert again.",
    },
    Code {
        code: "CV012",
        summary: "interactive step (LOGIN)",
        outcome: "dropped",
        page: "A Makejail LOGIN opens an interactive shell in the jail. A template applied by another \
manager runs unattended.\n\n\
What to do: log in yourself after applying (`bastille console`, `pot term`).",
    },
    Code {
        code: "CV013",
        summary: "a variable the target does not provide (Bastille's JAIL_IP, one no ARG declares)",
        outcome: "carried by other means",
        page: "Bastille substitutes `${JAIL_NAME}`, `${JAIL_IP}` and `${JAIL_IP6}`; the other managers \
do not provide the addresses, so they become a required ARG. A bare `$NAME` of a Bastille \
ARG is empty under bastille (only `${NAME}` is substituted) but would be the value elsewhere.\n\n\
What to do: pass the value when applying the converted template (`--arg`, `-V`, the \
environment of `pot create`).",
    },
];

/// The code and its summary, as the conversion reports name them.
pub fn summary(code: &str) -> Option<&'static str> {
    find(code).map(|c| c.summary)
}

pub fn find(code: &str) -> Option<&'static Code> {
    ALL.iter().find(|c| c.code.eq_ignore_ascii_case(code))
}

/// `jailwright explain CVnnn`.
pub fn explain(code: &str) -> Option<String> {
    let c = find(code)?;
    Some(format!(
        "{} (conversion)\n  outcome: {}\n\n{}\n\n{}\n",
        c.code, c.outcome, c.summary, c.page
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_in_order_and_unique() {
        for (i, c) in ALL.iter().enumerate() {
            assert_eq!(c.code, format!("CV{:03}", i + 1));
        }
    }
}
