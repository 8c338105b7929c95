// /proc/self/mountinfo as the .NET runtime reads it, without the lines it reads past.
//
// At every start the runtime looks for the cgroup hierarchies that limit the process, twice (once for the CPU limit,
// once for the garbage collector's memory limit): it reads /proc/self/mountinfo line by line and parses each with
// sscanf, about 1,800 instructions a line, to find the lines of cgroup file systems; every other mount is read past.
// On a host with a few dozen mounts that is most of the 130,000 instructions its cgroup start-up takes. A glibc binary
// is linked with -Wl,--wrap=fopen64 (CgiRouting.props), so the runtime's fopen64 calls come here: for that one file,
// opened for reading, it gets the file's lines of cgroup and cgroup2 file systems, in their order, and nothing else.
// What the runtime finds is unchanged: it takes the last matching line of a cgroup file system, and skips the others.
// A line it could not parse (fewer than three fields after the " - " separator) would end its reading there with what
// it had found, and one without the separator would stop the process (sscanf of NULL): from such a line on, everything
// is passed on as it is. Any other file, and any failure to read this one, goes to glibc's fopen64.
// tests/CgiRouting.EndToEnd.Tests/Native/mountinfo-check.c holds the runtime's reading of the filtered file to that of
// the file itself.
//
// Only while the runtime starts: once the app's code runs (CgiApp.SetDispatcher, from the generated module
// initializer), cgirouting_mountinfo_done ends the filtering, and a native library linked into the app that reads the
// file gets all of it. On other C libraries, only that function is here.
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

static int filtering = 1;

void cgirouting_mountinfo_done(void) {
    __atomic_store_n(&filtering, 0, __ATOMIC_RELEASE);
}

#if defined(__GLIBC__)
extern FILE *__real_fopen64(const char *path, const char *mode);

static int is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

// 1 when the line (without its line end) is of a cgroup file system, 0 when of another, -1 when the runtime could not
// parse it: the first " - ", then the file system type, the source and the super options, separated by white space.
static int classify(const char *line, size_t length) {
    // The first " - ", found by its '-' with memchr (vectorised): glibc's memmem prepares a search at every call, and
    // a loop over every byte cost more than the sscanf calls this saves.
    const char *p = line, *end = line + length;
    for (;;) {
        const char *dash = memchr(p, '-', (size_t)(end - p));
        if (dash == NULL || end - dash < 2)
            return -1;
        if (dash > line && dash[-1] == ' ' && dash[1] == ' ') {
            p = dash + 2;
            break;
        }
        p = dash + 1;
    }
    const char *type = NULL;
    size_t type_length = 0;
    for (int field = 0; field < 3; field++) {
        while (p < end && is_space(*p))
            p++;
        if (p == end)
            return -1;
        const char *start = p;
        while (p < end && !is_space(*p))
            p++;
        if (field == 0) {
            type = start;
            type_length = (size_t)(p - start);
        }
    }
    return type_length >= 6 && memcmp(type, "cgroup", 6) == 0;
}

// Keeps, in place, the lines of cgroup file systems of the length bytes at data (and every line from the first one
// the runtime could not parse); returns the new length.
size_t cgirouting_filter_mountinfo(char *data, size_t length) {
    size_t kept = 0, at = 0;
    int pass_rest = 0;
    while (at < length) {
        char *newline = memchr(data + at, '\n', length - at);
        size_t line_length = newline ? (size_t)(newline - (data + at)) : length - at;
        if (memchr(data + at, '\0', line_length) != NULL)
            pass_rest = 1; // a NUL would end the runtime's view of the line: not for this filter to judge
        int kind = pass_rest ? 1 : classify(data + at, line_length);
        line_length += newline != NULL;
        if (kind < 0)
            pass_rest = 1;
        if (kind != 0) {
            memmove(data + kept, data + at, line_length);
            kept += line_length;
        }
        at += line_length;
    }
    return kept;
}

struct filtered {
    char *data;
    size_t length, offset;
};

static ssize_t filtered_read(void *cookie, char *buffer, size_t size) {
    struct filtered *file = cookie;
    size_t left = file->length - file->offset;
    size_t count = size < left ? size : left;
    memcpy(buffer, file->data + file->offset, count);
    file->offset += count;
    return (ssize_t)count;
}

static int filtered_close(void *cookie) {
    struct filtered *file = cookie;
    free(file->data);
    free(file);
    return 0;
}

// The file at path (the runtime's /proc/self/mountinfo) read whole, as a stream of its cgroup lines; NULL when it
// could not be read.
FILE *cgirouting_open_cgroup_lines(const char *path) {
    int descriptor = open(path, O_RDONLY | O_CLOEXEC);
    if (descriptor < 0)
        return NULL;
    size_t capacity = 16384, length = 0;
    char *data = malloc(capacity);
    while (data != NULL) {
        if (length == capacity) {
            char *grown = realloc(data, capacity * 2);
            if (grown == NULL) {
                free(data);
                data = NULL;
                break;
            }
            data = grown;
            capacity *= 2;
        }
        ssize_t count = read(descriptor, data + length, capacity - length);
        if (count == 0)
            break;
        if (count < 0) {
            free(data);
            data = NULL;
            break;
        }
        length += (size_t)count;
    }
    close(descriptor);
    struct filtered *file = data ? malloc(sizeof *file) : NULL;
    FILE *stream = NULL;
    if (file != NULL) {
        *file = (struct filtered){ data, cgirouting_filter_mountinfo(data, length), 0 };
        stream = fopencookie(file, "r", (cookie_io_functions_t){ .read = filtered_read, .close = filtered_close });
    }
    if (stream == NULL) {
        free(file);
        free(data);
    }
    return stream;
}

FILE *__wrap_fopen64(const char *path, const char *mode) {
    if (__atomic_load_n(&filtering, __ATOMIC_ACQUIRE) && path != NULL && mode != NULL
        && strcmp(path, "/proc/self/mountinfo") == 0 && strcmp(mode, "r") == 0) {
        FILE *stream = cgirouting_open_cgroup_lines(path);
        if (stream != NULL)
            return stream;
    }
    return __real_fopen64(path, mode);
}
#endif
