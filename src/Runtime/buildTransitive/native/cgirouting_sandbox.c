/*
 * The kernel sandbox of a CgiRouting app published with Native AOT ([assembly: CgiRouting.Sandbox(...)]).
 *
 * Landlock confines the thread that asks and the threads and processes it starts afterwards; it cannot reach threads
 * that exist already. The .NET runtime starts threads before Main (the finalizer thread, among others), so the policy is
 * applied here, in an ELF constructor that runs while the process still has one thread: before the runtime's own
 * initialisation, before any managed code, before a byte of the request is read. Every thread the runtime starts later
 * (the finalizer, the thread pool, a `new Thread`, the FastCGI worker's threads) and every program the app starts
 * inherits it, and none can leave it. The same instruction confines CGI requests, FastCGI workers and the workers a
 * --prefork manager starts (the manager itself runs no handler and is not confined: see serves_requests).
 *
 * What is confined, in order:
 *   1. no_new_privs (PR_SET_NO_NEW_PRIVS): nothing the app starts gains privileges (set-user-ID programs).
 *   2. Landlock, best effort for the running kernel's ABI: files (read; create and write beneath declared folders;
 *      execute only this binary unless Exec), TCP connect only to the declared ports (ABI 4), no signals to processes
 *      outside the sandbox and no abstract unix sockets (ABI 6).
 *   3. seccomp: system calls no web handler needs fail with EPERM (the list is `denied` below); clone with a namespace
 *      flag too, and clone3 with ENOSYS, so that the C library falls back to clone, whose flags the filter can read.
 *
 * The policy is the text the generator emitted from the attribute, put here by CgiRouting.props (one directive per
 * line: `read PATH`, `write PATH`, `connect PORT`, `connect-from VARIABLE`, `exec`, `required`; PATH may name
 * ${VARIABLES} of the environment, and VARIABLE holds a port number or a URL with one, such as postgres://host:5432/db).
 * An app without the attribute has an empty policy and this does nothing. The policy is applied only when the process
 * serves requests: a CGI request (REQUEST_METHOD is set), a FastCGI worker (--fastcgi, or a listening socket as
 * standard input) and --sandbox-check; never for the tooling verbs (--config, --serve, --routes, --openapi, --help),
 * which start web servers and write files.
 *
 * src/Runtime/Sandbox.cs is the managed side: it reads cgirouting_sandbox_report and cgirouting_sandbox_state.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cgirouting_sandbox_policy.h" /* static const char policy[]: written by CgiRouting.props */

#ifndef SYS_landlock_create_ruleset
#define SYS_landlock_create_ruleset 444
#define SYS_landlock_add_rule 445
#define SYS_landlock_restrict_self 446
#endif

/* The Landlock ABI (linux/landlock.h), spelt out so that older kernel headers on the build machine do not matter. */
struct ruleset_attr { uint64_t handled_access_fs, handled_access_net, scoped; };
struct path_beneath_attr { uint64_t allowed_access; int32_t parent_fd; } __attribute__((packed));
struct net_port_attr { uint64_t allowed_access, port; };
enum
{
    FS_EXECUTE = 1 << 0, FS_WRITE_FILE = 1 << 1, FS_READ_FILE = 1 << 2, FS_READ_DIR = 1 << 3, FS_REMOVE_DIR = 1 << 4,
    FS_REMOVE_FILE = 1 << 5, FS_MAKE_CHAR = 1 << 6, FS_MAKE_DIR = 1 << 7, FS_MAKE_REG = 1 << 8, FS_MAKE_SOCK = 1 << 9,
    FS_MAKE_FIFO = 1 << 10, FS_MAKE_BLOCK = 1 << 11, FS_MAKE_SYM = 1 << 12, FS_REFER = 1 << 13, FS_TRUNCATE = 1 << 14,
    FS_IOCTL_DEV = 1 << 15,
    NET_CONNECT_TCP = 1 << 1,
    SCOPE_ABSTRACT_UNIX_SOCKET = 1 << 0, SCOPE_SIGNAL = 1 << 1,
    RULE_PATH_BENEATH = 1, RULE_NET_PORT = 2, CREATE_RULESET_VERSION = 1 << 0,
};
/* What a file (not a folder) may be given: Landlock refuses folder rights on a file. */
#define FILE_RIGHTS (FS_EXECUTE | FS_WRITE_FILE | FS_READ_FILE | FS_TRUNCATE | FS_IOCTL_DEV)
#define READ_RIGHTS (FS_READ_FILE | FS_READ_DIR)
#define WRITE_RIGHTS (READ_RIGHTS | FS_WRITE_FILE | FS_TRUNCATE | FS_MAKE_REG | FS_MAKE_DIR | FS_REMOVE_FILE | FS_REMOVE_DIR | FS_REFER)

/* cgirouting_sandbox_state: what this process enforces (bits), read by the managed side. */
enum
{
    DECLARED = 1 << 0, APPLIED = 1 << 1, FILES = 1 << 2, PORTS = 1 << 3, SCOPES = 1 << 4, SYSCALLS = 1 << 5,
    REQUIRED = 1 << 6, INCOMPLETE = 1 << 7, EXEC = 1 << 8,
};
static int state;
static int abi;

/*
 * What happened, kept for --sandbox-check and formatted only when it asks (cgirouting_sandbox_report): formatting
 * each line as it happens cost a sandboxed request about 20,000 instructions. Every format takes a string, then a
 * number (a line that needs neither starts with %s and gets ""; a number it does not print is ignored by printf).
 */
enum { MAX_EVENTS = 64 };
static struct { const char *format; unsigned short text; long number; } events[MAX_EVENTS];
static int event_count;
static char texts[8192]; /* the strings of the events, each ending with a NUL */
static size_t texts_used = 1; /* offset 0 is the empty string */

static void say(const char *format, const char *text, long number)
{
    if (event_count == MAX_EVENTS)
        return;
    size_t length = text == NULL ? 0 : strlen(text);
    size_t offset = 0;
    if (length > 0 && texts_used + length + 1 <= sizeof texts)
    {
        offset = texts_used;
        memcpy(texts + offset, text, length + 1);
        texts_used += length + 1;
    }
    events[event_count].format = format;
    events[event_count].text = (unsigned short)offset;
    events[event_count].number = number;
    event_count++;
}

/* A policy line (not NUL-terminated) as the event's text. */
static void say_directive(const char *format, const char *line, size_t length)
{
    char copy[512];
    if (length >= sizeof copy)
        length = sizeof copy - 1;
    memcpy(copy, line, length);
    copy[length] = 0;
    say(format, copy, 0);
}

static char binary_dir[4096]; /* ${BINARY_DIR}: the folder of this binary */

/* The end of the ${...} that starts at text[i] (the index of its '}'), or 0 when it does not close. */
static size_t closing(const char *text, size_t length, size_t i)
{
    int depth = 0;
    for (size_t j = i; j < length; j++)
    {
        if (text[j] == '{')
            depth++;
        else if (text[j] == '}' && --depth == 0)
            return j;
    }
    return 0;
}

/* Appends `text` to path[*out]: ${NAME} is the variable's value, ${NAME:-DEFAULT} DEFAULT (itself expanded) when NAME
   is not set or empty, ${BINARY_DIR} the folder of this binary. -1 when a variable without a default is not set. */
static int expand_into(const char *text, size_t length, char *path, size_t *out, size_t size)
{
    for (size_t i = 0; i < length;)
    {
        if (text[i] == '$' && i + 1 < length && text[i + 1] == '{')
        {
            size_t end = closing(text, length, i + 1);
            if (end == 0)
                return -1;
            const char *inner = text + i + 2;
            size_t inner_length = end - i - 2;
            const char *fallback = NULL;
            size_t name_length = inner_length;
            for (size_t k = 0; k + 1 < inner_length; k++)
            {
                if (inner[k] == ':' && inner[k + 1] == '-')
                {
                    name_length = k;
                    fallback = inner + k + 2;
                    break;
                }
            }
            char name[128];
            if (name_length == 0 || name_length >= sizeof name)
                return -1;
            memcpy(name, inner, name_length);
            name[name_length] = 0;
            const char *value = strcmp(name, "BINARY_DIR") == 0 ? binary_dir : getenv(name);
            if (value != NULL && value[0] != 0)
            {
                size_t value_length = strlen(value);
                if (*out + value_length >= size)
                    return -1;
                memcpy(path + *out, value, value_length);
                *out += value_length;
            }
            else if (fallback == NULL || expand_into(fallback, inner_length - name_length - 2, path, out, size) != 0)
                return -1;
            i = end + 1;
            continue;
        }
        if (*out + 1 >= size)
            return -1;
        path[(*out)++] = text[i++];
    }
    return 0;
}

/* Resolves the variables of a policy path (expand_into) and removes "." and ".." segments as text ("${DB}/.." is the
   folder of the file DB names). */
static int expand(const char *text, size_t length, char *path, size_t size)
{
    size_t out = 0;
    if (expand_into(text, length, path, &out, size) != 0)
        return -1;
    path[out] = 0;
    if (path[0] != '/')
        return -1;
    /* Clean the segments in place. */
    char clean[4096];
    size_t c = 0;
    for (char *segment = path; *segment;)
    {
        while (*segment == '/')
            segment++;
        char *slash = strchr(segment, '/');
        size_t n = slash ? (size_t)(slash - segment) : strlen(segment);
        if (n == 0 || (n == 1 && segment[0] == '.'))
            ;
        else if (n == 2 && segment[0] == '.' && segment[1] == '.')
        {
            while (c > 0 && clean[c - 1] != '/')
                c--;
            if (c > 0)
                c--; /* the slash before the removed segment */
        }
        else
        {
            if (c + n + 2 >= sizeof clean)
                return -1;
            clean[c++] = '/';
            memcpy(clean + c, segment, n);
            c += n;
        }
        segment += n;
    }
    if (c == 0)
        clean[c++] = '/';
    clean[c] = 0;
    if (c >= size)
        return -1;
    memcpy(path, clean, c + 1);
    return 0;
}

static int ruleset = -1;
static uint64_t handled_fs;

/* Allows `rights` beneath `path` (or on the file `path`); a path that does not exist is left out, and said. */
static void allow_path(const char *path, uint64_t rights, const char *why)
{
    int fd = open(path, O_PATH | O_CLOEXEC);
    if (fd < 0)
    {
        if (why != NULL)
            say("  %s: not found, nothing allowed there\n", path, 0);
        return;
    }
    struct stat status;
    if (fstat(fd, &status) == 0 && !S_ISDIR(status.st_mode))
        rights &= FILE_RIGHTS;
    struct path_beneath_attr rule = { .allowed_access = rights & handled_fs, .parent_fd = fd };
    if (rule.allowed_access != 0 && syscall(SYS_landlock_add_rule, ruleset, RULE_PATH_BENEATH, &rule, 0) != 0)
        say("  %s: the kernel refused the rule (errno %ld)\n", path, errno);
    else if (why != NULL)
        say(why, path, 0);
    close(fd);
}

/* The TCP port in `value`: a number, or a URL's (scheme://user:password@host:PORT/...); 0 when it has none. */
static long port_of(const char *value)
{
    if (value == NULL || *value == 0)
        return 0;
    const char *scheme = strstr(value, "://");
    if (scheme == NULL)
    {
        char *end;
        long port = strtol(value, &end, 10);
        return *end == 0 && port > 0 && port < 65536 ? port : 0;
    }
    const char *host = scheme + 3;
    size_t authority = strcspn(host, "/?#");
    const char *at = NULL;
    for (const char *c = host; c < host + authority; c++)
        if (*c == '@')
            at = c; /* the last '@' ends the user information */
    if (at != NULL)
    {
        authority -= (size_t)(at + 1 - host);
        host = at + 1;
    }
    const char *colon = NULL;
    if (*host == '[')
    {
        const char *bracket = memchr(host, ']', authority);
        if (bracket != NULL && bracket + 1 < host + authority && bracket[1] == ':')
            colon = bracket + 1;
    }
    else
        colon = memchr(host, ':', authority);
    if (colon == NULL)
        return 0;
    long port = 0;
    for (const char *c = colon + 1; c < host + authority; c++)
    {
        if (*c < '0' || *c > '9' || port > 65535)
            return 0;
        port = port * 10 + (*c - '0');
    }
    return port > 0 && port < 65536 ? port : 0;
}

static void allow_port(long port, const char *variable)
{
    if (abi < 4 || port <= 0 || port > 65535)
        return;
    struct net_port_attr rule = { .allowed_access = NET_CONNECT_TCP, .port = (uint64_t)port };
    if (syscall(SYS_landlock_add_rule, ruleset, RULE_NET_PORT, &rule, 0) != 0)
        say("%s  a TCP port: the kernel refused the rule (errno %ld)\n", "", errno);
    else if (variable != NULL)
        say("  connect to the port of %s: %ld\n", variable, port);
    else
        say("%s  connect to TCP port %ld\n", "", port);
}

static const char *const runtime_reads[] = {
    /* What the .NET runtime reads as it starts and while it runs (strace of samples/Todo): its limits and the processor
       topology, the cgroup tree, entropy; and what name resolution, time zones and TLS read if a handler uses them. */
    "/proc/self", "/proc/meminfo", "/proc/stat", "/sys/devices/system/cpu", "/sys/devices/system/node", "/sys/fs/cgroup",
    "/dev/urandom", "/dev/random", "/etc/localtime", "/usr/share/zoneinfo", "/etc/hosts", "/etc/resolv.conf",
    "/etc/nsswitch.conf", "/etc/host.conf", "/etc/gai.conf", "/etc/services", "/etc/ssl/certs", "/usr/lib/ssl",
    "/lib", "/lib64", "/usr/lib", "/usr/lib64", "/etc/ld.so.cache",
};
static const char *const exec_reads[] = { "/bin", "/sbin", "/usr", "/etc" }; /* with Exec: the programs and what they read */

/* Each unix: address given with --fastcgi gets its folder's right to make (and replace) the socket file. */
static void allow_fastcgi_sockets(int argc, char **argv)
{
    for (int i = 1; i + 1 < argc; i++)
    {
        if (strcmp(argv[i], "--fastcgi") != 0)
            continue;
        for (const char *address = argv[i + 1]; address != NULL && *address;)
        {
            const char *comma = strchr(address, ',');
            size_t length = comma ? (size_t)(comma - address) : strlen(address);
            if (length > 5 && strncmp(address, "unix:", 5) == 0 && length < 4096)
            {
                char folder[4096];
                memcpy(folder, address + 5, length - 5);
                folder[length - 5] = 0;
                char *slash = strrchr(folder, '/');
                if (slash == folder)
                    slash[1] = 0;
                else if (slash != NULL)
                    *slash = 0;
                else
                    strcpy(folder, ".");
                allow_path(folder, FS_MAKE_SOCK | FS_REMOVE_FILE | FS_READ_DIR, "  %s: the FastCGI socket's folder (make and remove the socket)\n");
            }
            address = comma ? comma + 1 : NULL;
        }
    }
}

static int landlock(int argc, char **argv)
{
    abi = (int)syscall(SYS_landlock_create_ruleset, NULL, 0, CREATE_RULESET_VERSION);
    int error = errno;
    /* CGIROUTING_SANDBOX_MAX_ABI uses no more of Landlock than an older kernel has: to see how the app serves there. */
    const char *cap = getenv("CGIROUTING_SANDBOX_MAX_ABI");
    if (cap != NULL && *cap >= '0' && *cap <= '9' && atoi(cap) < abi)
    {
        abi = atoi(cap);
        say("%sLandlock: ABI %ld at most (CGIROUTING_SANDBOX_MAX_ABI)\n", "", abi);
        error = ENOSYS;
    }
    if (abi < 1)
    {
        say("%sLandlock: not available in this kernel (errno %ld): files and ports are not confined\n", "", error);
        state |= INCOMPLETE;
        return 0;
    }
    handled_fs = (FS_MAKE_SYM << 1) - 1;
    if (abi >= 2)
        handled_fs |= FS_REFER;
    if (abi >= 3)
        handled_fs |= FS_TRUNCATE;
    if (abi >= 5)
        handled_fs |= FS_IOCTL_DEV;
    struct ruleset_attr attr = { .handled_access_fs = handled_fs };
    if (abi >= 4)
        attr.handled_access_net = NET_CONNECT_TCP; /* bind is not handled: a FastCGI worker binds its own listener */
    if (abi >= 6)
        attr.scoped = SCOPE_ABSTRACT_UNIX_SOCKET | SCOPE_SIGNAL;
    ruleset = (int)syscall(SYS_landlock_create_ruleset, &attr, sizeof attr, 0);
    if (ruleset < 0)
    {
        say("%sLandlock: the kernel refused the ruleset (errno %ld): files and ports are not confined\n", "", errno);
        state |= INCOMPLETE;
        return 0;
    }
    say("%sLandlock ABI %ld: files confined; declared:\n", "", abi);
    ssize_t binary_length = readlink("/proc/self/exe", binary_dir, sizeof binary_dir - 1);
    binary_dir[binary_length > 0 ? binary_length : 0] = 0;
    char *last_slash = strrchr(binary_dir, '/');
    if (last_slash != NULL)
        *last_slash = 0; /* ${BINARY_DIR} */

    char path[4096];
    for (const char *line = policy; *line;)
    {
        const char *end = strchr(line, '\n');
        size_t length = end ? (size_t)(end - line) : strlen(line);
        if (length > 5 && strncmp(line, "read ", 5) == 0)
        {
            if (expand(line + 5, length - 5, path, sizeof path) == 0)
                allow_path(path, READ_RIGHTS, "  read %s\n");
            else
                say_directive("  %s: a variable it names is not set, nothing allowed\n", line, length);
        }
        else if (length > 6 && strncmp(line, "write ", 6) == 0)
        {
            if (expand(line + 6, length - 6, path, sizeof path) == 0)
                allow_path(path, WRITE_RIGHTS, "  write %s\n");
            else
                say_directive("  %s: a variable it names is not set, nothing allowed\n", line, length);
        }
        else if (length > 8 && strncmp(line, "connect ", 8) == 0)
            allow_port(strtol(line + 8, NULL, 10), NULL);
        else if (length > 13 && strncmp(line, "connect-from ", 13) == 0 && length - 13 < 128)
        {
            char name[128];
            memcpy(name, line + 13, length - 13);
            name[length - 13] = 0;
            long port = port_of(getenv(name));
            if (port > 0)
                allow_port(port, name);
            else
                say("  connect to the port of %s: it is not set, or names no port; nothing allowed\n", name, 0);
        }
        line += length + (end ? 1 : 0);
    }

    say("%sallowed to the runtime without being declared:\n", "", 0);
    for (size_t i = 0; i < sizeof runtime_reads / sizeof *runtime_reads; i++)
        allow_path(runtime_reads[i], READ_RIGHTS, NULL);
    say("%s  read: /proc/self, /proc/meminfo, /proc/stat, /sys/devices/system/{cpu,node}, /sys/fs/cgroup, /dev/{u,}random, "
        "time zones, name resolution (/etc/hosts, resolv.conf, nsswitch.conf, ...), TLS certificates, shared libraries\n", "", 0);
    allow_path("/dev/null", READ_RIGHTS | FS_WRITE_FILE | FS_TRUNCATE | FS_IOCTL_DEV, "  read and write %s\n");
    const char *temporary = getenv("TMPDIR");
    allow_path(temporary != NULL && temporary[0] == '/' ? temporary : "/tmp", WRITE_RIGHTS, "  write %s (uploads spilled to disk)\n");
    char self[4096];
    ssize_t self_length = readlink("/proc/self/exe", self, sizeof self - 1);
    if (self_length > 0)
    {
        self[self_length] = 0;
        allow_path(self, FS_READ_FILE, "  read %s (this binary)\n");
    }
    allow_fastcgi_sockets(argc, argv);
    if (state & EXEC)
    {
        for (size_t i = 0; i < sizeof exec_reads / sizeof *exec_reads; i++)
            allow_path(exec_reads[i], READ_RIGHTS | FS_EXECUTE, NULL);
        say("%s  read and execute /bin, /sbin, /usr, /etc (Exec = true)\n", "", 0);
    }
    else
        say("%s  programs: none may be started (Exec = false)\n", "", 0);

    if (syscall(SYS_landlock_restrict_self, ruleset, 0) != 0)
    {
        say("%sLandlock: restrict_self failed (errno %ld): files and ports are not confined\n", "", errno);
        state |= INCOMPLETE;
        close(ruleset);
        return 0;
    }
    close(ruleset);
    state |= FILES;
    if (abi >= 4)
        state |= PORTS;
    else
    {
        say("%sLandlock ABI %ld has no TCP rules (4 and later): outbound connections are not confined\n", "", abi);
        state |= INCOMPLETE;
    }
    if (abi >= 6)
        state |= SCOPES;
    return 1;
}

/* System calls that no web handler needs: debugging other processes, the kernel's administration, namespaces. */
static const int denied[] = {
#ifdef SYS_ptrace
    SYS_ptrace,
#endif
#ifdef SYS_process_vm_readv
    SYS_process_vm_readv, SYS_process_vm_writev,
#endif
#ifdef SYS_kcmp
    SYS_kcmp,
#endif
#ifdef SYS_pidfd_getfd
    SYS_pidfd_getfd,
#endif
    SYS_mount, SYS_umount2, SYS_pivot_root, SYS_chroot, SYS_swapon, SYS_swapoff, SYS_reboot,
#ifdef SYS_kexec_load
    SYS_kexec_load,
#endif
#ifdef SYS_kexec_file_load
    SYS_kexec_file_load,
#endif
    SYS_init_module, SYS_finit_module, SYS_delete_module, SYS_bpf, SYS_perf_event_open, SYS_userfaultfd,
    SYS_keyctl, SYS_add_key, SYS_request_key, SYS_setns, SYS_unshare, SYS_open_by_handle_at, SYS_name_to_handle_at,
    SYS_acct, SYS_quotactl, SYS_syslog, SYS_settimeofday, SYS_clock_settime, SYS_clock_adjtime, SYS_adjtimex,
    SYS_sethostname, SYS_setdomainname, SYS_vhangup, SYS_fanotify_init,
#ifdef SYS_iopl
    SYS_iopl, SYS_ioperm,
#endif
#ifdef SYS_lookup_dcookie
    SYS_lookup_dcookie,
#endif
#ifdef SYS_io_uring_setup
    SYS_io_uring_setup, SYS_io_uring_enter, SYS_io_uring_register,
#endif
#ifdef SYS_open_tree
    SYS_open_tree, SYS_move_mount, SYS_fsopen, SYS_fsconfig, SYS_fsmount, SYS_fspick,
#endif
#ifdef SYS_mount_setattr
    SYS_mount_setattr,
#endif
};

#if defined(__x86_64__)
#define AUDIT_ARCH_HERE AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define AUDIT_ARCH_HERE AUDIT_ARCH_AARCH64
#endif

static int seccomp_filter(void)
{
#ifdef AUDIT_ARCH_HERE
    enum { MAX = 128 };
    struct sock_filter program[MAX];
    size_t n = 0;
    size_t count = sizeof denied / sizeof *denied;
    const uint32_t namespaces = CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWCGROUP;
    program[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch));
    program[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_HERE, 1, 0);
    program[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS); /* another ABI (i386 on x86_64) */
    program[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
#if defined(__x86_64__)
    program[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 0x40000000, 0, 1); /* x32 system calls */
    program[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS);
#endif
    /* denied[i]: jump to the EPERM return at the end; count - i - 1 further comparisons and 4 clone instructions lie between. */
    for (size_t i = 0; i < count; i++)
        program[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)denied[i], (uint8_t)(count - i - 1 + 6), 0);
#ifdef SYS_clone3
    program[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_clone3, 0, 1);
    program[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS); /* the C library falls back to clone */
#else
    program[n++] = (struct sock_filter)BPF_STMT(BPF_JMP | BPF_JA, 0);
    program[n++] = (struct sock_filter)BPF_STMT(BPF_JMP | BPF_JA, 0);
#endif
    program[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_clone, 0, 2);
    program[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0]));
    program[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, namespaces, 1, 0);
    program[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
    program[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM);
    struct sock_fprog filter = { .len = (unsigned short)n, .filter = program };
    if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &filter) != 0)
    {
        say("%sseccomp: the kernel refused the filter (errno %ld): system calls are not confined\n", "", errno);
        state |= INCOMPLETE;
        return 0;
    }
    say("%sseccomp: %ld system calls refused (ptrace, process_vm_*, mount, bpf, kexec, modules, namespaces, keyrings, io_uring, ...)\n", "", (long)count);
    state |= SYSCALLS;
    return 1;
#else
    say("%sseccomp: no filter for this processor\n", "", 0);
    state |= INCOMPLETE;
    return 0;
#endif
}

/* Why a request is refused when the policy is Required and the kernel cannot enforce it all: the CGI answer's body
   and the log line here, and a FastCGI worker's through cgirouting_sandbox_refusal (Sandbox.RefusalMessage). */
static const char refusal[] = "The app requires its sandbox ([assembly: Sandbox(Required = true)]), which this kernel cannot fully enforce: "
                              "the request was refused. Run the app with --sandbox-check to see what is missing.\n";

static const char *request_method; /* REQUEST_METHOD: set in a CGI request */

/* Whether this process serves requests (the sandbox applies) or is a tooling verb (it does not). */
static int serves_requests(int argc, char **argv)
{
    if (request_method != NULL)
        return 1; /* a CGI request: argv may hold a query's words (RFC 3875 §4.4) and is ignored */
    int fastcgi = 0;
    for (int i = 1; i < argc; i++)
    {
        const char *a = argv[i];
        if (!strcmp(a, "--config") || !strcmp(a, "--serve") || !strcmp(a, "--routes") || !strcmp(a, "--openapi")
            || !strcmp(a, "--help") || !strcmp(a, "-h") || !strcmp(a, "-?"))
            return 0;
        /* A --prefork manager runs no handler; the workers it starts confine themselves as they start. Were the manager
           confined, its rule for /proc/self (its own /proc/PID) would deny each worker its own /proc entries. */
        if (!strcmp(a, "--prefork"))
            return 0;
        if (!strcmp(a, "--fastcgi") || !strcmp(a, "--sandbox-check"))
            fastcgi = 1;
    }
    if (fastcgi)
        return 1;
    int listening = 0;
    socklen_t length = sizeof listening;
    return getsockopt(0, SOL_SOCKET, SO_ACCEPTCONN, &listening, &length) == 0 && listening; /* spawn-fcgi, systemd */
}

/* Whether the policy has the directive `word` alone on a line. */
static int has_line(const char *word)
{
    size_t length = strlen(word);
    for (const char *line = policy; *line;)
    {
        const char *end = strchr(line, '\n');
        size_t n = end ? (size_t)(end - line) : strlen(line);
        if (n == length && strncmp(line, word, n) == 0)
            return 1;
        line += n + (end ? 1 : 0);
    }
    return 0;
}

#ifndef __GLIBC__
/* Other C libraries do not pass main's arguments to constructors: read them from /proc/self/cmdline instead. */
static char command_line[8192];
static char *command_arguments[256];
static int read_arguments(char ***argv)
{
    int fd = open("/proc/self/cmdline", O_RDONLY | O_CLOEXEC);
    ssize_t length = fd < 0 ? -1 : read(fd, command_line, sizeof command_line - 1);
    if (fd >= 0)
        close(fd);
    int argc = 0;
    for (ssize_t i = 0; i < length && argc < 255; i += (ssize_t)strlen(command_line + i) + 1)
        command_arguments[argc++] = command_line + i;
    *argv = command_arguments;
    return argc;
}
#endif

__attribute__((constructor)) static void cgirouting_sandbox(int argc, char **argv, char **envp)
{
    (void)envp;
#ifndef __GLIBC__
    argc = read_arguments(&argv);
#endif
    if (policy[0] == 0)
        return; /* no [assembly: Sandbox]: nothing is confined */
    request_method = getenv("REQUEST_METHOD");
    state |= DECLARED;
    if (has_line("required"))
        state |= REQUIRED;
    if (has_line("exec"))
        state |= EXEC;
    if (!serves_requests(argc, argv))
        return;
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
    {
        say("%sno_new_privs refused (errno %ld): nothing is confined\n", "", errno);
        state |= INCOMPLETE;
    }
    else
    {
        state |= APPLIED;
        landlock(argc, argv);
        seccomp_filter();
    }
    if ((state & INCOMPLETE) && (state & REQUIRED) && request_method != NULL)
    {
        /* A CGI request is refused here, before the runtime starts; a FastCGI worker refuses each request it is sent
           (FastCgiConnection), since its standard output is not a response, with the same text (refusal). */
        static const char headers[] = "Status: 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n";
        (void)!write(2, "CgiRouting: ", 12);
        (void)!write(2, refusal, sizeof refusal - 1);
        (void)!write(1, headers, sizeof headers - 1);
        if (strcmp(request_method, "HEAD") != 0)
            (void)!write(1, refusal, sizeof refusal - 1);
        _exit(0);
    }
    if ((state & INCOMPLETE) && !(state & REQUIRED))
    {
        static const char line[] = "CgiRouting: the sandbox is not fully enforced by this kernel (run the app with --sandbox-check to see what is): serving with what it enforces.\n";
        (void)!write(2, line, sizeof line - 1);
    }
}

/* The bits above (DECLARED, APPLIED, FILES, PORTS, SCOPES, SYSCALLS, REQUIRED, INCOMPLETE, EXEC). */
int cgirouting_sandbox_state(void) { return state; }

/* The policy as declared (one directive per line), and what this process enforces of it, as text. */
const char *cgirouting_sandbox_policy(void) { return policy; }
const char *cgirouting_sandbox_refusal(void) { return refusal; }
const char *cgirouting_sandbox_report(void)
{
    static char report[8192];
    size_t used = 0;
    for (int i = 0; i < event_count && used < sizeof report - 1; i++)
    {
        int n = snprintf(report + used, sizeof report - used, events[i].format, texts + events[i].text, events[i].number);
        if (n > 0)
            used += (size_t)n < sizeof report - used ? (size_t)n : sizeof report - used - 1;
    }
    report[used] = 0;
    return report;
}
