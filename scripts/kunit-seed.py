#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Make an existing kernel build directory one that kunit.py run keeps.

    kunit-seed.py TREE BUILD_DIR KUNITCONFIG ARCH

``kunit.py run`` keeps the .config of its build directory only when the
kunitconfig, merged with the arch's QEMU config, is a subset of it and the
directory's ``last_used_kunitconfig`` records that same merged kunitconfig;
otherwise it writes a new .config from the kunitconfig alone and the build
starts from nothing. This sets every option of the merged kunitconfig in
BUILD_DIR/.config, runs kunit.py's own olddefconfig, checks with kunit.py's
own validation that every option survived it, and only then writes
``last_used_kunitconfig`` the way kunit.py writes it. The merge, the make
command and the check are TREE's kunit.py code (its internals: a kunit.py
that moved them makes this fail, not pass).

Exits 0 when BUILD_DIR's .config satisfies the kunitconfig.
"""

import os
import sys


def apply_entries(config_path, entries):
    """Rewrite CONFIG_path so each of ENTRIES (KconfigEntry) is set as given."""
    names = {e.name for e in entries}
    kept = []
    with open(config_path) as f:
        for line in f:
            text = line.strip()
            name = None
            if text.startswith('CONFIG_') and '=' in text:
                name = text[len('CONFIG_'):text.index('=')]
            elif text.startswith('# CONFIG_') and text.endswith(' is not set'):
                name = text[len('# CONFIG_'):-len(' is not set')]
            if name not in names:
                kept.append(line)
    with open(config_path, 'w') as f:
        f.writelines(kept)
        for entry in entries:
            f.write(str(entry) + '\n')


def main():
    if len(sys.argv) != 5:
        print('usage: ' + __doc__.splitlines()[2].strip(), file=sys.stderr)
        return 2
    tree, build_dir, kunitconfig = (os.path.abspath(a) for a in sys.argv[1:4])
    arch = sys.argv[4]
    sys.path.insert(0, os.path.join(tree, 'tools', 'testing', 'kunit'))
    import kunit_kernel  # pylint: disable=import-outside-toplevel

    # kunit.py runs from the tree's root: so does its make
    os.chdir(tree)
    linux = kunit_kernel.LinuxSourceTree(build_dir,
                                         kunitconfig_paths=[kunitconfig],
                                         arch=arch)
    # pylint: disable=protected-access
    wanted = linux._ops.make_arch_config(linux._kconfig)
    config_path = kunit_kernel.get_kconfig_path(build_dir)
    apply_entries(config_path, list(wanted.as_entries()))
    linux._ops.make_olddefconfig(build_dir, None)
    linux._kconfig = wanted
    if not linux.validate_config(build_dir):
        return 1
    old_path = kunit_kernel.get_old_kunitconfig_path(build_dir)
    if os.path.exists(old_path):
        os.remove(old_path)  # write_to_file appends
    wanted.write_to_file(old_path)
    print(f'kunit-seed: {build_dir}/.config satisfies {kunitconfig} '
          f'with the {arch} QEMU config ({len(list(wanted.as_entries()))} options)')
    return 0


if __name__ == '__main__':
    sys.exit(main())
