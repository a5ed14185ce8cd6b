# Maps 1 GiB of shared anonymous memory and touches every page before saying hello: RLIMIT_DATA does not
# count shared mappings; a memory cgroup does, and the kernel stops it at the limit.
import mmap, sys
for line in sys.stdin:
    if '"hello"' in line:
        m = mmap.mmap(-1, 1024 * 2**20, flags=mmap.MAP_SHARED)
        for i in range(0, len(m), 4096): m[i] = 1
        print('{"name":"shared","version":"1","models":["logreg"]}', flush=True)
