// The stack bounds of a process's initial thread, without reading /proc/self/maps.
//
// The .NET runtime asks for the stack bounds of the thread it starts on (pthread_getattr_np). For a thread it created,
// glibc knows them; for the process's initial thread it reads /proc/self/maps and parses every line with sscanf to
// find the mapping that holds the stack: about 170,000 instructions, an eighth of a CGI request. The binary is linked
// with -Wl,--wrap=pthread_getattr_np (CgiRouting.props), so the runtime's calls come here. For the initial thread,
// asked about itself, the answer is what glibc would give, found from what the kernel left on the stack: its top is
// the page above the program's file name (AT_EXECFN, which execve(2) copies last, just below the top), and its size
// the stack's rlimit less what lies above the stack pointer at the program's entry (__libc_stack_end, as glibc
// measures it), rounded to pages (glibc also caps it
// at the gap below, which the kernel keeps larger than the rlimit). Any other thread, an unlimited stack, or anything
// missing goes to glibc.
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

extern int __real_pthread_getattr_np(pthread_t thread, pthread_attr_t *attr);
extern void *__libc_stack_end; // the stack pointer at the program's entry (the dynamic loader's)

int __wrap_pthread_getattr_np(pthread_t thread, pthread_attr_t *attr) {
    const char *execfn = (const char *)getauxval(AT_EXECFN);
    uintptr_t page = getauxval(AT_PAGESZ);
    struct rlimit limit;
    if (getpid() != syscall(SYS_gettid) || !pthread_equal(thread, pthread_self()) || execfn == NULL || page == 0
        || getrlimit(RLIMIT_STACK, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY)
        return __real_pthread_getattr_np(thread, attr);
    // As glibc's pthread_getattr_np computes it, with the mapping's end found without /proc/self/maps.
    uintptr_t mapping_end = ((uintptr_t)execfn + strlen(execfn) + 1 + sizeof(void *) + page - 1) & ~(page - 1);
    uintptr_t stack_end = ((uintptr_t)__libc_stack_end & ~(page - 1)) + page;
    if (mapping_end < stack_end || limit.rlim_cur <= mapping_end - stack_end)
        return __real_pthread_getattr_np(thread, attr);
    size_t size = (limit.rlim_cur - (mapping_end - stack_end)) & ~(page - 1);
    int result = pthread_attr_init(attr);
    if (result == 0)
        result = pthread_attr_setstack(attr, (void *)(stack_end - size), size);
    return result;
}
