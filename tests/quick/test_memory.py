"""shared/platforms.memory on each system, its parsers fed what each system gives: Linux's /proc/meminfo
text, Windows' MEMORYSTATUSEX structure, macOS's `sysctl hw.memsize` and `vm_stat` text captured on Macs."""

import ctypes
import sys

import pytest

from terraembed.shared import platforms

# `vm_stat` as captured on a macOS machine (4 KiB pages), from https://github.com/wazuh/wazuh/issues/22113
VM_STAT = """Mach Virtual Memory Statistics: (page size of 4096 bytes)
Pages free:                             6127229.
Pages active:                            485320.
Pages inactive:                          628646.
Pages speculative:                       430715.
Pages throttled:                              0.
Pages wired down:                        715958.
Pages purgeable:                          11820.
"Translation faults":                  11477162.
Pages copy-on-write:                     356264.
Pages zero filled:                      7628050.
Pages reactivated:                         9561.
Pages purged:                              1423.
File-backed pages:                      1080348.
Anonymous pages:                         464333.
Pages stored in compressor:                   0.
Pages occupied by compressor:                 0.
Decompressions:                               0.
Compressions:                                 0.
Pageins:                                 280307.
Pageouts:                                     0.
Swapins:                                      0.
Swapouts:                                     0.
"""
# `sysctl hw.memsize` as captured on a Mac, from https://github.com/chainguard-dev/melange/pull/2010
SYSCTL = "hw.memsize: 38654705664\n"
# `vm_stat` of macOS 10.6 (no purgeable line), from https://apple.stackexchange.com/questions/81581
VM_STAT_10_6 = """Mach Virtual Memory Statistics: (page size of 4096 bytes)
Pages free: 90518.
Pages active: 205479.
Pages inactive: 32417.
Pages speculative: 134461.
Pages wired down: 61009.
"Translation faults": 26323651.
Pages copy-on-write: 177180.
Pages zero filled: 15230394.
Pages reactivated: 3.
Pageins: 388108.
Pageouts: 0.
Object cache: 14 hits of 797355 lookups (0% hit rate)
"""


def test_macos_available_is_free_inactive_speculative_and_purgeable_pages():
    available, total = platforms.macos_memory(SYSCTL, VM_STAT)
    assert total == 38654705664  # 36 GiB
    assert available == (6127229 + 628646 + 430715 + 11820) * 4096
    assert platforms.macos_memory("38654705664\n", VM_STAT) == (available, total)  # sysctl -n


def test_macos_pages_are_counted_in_the_page_size_vm_stat_states():
    sixteen = VM_STAT.replace("page size of 4096 bytes", "page size of 16384 bytes")
    big = "hw.memsize: %d" % 2**40  # room for the 16 KiB pages' sum
    assert platforms.macos_memory(big, sixteen)[0] == 4 * platforms.macos_memory(SYSCTL, VM_STAT)[0]
    # macOS 10.6 has no purgeable pages line; a 2 GB MacBook Pro
    available, total = platforms.macos_memory("2147483648", VM_STAT_10_6)
    assert (available, total) == ((90518 + 32417 + 134461) * 4096, 2147483648)


def test_macos_available_never_exceeds_the_total():
    assert platforms.macos_memory("hw.memsize: 4096", VM_STAT) == (4096, 4096)


@pytest.mark.parametrize(
    "memsize, vm_stat",
    [
        ("", VM_STAT),
        ("hw.memsize: lots", VM_STAT),
        ("hw.memsize: 0", VM_STAT),
        (SYSCTL, "vm_stat: command not found"),
        (SYSCTL, VM_STAT.replace("(page size of 4096 bytes)", "")),
        (SYSCTL, VM_STAT.replace("Pages inactive", "Pages idle")),
    ],
)
def test_macos_text_that_is_not_the_tools_output_is_a_value_error(memsize, vm_stat):
    with pytest.raises(ValueError):
        platforms.macos_memory(memsize, vm_stat)


def test_windows_structure_is_memorystatusex_and_decodes_available_and_total():
    assert ctypes.sizeof(platforms.MemoryStatusEx) == 64  # sizeof(MEMORYSTATUSEX) on Windows
    assert platforms.MemoryStatusEx.ullAvailPhys.offset == 16 and platforms.MemoryStatusEx.ullTotalPhys.offset == 8
    raw = bytearray(64)
    raw[0:4] = (64).to_bytes(4, "little")  # dwLength
    raw[4:8] = (62).to_bytes(4, "little")  # dwMemoryLoad: 62 % in use
    raw[8:16] = (17179869184).to_bytes(8, "little")  # ullTotalPhys: 16 GiB
    raw[16:24] = (6528350208).to_bytes(8, "little")  # ullAvailPhys
    raw[24:32] = (2**40).to_bytes(8, "little")  # ullTotalPageFile: not memory
    status = platforms.MemoryStatusEx.from_buffer_copy(bytes(raw)) if sys.byteorder == "little" else None
    if status is None:
        pytest.skip("MEMORYSTATUSEX is little-endian (Windows)")
    assert platforms.windows_memory(status) == (6528350208, 17179869184)


def test_windows_structure_that_makes_no_sense_is_a_value_error():
    status = platforms.MemoryStatusEx()
    with pytest.raises(ValueError):
        platforms.windows_memory(status)  # all zero: not filled
    status.ullTotalPhys, status.ullAvailPhys = 2**30, 2**31
    with pytest.raises(ValueError):
        platforms.windows_memory(status)


def test_linux_memory_is_meminfo():
    text = "MemTotal:       16384000 kB\nMemFree:  100 kB\nMemAvailable:    8192000 kB\n"
    assert platforms.linux_memory(text) == (8192000 * 1024, 16384000 * 1024)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads this Linux machine's memory")
def test_memory_reads_this_machine_and_says_nothing_for_other_systems():
    available, total = platforms.memory()
    assert total is not None and available is not None and 0 < available <= total
    assert platforms.memory("linux")[1] == total  # the machine's memory does not change
    # Windows' and macOS's readers fail here (no kernel32, no hw.memsize or vm_stat): nothing, no error
    assert platforms.memory("win32") == (None, None)
    assert platforms.memory("darwin") == (None, None)
    assert platforms.memory("sunos5") == (None, None)
