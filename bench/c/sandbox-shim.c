/*
 * For callgrind only (bench/run.sh): valgrind does not know Landlock's system calls (444-446) nor seccomp (317), and
 * fails them with ENOSYS, so under valgrind a sandboxed app would run the path of a kernel without the sandbox. This
 * shim, preloaded, answers them as a kernel with Landlock ABI 7 does (a ruleset descriptor, then success) without
 * doing them, so that callgrind counts the user-space instructions of the path a sandboxed process really runs. The
 * kernel's own work is not an instruction callgrind counts in any case; bench/run.sh times it as a second view.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdarg.h>
#include <sys/syscall.h>
#include <unistd.h>

long syscall(long number, ...)
{
    va_list arguments;
    va_start(arguments, number);
    long a = va_arg(arguments, long), b = va_arg(arguments, long), c = va_arg(arguments, long);
    long d = va_arg(arguments, long), e = va_arg(arguments, long), f = va_arg(arguments, long);
    va_end(arguments);
    switch (number)
    {
    case 444: /* landlock_create_ruleset: the ABI version, or a ruleset's descriptor */
        return c == 1 ? 7 : open("/dev/null", O_RDONLY | O_CLOEXEC);
    case 445: /* landlock_add_rule */
    case 446: /* landlock_restrict_self */
    case SYS_seccomp:
        return 0;
    }
    static long (*real)(long, ...);
    if (real == 0)
        real = (long (*)(long, ...))dlsym(RTLD_NEXT, "syscall");
    return real(number, a, b, c, d, e, f);
}
