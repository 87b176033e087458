#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: jailwright developers
# BSD-2-Clause (see LICENSE in the jailwright repository)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: lint
short_description: Lint jail templates with jailwright and gate on the findings
description:
  - Runs C(jailwright lint --format json) over templates or directories of
    templates and returns every finding as data.
  - Fails when a finding reaches O(failure_threshold), with the findings in
    the result and the first of them in C(msg). Never changes anything.
version_added: 0.1.0
author:
  - jailwright developers (@jailwright)
options:
  paths:
    description: Template files or directories (searched for templates).
    type: list
    elements: path
    required: true
  failure_threshold:
    description:
      - The lowest severity that fails the task; C(none) never fails on a
        finding. Default, the configuration's (C(.jailwright.toml)), else C(error).
    type: str
    choices: [error, warning, info, none]
  shellcheck:
    description: Run ShellCheck on the templates' shell text (JW901).
    type: bool
    default: true
  config:
    description: A configuration file (default, the nearest C(.jailwright.toml) above each template).
    type: path
  select:
    description: Only these rules (codes or prefixes).
    type: list
    elements: str
    default: []
  ignore:
    description: Not these rules (codes or prefixes).
    type: list
    elements: str
    default: []
  dialect:
    description: The dialect, when file names do not tell.
    type: str
    choices: [bastille, makejail, pot]
  args:
    description: Template arguments, each passed as C(--arg NAME=VALUE).
    type: dict
    default: {}
  build_args:
    description: Makejail build arguments, each as C(--build-arg NAME=VALUE).
    type: dict
    default: {}
  fetch_includes:
    description: Fetch remote INCLUDEs (pinned in C(jailwright.lock)).
    type: bool
    default: false
  executable:
    description: The jailwright binary, a path or a name on PATH.
    type: str
    default: jailwright
attributes:
  check_mode:
    description: Lint never changes anything; check mode runs it the same.
    support: full
  diff_mode:
    description: No diff.
    support: none
"""

EXAMPLES = r"""
- name: Gate the rollout on the templates (on the controller)
  jailwright.jailwright.lint:
    paths: [templates/]
    failure_threshold: warning
  delegate_to: localhost
  run_once: true
"""

RETURN = r"""
findings:
  description: Every finding, as C(jailwright lint --format json) gives it.
  returned: always
  type: list
  elements: dict
  contains:
    code: {description: "The rule's code (JW909).", type: str}
    rule: {description: The rule's name., type: str}
    severity: {description: "error, warning or info.", type: str}
    file: {description: The template., type: str}
    line: {description: Line (from 1)., type: int}
    column: {description: Column (from 1)., type: int}
    message: {description: What is wrong., type: str}
    help: {description: How to fix it., type: str}
summary:
  description: Counts of templates, errors, warnings and infos.
  returned: always
  type: dict
cmd:
  description: The jailwright command line run.
  returned: always
  type: list
  elements: str
rc:
  description: jailwright's exit status (0 no finding at the threshold, 1 findings at it).
  returned: always
  type: int
"""

import json

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.jailwright.jailwright.plugins.module_utils.jailwright import (
    TEMPLATE_OPTIONS,
    check_params,
    executable,
    template_argv,
)


def where(finding):
    return "%s:%s:%s: %s %s: %s" % (
        finding.get("file"),
        finding.get("line"),
        finding.get("column"),
        finding.get("severity"),
        finding.get("code"),
        finding.get("message"),
    )


RANK = dict(info=0, warning=1, error=2)


def at_threshold(findings, threshold):
    """The findings that fail the run: at or above the threshold, when the
    task names it (else the configuration's, which only jailwright knows:
    every finding)."""
    if threshold not in RANK:
        return findings
    return [f for f in findings if RANK.get(f.get("severity"), 2) >= RANK[threshold]]


def main():
    spec = dict(TEMPLATE_OPTIONS)
    spec.update(
        paths=dict(type="list", elements="path", required=True),
        failure_threshold=dict(type="str", choices=["error", "warning", "info", "none"]),
        shellcheck=dict(type="bool", default=True),
        config=dict(type="path"),
        select=dict(type="list", elements="str", default=[]),
        ignore=dict(type="list", elements="str", default=[]),
    )
    module = AnsibleModule(argument_spec=spec, supports_check_mode=True)
    params = module.params
    check_params(module)
    argv = [executable(module), "lint", "--format=json", "--color=never"]
    if params.get("failure_threshold"):
        argv.append("--failure-threshold=" + params["failure_threshold"])
    if not params["shellcheck"]:
        argv.append("--no-shellcheck")
    if params.get("config"):
        argv.append("--config=" + params["config"])
    for selector in params["select"]:
        argv.append("--select=" + selector)
    for selector in params["ignore"]:
        argv.append("--ignore=" + selector)
    argv += template_argv(params) + ["--"] + params["paths"]
    rc, out, err = module.run_command(argv, check_rc=False, environ_update=dict(NO_COLOR="1"))
    try:
        report = json.loads(out)
    except ValueError:
        report = None
    if rc not in (0, 1) or report is None:
        module.fail_json(
            msg="jailwright lint could not lint (exit %d): %s" % (rc, err.strip()),
            rc=rc,
            stderr=err,
            cmd=argv,
            changed=False,
        )
    findings = report.get("diagnostics", [])
    ret = dict(changed=False, findings=findings, summary=report.get("summary", {}), cmd=argv, rc=rc)
    if rc == 1:
        failing = at_threshold(findings, params.get("failure_threshold"))
        shown = [where(f) for f in failing[:10]]
        more = len(failing) - len(shown)
        module.fail_json(
            msg="jailwright lint: findings at or above the failure threshold:\n%s%s"
            % ("\n".join(shown), "\n... and %d more" % more if more > 0 else ""),
            **ret
        )
    module.exit_json(**ret)


if __name__ == "__main__":
    main()
