# -*- coding: utf-8 -*-
# Copyright: jailwright developers
# BSD-2-Clause (see LICENSE in the jailwright repository)
"""The apply action: with ``src``, copies a template (file or directory)
from the controller to the managed host first, then runs the apply module
on the copy.

The copy lands at the same path on every run (``src_cache``, then a name
made of ``src`` as the task writes it and the inventory host), because
jailwright keys a template's snapshots by its path: a new path every run
(or on every controller, whatever its checkout's path) would never be up
to date. Inventory hosts that are jails of one machine get a copy each,
so that applying them at once never swaps one's copy under another. The
copy is the source's exact image: it is made beside the old one and
swapped in, so a file deleted from the source is gone from the copy too
(a stale file would reach the jail through CP). It is made in check mode
too (it is jailwright's cache, not the jail), so that the dry run sees the
template a run would.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import os

from ansible.errors import AnsibleActionFail
from ansible.module_utils.common.text.converters import to_bytes
from ansible.plugins.action import ActionBase


class ActionModule(ActionBase):
    TRANSFERS_FILES = True

    def run(self, tmp=None, task_vars=None):
        task_vars = task_vars or {}
        result = super(ActionModule, self).run(tmp, task_vars)
        del tmp
        args = dict(self._task.args)
        src = args.pop("src", None)
        cache = args.pop("src_cache", None) or "/var/cache/jailwright/ansible"
        if src is not None:
            if not str(src).strip():
                raise AnsibleActionFail("src is empty: name a template file or directory on the controller")
            if args.get("template"):
                raise AnsibleActionFail("src and template are mutually exclusive")
            try:
                source = self._find_needle("files", src)
            except Exception as e:
                raise AnsibleActionFail("src %s: %s" % (src, e))
            source = os.path.abspath(source.rstrip(os.sep))
            name = os.path.basename(source)
            # One copy per src and inventory host: several hosts of the
            # inventory may be jails of one machine, applied at once.
            key = "%s\0%s" % (str(src).rstrip("/"), task_vars.get("inventory_hostname", ""))
            digest = hashlib.sha256(to_bytes(key)).hexdigest()[:16]
            dest = "%s/%s-%s" % (cache.rstrip("/"), name, digest)
            failed = self._replace(source, dest, task_vars)
            if failed is not None:
                return failed
            args["template"] = ["%s/%s" % (dest, name)]
        result.update(
            self._execute_module(
                module_name="jailwright.jailwright.apply",
                module_args=args,
                task_vars=task_vars,
            )
        )
        self._remove_tmp_path(self._connection._shell.tmpdir)
        return result

    def _replace(self, source, dest, task_vars):
        """Copies `source` to `dest.new/` on the managed host, then swaps it
        in for `dest`. None when done, else the failed result."""
        fresh = dest + ".new"
        old = dest + ".old"
        failed = self._shell(["rm", "-rf", "--", fresh, old], task_vars)
        if failed is None:
            copied = self._copy(source, fresh + "/", task_vars)
            if copied.get("failed"):
                copied["msg"] = "copying src %s to %s: %s" % (source, fresh, copied.get("msg", ""))
                return copied
            failed = self._shell(
                ["sh", "-c", 'if [ -e "$1" ]; then mv -- "$1" "$2"; fi && mv -- "$3" "$1" && rm -rf -- "$2"',
                 "swap", dest, old, fresh],
                task_vars,
            )
        return failed

    def _shell(self, argv, task_vars):
        """Runs `argv` on the managed host (no shell of ours reads it);
        None when it succeeded, else the failed result."""
        check_mode = self._task.check_mode
        self._task.check_mode = False  # the cache is written in check mode too
        try:
            done = self._execute_module(
                module_name="ansible.legacy.command",
                module_args=dict(argv=argv),
                task_vars=task_vars,
            )
        finally:
            self._task.check_mode = check_mode
        if done.get("failed") or done.get("rc", 0) != 0:
            done["failed"] = True
            done["msg"] = "%s: %s" % (" ".join(argv[:3]), done.get("stderr") or done.get("msg", ""))
            return done
        return None

    def _copy(self, source, dest, task_vars):
        """The builtin copy action (files and whole directories; it makes
        `dest` and its parents), run even in check mode, without a diff of
        its own, links copied as links."""
        task = self._task.copy()
        task.args.clear()
        # A link in the template is copied as a link: never followed on the
        # controller, where it could name any of the controller's files.
        task.args.update(dict(src=source, dest=dest, mode="preserve", local_follow=False))
        task.check_mode = False
        task.diff = False
        copy = self._shared_loader_obj.action_loader.get(
            "ansible.legacy.copy",
            task=task,
            connection=self._connection,
            play_context=self._play_context,
            loader=self._loader,
            templar=self._templar,
            shared_loader_obj=self._shared_loader_obj,
        )
        return copy.run(task_vars=task_vars)
