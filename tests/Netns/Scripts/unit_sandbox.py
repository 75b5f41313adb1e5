#!/usr/bin/env python3
"""Runs a command the way a systemd unit's sandbox would, as far as the kernel alone can:
the capability bounding set cut down to the unit's CapabilityBoundingSet (and the inheritable set
emptied, so root gets exactly those), NoNewPrivileges, and MemoryDenyWriteExecute as the kernel's
PR_SET_MDWE (no mapping both writable and executable, none made executable later).
Usage: unit_sandbox.py "CAP_NET_ADMIN CAP_NET_BIND_SERVICE" -- COMMAND [ARG...]"""
import ctypes
import os
import sys

CAPS = ["CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL",
        "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE",
        "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE",
        "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT",
        "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE",
        "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG",
        "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE"]
PR_CAPBSET_READ, PR_CAPBSET_DROP, PR_SET_NO_NEW_PRIVS = 23, 24, 38
PR_SET_MDWE, PR_GET_MDWE, PR_MDWE_REFUSE_EXEC_GAIN = 65, 66, 1

libc = ctypes.CDLL(None, use_errno=True)


def check(result, what):
    if result < 0:
        sys.exit(f"unit_sandbox.py: {what} failed: {os.strerror(ctypes.get_errno())}")
    return result


class CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class CapData(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]


def main():
    keep, separator, command = sys.argv[1], sys.argv[2], sys.argv[3:]
    if separator != "--" or not command:
        sys.exit(__doc__)
    kept = set(keep.split())
    unknown = kept - set(CAPS)
    if unknown:
        sys.exit(f"unit_sandbox.py: unknown capabilities {sorted(unknown)}")
    for number, name in enumerate(CAPS):
        if name not in kept and libc.prctl(PR_CAPBSET_READ, number, 0, 0, 0) == 1:
            check(libc.prctl(PR_CAPBSET_DROP, number, 0, 0, 0), f"dropping {name}")
    # empty the inheritable set (keep effective and permitted: execve recomputes them for root)
    header = CapHeader(0x20080522, 0)  # _LINUX_CAPABILITY_VERSION_3
    data = (CapData * 2)()
    check(libc.capget(ctypes.byref(header), data), "capget")
    for half in data:
        half.inheritable = 0
    check(libc.capset(ctypes.byref(header), data), "capset")
    check(libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "PR_SET_NO_NEW_PRIVS")
    check(libc.prctl(PR_SET_MDWE, PR_MDWE_REFUSE_EXEC_GAIN, 0, 0, 0), "PR_SET_MDWE")
    os.execvp(command[0], command)


main()
