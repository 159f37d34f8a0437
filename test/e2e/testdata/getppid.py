# Calls getppid(2) as many times as the first argument says: a workload with an exact event count.
import os
import sys

for _ in range(int(sys.argv[1])):
    os.getppid()
