# -*- coding: utf-8 -*-
# Copyright: jailwright developers
# BSD-2-Clause (see LICENSE in the jailwright repository)
"""The apply action: with ``src``, copies a template (file or directory)
from the controller to the managed host first, then runs the apply module
on the copy.

The copy lands at the same path on every run (``src_cache``, then a name
made of the source's absolute path on the controller), because jailwright
keys a template's snapshots by its path: a new path every run would never
be up to date. The copy is made in check mode too (it is jailwright's
cache, not the jail), so that the dry run sees the template a run would.
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
            if args.get("template"):
                raise AnsibleActionFail("src and template are mutually exclusive")
            try:
                source = self._find_needle("files", src)
            except Exception as e:
                raise AnsibleActionFail("src %s: %s" % (src, e))
            source = os.path.abspath(source.rstrip(os.sep))
            digest = hashlib.sha256(to_bytes(source)).hexdigest()[:16]
            dest = "%s/%s-%s/" % (cache.rstrip("/"), os.path.basename(source), digest)
            copied = self._copy(source, dest, task_vars)
            if copied.get("failed"):
                copied["msg"] = "copying src %s to %s: %s" % (source, dest, copied.get("msg", ""))
                return copied
            args["template"] = [dest + os.path.basename(source)]
        result.update(
            self._execute_module(
                module_name="jailwright.jailwright.apply",
                module_args=args,
                task_vars=task_vars,
            )
        )
        self._remove_tmp_path(self._connection._shell.tmpdir)
        return result

    def _copy(self, source, dest, task_vars):
        """The builtin copy action (files and whole directories; it makes
        `dest` and its parents), run even in check mode, without a diff of
        its own."""
        task = self._task.copy()
        task.args.clear()
        task.args.update(dict(src=source, dest=dest, mode="preserve"))
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
