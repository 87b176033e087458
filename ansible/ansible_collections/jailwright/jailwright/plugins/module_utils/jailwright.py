# -*- coding: utf-8 -*-
# Copyright: jailwright developers
# BSD-2-Clause (see LICENSE in the jailwright repository)
"""What the jailwright modules share: the binary's command lines and its
JSON output. The modules never read jailwright's text output: apply's
``--format json`` ends with one ``result`` object, lint's is one document.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import re
import shlex

# Options every command that reads a template takes (plan, apply, lint).
TEMPLATE_OPTIONS = dict(
    dialect=dict(type="str", choices=["bastille", "makejail", "pot"]),
    args=dict(type="dict", default={}),
    build_args=dict(type="dict", default={}),
    fetch_includes=dict(type="bool", default=False),
    executable=dict(type="path", default="jailwright"),
)

# plan's and apply's options that say where the template runs and how.
TARGET_OPTIONS = dict(
    template=dict(type="list", elements="path"),
    jail=dict(type="str"),
    root=dict(type="path"),
    stage=dict(type="str"),
    env=dict(type="dict", default={}),
    jail_name=dict(type="str"),
    jail_ip=dict(type="str"),
    jail_ip6=dict(type="str"),
    bastille_templates=dict(type="path"),
)

# Only apply's.
APPLY_OPTIONS = dict(
    dataset=dict(type="str"),
    snapshots=dict(type="str", default="auto", choices=["auto", "on", "off"]),
    no_cache=dict(type="bool", default=False),
    keep_failed=dict(type="bool", default=False),
    discard_changes=dict(type="bool", default=False),
    refuse_changes=dict(type="bool", default=False),
)


def executable(module):
    """The jailwright binary: a path, or a name looked up on PATH."""
    name = module.params["executable"]
    if os.sep in name:
        if not (os.path.isfile(name) and os.access(name, os.X_OK)):
            module.fail_json(msg="jailwright executable %s is not an executable file" % name)
        return name
    return module.get_bin_path(name, required=True)


# A template argument's name, as every dialect declares one.
NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def check_pairs(module, option, values):
    """Fails the task on a name no template can declare or a value that
    cannot reach it whole (a list, a dict, a newline)."""
    for name, value in (values or {}).items():
        if not NAME.match(str(name)):
            module.fail_json(msg="%s: %r is not a variable name (letters, digits, _)" % (option, name))
        if isinstance(value, (list, dict)):
            module.fail_json(msg="%s: the value of %s is a %s, not a string" % (option, name, type(value).__name__))
        if value is not None and ("\n" in str(value) or "\r" in str(value)):
            module.fail_json(msg="%s: the value of %s holds a line break, which no dialect passes on" % (option, name))


def check_params(module):
    """The dict options' names and values."""
    for option in ("args", "build_args", "env"):
        if option in module.params:
            check_pairs(module, option, module.params.get(option))


def pairs(flag, values):
    """A dict as repeated ``--flag=NAME=VALUE`` (booleans as true/false);
    the ``=`` form keeps a value that starts with ``-`` a value."""
    argv = []
    for name in sorted(values):
        value = values[name]
        if isinstance(value, bool):
            value = "true" if value else "false"
        elif value is None:
            value = ""
        argv.append("%s=%s=%s" % (flag, name, value))
    return argv


def template_argv(params):
    """The options every template-reading command takes."""
    argv = []
    if params.get("dialect"):
        argv.append("--dialect=" + params["dialect"])
    argv += pairs("--arg", params.get("args") or {})
    argv += pairs("--build-arg", params.get("build_args") or {})
    if params.get("fetch_includes"):
        argv.append("--fetch-includes")
    return argv


def target_argv(params):
    """plan's and apply's: the target, the stage, the jail's facts."""
    argv = []
    if params.get("jail"):
        argv.append("--jail=" + params["jail"])
    if params.get("root"):
        argv.append("--root=" + params["root"])
    for option, flag in (
        ("stage", "--stage"),
        ("jail_name", "--jail-name"),
        ("jail_ip", "--jail-ip"),
        ("jail_ip6", "--jail-ip6"),
        ("bastille_templates", "--bastille-templates"),
    ):
        if params.get(option):
            argv.append("%s=%s" % (flag, params[option]))
    argv += pairs("--env", params.get("env") or {})
    return argv + template_argv(params)


def apply_argv(params):
    """apply's own options."""
    argv = ["--snapshots=" + params["snapshots"]]
    if params.get("dataset"):
        argv.append("--dataset=" + params["dataset"])
    for option in ("no_cache", "keep_failed", "discard_changes", "refuse_changes"):
        if params.get(option):
            argv.append("--" + option.replace("_", "-"))
    return argv


def result_of(stdout):
    """apply's closing ``result`` object, or None when the run stopped
    before it (a refusal: the reason is on standard error). It is the last
    line of the stream: read from the end, so that a chatty run's output
    lines are not parsed (lines that are not JSON are skipped)."""
    for line in reversed(stdout.splitlines()):
        line = line.strip()
        if not line.startswith("{"):
            continue
        try:
            event = json.loads(line)
        except ValueError:
            continue
        if event.get("event") == "result":
            return event
    return None


def failure_message(result):
    """One message for a failed run: the step and where it is, its
    command, exit status and output tail, and what became of the root."""
    failed = result.get("failed") or {}
    parts = []
    step = failed.get("step")
    if step is not None:
        row = next((r for r in result.get("steps", []) if r.get("step") == step), None)
        if row is not None:
            parts.append(
                "step %s (%s at %s:%s) failed"
                % (step, row.get("instruction"), row.get("file"), row.get("line", 0))
            )
    parts.append(failed.get("error") or "apply failed")
    if failed.get("tail"):
        parts.append("output (last lines):\n" + failed["tail"])
    if failed.get("rollback"):
        parts.append(failed["rollback"])
    return "\n".join(parts)


def quote(argv):
    """A command line as a shell would read it."""
    return " ".join(shlex.quote(a) for a in argv)


def plan_diff(result, plan):
    """Diff mode: the plan as text, each step marked with what a run does
    with it (``+`` runs or would run, `` `` reused, ``!`` failed)."""
    marks = {"ran": "+", "would_run": "+", "failed": "!", "reused": " ", "not_run": "-"}
    by_step = dict((r.get("step"), r) for r in result.get("steps", []))
    lines = []
    for step in plan.get("steps", []):
        row = by_step.get(step.get("step"), {})
        status = row.get("status", "not_run")
        lines.append(
            "%s [%s] %s  %s:%s  (%s)"
            % (
                marks.get(status, "?"),
                step.get("step"),
                step.get("name"),
                step.get("file"),
                step.get("line"),
                status.replace("_", " "),
            )
        )
        if status in ("ran", "would_run", "failed"):
            for action in step.get("actions", []):
                if "argv" in action:
                    lines.append("      " + quote(action["argv"]))
                else:
                    lines.append("      " + json.dumps(action, sort_keys=True))
            if step.get("note"):
                lines.append("      # " + step["note"])
    return "\n".join(lines) + "\n"
