#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: jailwright developers
# BSD-2-Clause (see LICENSE in the jailwright repository)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: apply
short_description: Apply a jail template (Bastillefile, Makejail, pot flavour) with jailwright
description:
  - Runs C(jailwright apply) on the managed host against a running jail or
    an offline jail root, with a ZFS snapshot after every step. Steps whose
    snapshots are still good are reused, so a second run of an unchanged
    template on an unchanged target changes nothing (C(changed=false)).
  - Reads the binary's C(--format json) event stream; never its text.
  - In check mode runs C(jailwright apply --dry-run), which decides from the
    dataset's snapshots, as a run would, which steps would run; nothing on
    the host changes. C(changed) is true when any step would run.
  - In diff mode returns the plan, each step marked with what the run did
    (or would do) with it, and the host commands of the steps that run.
  - With O(src), the action plugin first copies the template (a file or a
    directory) from the controller to O(src_cache) on the managed host, at a
    path that stays the same from run to run (jailwright keys its snapshots
    by the template's path). That copy is made in check mode too; it is
    jailwright's cache, never the jail.
version_added: 0.1.0
author:
  - jailwright developers (@jailwright)
options:
  template:
    description:
      - The template on the managed host, a file or a template directory;
        for pot, several flavours in order. Required unless O(src) is given.
    type: list
    elements: path
  src:
    description:
      - A template (file or directory) on the controller, copied to the
        managed host first (action plugin). Mutually exclusive with O(template).
    type: path
  src_cache:
    description:
      - Where on the managed host O(src) is copied (one directory per source).
    type: path
    default: /var/cache/jailwright/ansible
  jail:
    description: A running jail, by name or JID (C(jexec)). One of O(jail) and O(root) is required.
    type: str
  root:
    description: A jail's root directory, built offline through C(chroot).
    type: path
  dataset:
    description: The ZFS dataset holding the root (found from the mountpoint if not given).
    type: str
  snapshots:
    description:
      - C(auto) snapshots when the root is a dataset's mountpoint, C(on)
        fails when it is not, C(off) never snapshots (no rollback, and every
        run runs every step).
    type: str
    choices: ["auto", "on", "off"]
    default: auto
  args:
    description: Template arguments, each passed as C(--arg NAME=VALUE).
    type: dict
    default: {}
  build_args:
    description: Makejail build arguments C(%{NAME}), each as C(--build-arg NAME=VALUE).
    type: dict
    default: {}
  env:
    description: Environment of a pot flavour's script, each as C(--env NAME=VALUE).
    type: dict
    default: {}
  stage:
    description: The Makejail stage to run (default C(build)).
    type: str
  dialect:
    description: The template's dialect, when file names do not tell.
    type: str
    choices: [bastille, makejail, pot]
  jail_name:
    description: The jail's name, substituted for C(${JAIL_NAME}).
    type: str
  jail_ip:
    description: The jail's IPv4 address, substituted for C(${JAIL_IP}).
    type: str
  jail_ip6:
    description: The jail's IPv6 address, substituted for C(${JAIL_IP6}).
    type: str
  bastille_templates:
    description: Where a Bastillefile's C(INCLUDE project/template) is looked up first.
    type: path
  no_cache:
    description: Run every step, reusing no snapshot.
    type: bool
    default: false
  keep_failed:
    description: Leave the state of a failed step instead of rolling back.
    type: bool
    default: false
  discard_changes:
    description: Roll back to the cached steps even when the jail wrote since the last run (what it wrote is lost).
    type: bool
    default: false
  refuse_changes:
    description: Fail, changing nothing, when the jail wrote since the template's last run.
    type: bool
    default: false
  fetch_includes:
    description:
      - Fetch remote INCLUDEs, pinned in C(jailwright.lock) beside the template
        (in check mode too, since the pins are the template's, not the jail's).
    type: bool
    default: false
  executable:
    description: The jailwright binary on the managed host, a path or a name on PATH.
    type: str
    default: jailwright
attributes:
  check_mode:
    description: Runs C(jailwright apply --dry-run), which changes nothing on the host (the O(src) copy aside).
    support: full
  diff_mode:
    description: Returns the plan, each step marked with what the run did or would do.
    support: full
notes:
  - Without ZFS snapshots every run runs every step, so C(changed) is
    always true; use a dataset (O(snapshots=on)) for idempotent runs.
"""

EXAMPLES = r"""
- name: Apply the web template to the www jail's root
  jailwright.jailwright.apply:
    template: /usr/local/bastille/templates/site/web
    root: /usr/local/bastille/jails/www/root
    snapshots: "on"
    args:
      DOMAIN: example.org

- name: Copy a template from the controller and apply it to a running jail
  jailwright.jailwright.apply:
    src: templates/web
    jail: www

- name: What would run (check mode), with the plan as a diff
  jailwright.jailwright.apply:
    template: /srv/templates/web/Bastillefile
    root: /jails/www
  check_mode: true
  diff: true
"""

RETURN = r"""
changed:
  description: A step ran (or in check mode would run) and its changes stand.
  returned: always
  type: bool
steps_run:
  description: How many steps ran (check mode, would run).
  returned: success or a failed step
  type: int
steps_reused:
  description: How many steps were reused from their snapshots.
  returned: success or a failed step
  type: int
up_to_date:
  description: Nothing ran; the template, its files and arguments are those of the last run.
  returned: when the run started
  type: bool
diverged:
  description: The jail wrote since the template's last run; the steps ran on its current state.
  returned: when the run started
  type: bool
snapshots:
  description: Whether the run took ZFS snapshots.
  returned: success or a failed step
  type: bool
dry_run:
  description: Check mode; nothing ran.
  returned: when the run started
  type: bool
steps:
  description: Every step of the template and what became of it.
  returned: success or a failed step
  type: list
  elements: dict
  contains:
    step: {description: "The step's number, from 1.", type: int}
    file: {description: The template file it comes from., type: str}
    line: {description: Its line in that file., type: int}
    instruction: {description: "Its instruction (CMD, PKG, ...).", type: str}
    status: {description: "ran, reused, failed, not_run or would_run.", type: str}
    millis: {description: "How long it ran (milliseconds), when it ran.", type: int}
failed_step:
  description: The failed step's command, exit status, output tail and what became of the root.
  returned: failure
  type: dict
rolled_back:
  description:
    - The root was rolled back to a snapshot before the steps ran (O(discard_changes), or
      what a killed run left), so what the jail wrote since is gone (check mode, would be).
  returned: when the run started
  type: bool
cmd:
  description: The jailwright command line run.
  returned: always
  type: list
  elements: str
rc:
  description: jailwright's exit status (0 done, 1 a step failed or refused, 2 a usage or host error).
  returned: always
  type: int
stderr:
  description: What jailwright printed on standard error.
  returned: always
  type: str
diff:
  description: The plan in diff mode (C(prepared)).
  returned: in diff mode, when the plan could be made
  type: dict
"""

import json

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.jailwright.jailwright.plugins.module_utils.jailwright import (
    APPLY_OPTIONS,
    TARGET_OPTIONS,
    TEMPLATE_OPTIONS,
    apply_argv,
    check_params,
    executable,
    failure_message,
    plan_diff,
    result_of,
    target_argv,
)


def argument_spec():
    spec = dict(TEMPLATE_OPTIONS)
    spec.update(TARGET_OPTIONS)
    spec.update(APPLY_OPTIONS)
    # Handled by the action plugin on the controller; accepted here so that
    # the module's documentation and argument checking know them.
    spec.update(src=dict(type="path"), src_cache=dict(type="path", default="/var/cache/jailwright/ansible"))
    return spec


def plan_of(module, binary, target):
    """``jailwright plan --format json`` of the same template and target."""
    argv = [binary, "plan", "--format=json", "--color=never"] + target
    rc, out, err = module.run_command(argv, check_rc=False)
    if rc != 0:
        return None
    try:
        return json.loads(out)
    except ValueError:
        return None


def main():
    module = AnsibleModule(
        argument_spec=argument_spec(),
        mutually_exclusive=[("jail", "root"), ("discard_changes", "refuse_changes")],
        required_one_of=[("jail", "root"), ("template", "src")],
        supports_check_mode=True,
    )
    params = module.params
    check_params(module)
    if not params.get("template"):
        module.fail_json(msg="template is required on the managed host (src needs the collection's action plugin)")
    binary = executable(module)
    target = target_argv(params) + ["--"] + params["template"]
    argv = [binary, "apply", "--format=json", "--color=never"] + apply_argv(params)
    if module.check_mode:
        argv.append("--dry-run")
    argv += target
    rc, out, err = module.run_command(argv, check_rc=False, environ_update=dict(NO_COLOR="1"))
    result = result_of(out)
    if result is None:
        module.fail_json(
            msg="jailwright apply stopped before any step (exit %d): %s" % (rc, err.strip()),
            rc=rc,
            stderr=err,
            cmd=argv,
            changed=False,
        )
    ret = dict(
        changed=bool(result.get("changed")),
        steps_run=result.get("steps_run", 0),
        steps_reused=result.get("steps_reused", 0),
        up_to_date=bool(result.get("up_to_date")),
        diverged=bool(result.get("diverged")),
        rolled_back=bool(result.get("rolled_back")),
        snapshots=bool(result.get("snapshots")),
        dry_run=bool(result.get("dry_run")),
        steps=result.get("steps", []),
        cmd=argv,
        rc=rc,
        stderr=err,
    )
    if module._diff:
        plan = plan_of(module, binary, target)
        if plan is not None:
            ret["diff"] = dict(prepared=plan_diff(result, plan))
    if not result.get("ok"):
        ret["failed_step"] = result.get("failed")
        msg = failure_message(result)
        if not result.get("failed") and err.strip():
            msg += "\n" + err.strip()
        module.fail_json(msg=msg, **ret)
    module.exit_json(**ret)


if __name__ == "__main__":
    main()
