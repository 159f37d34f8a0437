/*
 * Syscall workload for the benchmarks. Its command name (comm) is "bench-syscalls", so scripts and the
 * harness can tell its events from everyone else's.
 *
 * Usage:
 *   bench-syscalls loop N          N getppid() calls as fast as possible
 *   bench-syscalls paced N RATE    N getppid() calls at RATE calls per second
 *   bench-syscalls trickle US      until stdin closes: getppid(), then open and close /dev/null, then
 *                                  sleep US microseconds; probes under test fire within US of attaching
 *
 * loop and paced print "ready" and wait for a line on stdin before starting, so the tracer can attach
 * first; then they print the loop's elapsed time in nanoseconds, and on a second line the time spent
 * inside the getppid() calls themselves: all of it for loop, the calls without the waits between them
 * for paced (what a tracer adds to each call, wake-ups included, shows there even at a low rate).
 * The loop calls syscall(SYS_getppid)
 * directly: glibc does not cache getppid, but going through syscall() makes that explicit.
 *
 * Pacing busy-waits on CLOCK_MONOTONIC, which the vDSO serves without entering the kernel, so the only
 * syscalls the traced loop makes are the ones being counted.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void wait_for_go(void)
{
    char line[16];
    printf("ready\n");
    fflush(stdout);
    if (fgets(line, sizeof line, stdin) == NULL) exit(1);
}

static int usage(void)
{
    fprintf(stderr, "usage: bench-syscalls loop N | paced N RATE | trickle US\n");
    return 2;
}

int main(int argc, char **argv)
{
    if (argc < 3) return usage();
    uint64_t count = strtoull(argv[2], NULL, 10);

    if (strcmp(argv[1], "trickle") == 0) {
        struct timespec pause = { 0, (long)count * 1000 };
        struct pollfd input = { .fd = 0, .events = POLLIN };
        /* stdin closing (the harness ending) is the only way out: no orphan keeps running. */
        while (poll(&input, 1, 0) == 0) {
            syscall(SYS_getppid);
            close(open("/dev/null", O_RDONLY));
            nanosleep(&pause, NULL);
        }
        return 0;
    }

    uint64_t rate = 0;
    if (strcmp(argv[1], "paced") == 0) {
        if (argc < 4) return usage();
        rate = strtoull(argv[3], NULL, 10);
    } else if (strcmp(argv[1], "loop") != 0) {
        return usage();
    }

    wait_for_go();
    uint64_t start = now_ns();
    uint64_t inside = 0;
    if (rate == 0) {
        for (uint64_t i = 0; i < count; i++) syscall(SYS_getppid);
        inside = now_ns() - start;
    } else {
        for (uint64_t i = 0; i < count; i++) {
            uint64_t due = start + i * 1000000000u / rate;
            uint64_t before;
            while ((before = now_ns()) < due) {
            }
            syscall(SYS_getppid);
            inside += now_ns() - before;
        }
    }
    printf("%llu\n%llu\n", (unsigned long long)(now_ns() - start), (unsigned long long)inside);
    return 0;
}
