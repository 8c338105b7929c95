// Holds native/cgirouting_mountinfo.c (linked with -Wl,--wrap=fopen64, as the package links every app) to the .NET
// runtime's reading of /proc/self/mountinfo: the cgroup hierarchy mount that reading finds for a subsystem (a cgroup v1
// controller, or any cgroup file system for v2) must be the same in the filtered file as in the file itself. Read here
// as the runtime reads it (line by line; the " - " separator, then the file system type and the super options with
// sscanf; a line it cannot parse ends the reading; the last matching line wins): for this machine's real file, through
// the wrapped fopen64 and glibc's own, and for made-up files (malformed lines, no final line end, repeated controllers,
// and thousands of random ones) through the filter itself. Exits 0 when all agree, else prints what differs.
#define _GNU_SOURCE
#include <stdio.h>
#include <sys/types.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern FILE *__wrap_fopen64(const char *path, const char *mode);
extern FILE *__real_fopen64(const char *path, const char *mode);
extern size_t cgirouting_filter_mountinfo(char *data, size_t length);
extern FILE *cgirouting_open_cgroup_lines(const char *path);
extern void cgirouting_mountinfo_done(void);

static int has_option(char *options, const char *subsystem) {
    char *context = NULL;
    for (char *option = strtok_r(options, ",", &context); option != NULL; option = strtok_r(NULL, ",", &context)) {
        if (strcmp(option, subsystem) == 0)
            return 1;
    }
    return 0;
}

// "root mount" of the hierarchy that the runtime's reading of file finds for subsystem (NULL: any cgroup file system),
// "none" when it finds none; "+ended" when a line ended the reading.
static void find(FILE *file, const char *subsystem, char *result, size_t size) {
    char *line = NULL;
    size_t capacity = 0;
    snprintf(result, size, "none");
    ssize_t read;
    while ((read = getline(&line, &capacity, file)) != -1) {
        size_t room = (size_t)read + 1; // every field fits in a buffer the size of the line, as the runtime sizes its own
        char *type = malloc(room), *options = malloc(room), *root = malloc(room), *mount = malloc(room);
        char *separator = strstr(line, " - ");
        int ended = separator == NULL || sscanf(separator, " - %s %*s %s", type, options) != 2;
        if (!ended && strncmp(type, "cgroup", 6) == 0 && (subsystem == NULL || has_option(options, subsystem))
            && sscanf(line, "%*s %*s %*s %s %s ", root, mount) == 2)
            snprintf(result, size, "%.4000s %.4000s", root, mount);
        free(type);
        free(options);
        free(root);
        free(mount);
        if (ended) {
            strncat(result, "+ended", size - strlen(result) - 1);
            break;
        }
    }
    free(line);
}

static const char *const subsystems[] = { NULL, "memory", "cpu", "cpuacct", "pids", "name=systemd" };
static int failures;

static void compare_streams(const char *what, FILE *(*open_original)(void *), FILE *(*open_filtered)(void *), void *state) {
    for (size_t i = 0; i < sizeof subsystems / sizeof *subsystems; i++) {
        char original[9000], filtered[9000];
        FILE *file = open_original(state);
        find(file, subsystems[i], original, sizeof original);
        fclose(file);
        file = open_filtered(state);
        find(file, subsystems[i], filtered, sizeof filtered);
        fclose(file);
        if (strcmp(original, filtered) != 0 && failures++ < 20)
            printf("%s, %s: the file gives '%s', the filtered file '%s'\n", what, subsystems[i] ? subsystems[i] : "any", original, filtered);
    }
}

static FILE *open_real(void *state) { (void)state; return __real_fopen64("/proc/self/mountinfo", "r"); }
static FILE *open_wrapped(void *state) { (void)state; return __wrap_fopen64("/proc/self/mountinfo", "r"); }

static char text[65536], copy[65536];
static FILE *open_bytes(char *data, size_t length) {
    return length == 0 ? __real_fopen64("/dev/null", "r") : fmemopen(data, length, "r");
}
static FILE *open_text(void *state) { return open_bytes(text, *(size_t *)state); }
static FILE *open_filtered_text(void *state) {
    static size_t length;
    memcpy(copy, text, *(size_t *)state);
    length = cgirouting_filter_mountinfo(copy, *(size_t *)state);
    return open_bytes(copy, length);
}

static void compare_bytes(const char *what, const char *made_up, size_t length) {
    memcpy(text, made_up, length);
    compare_streams(what, open_text, open_filtered_text, &length);
}

static void compare_text(const char *what, const char *made_up) { compare_bytes(what, made_up, strlen(made_up)); }

static unsigned long long seed = 88172645463325252ULL;
static unsigned pick(unsigned n) {
    seed ^= seed << 13;
    seed ^= seed >> 7;
    seed ^= seed << 17;
    return (unsigned)(seed % n);
}

int main(void) {
    compare_streams("/proc/self/mountinfo", open_real, open_wrapped, NULL);
    FILE *other = __wrap_fopen64("/proc/self/maps", "r"); // any other file: glibc's own stream, unfiltered
    if (other == NULL || fgetc(other) == EOF) {
        printf("/proc/self/maps did not open through the wrapper\n");
        failures++;
    }
    if (other != NULL)
        fclose(other);

    const char *v1 =
        "20 1 8:1 / / rw,relatime - ext4 /dev/sda1 rw\n"
        "21 20 0:5 / /sys rw - sysfs sysfs rw\n"
        "22 21 0:6 / /sys/fs/cgroup ro - tmpfs tmpfs ro,mode=755\n"
        "23 22 0:7 / /sys/fs/cgroup/unified rw shared:3 - cgroup2 cgroup2 rw,nsdelegate\n"
        "24 22 0:8 /docker/abc /sys/fs/cgroup/memory rw master:1 - cgroup cgroup rw,memory\n"
        "25 22 0:9 / /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct\n"
        "26 20 0:10 / /proc rw - proc proc rw\n";
    compare_text("v1 hybrid", v1);
    compare_text("v2",
        "20 1 8:1 / / rw - ext4 /dev/sda1 rw\n30 20 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n31 20 0:5 / /run rw - tmpfs tmpfs rw\n");
    compare_text("a line with no separator ends the reading",
        "24 22 0:8 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n25 1 0:1 / /x rw no separator\n"
        "26 22 0:9 /b /sys/fs/cgroup/memory2 rw - cgroup cgroup rw,memory\n");
    compare_text("two fields after the separator end the reading",
        "21 1 0:5 / /sys rw - sysfs sysfs\n24 22 0:8 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n");
    compare_text("no final line end", "20 1 8:1 / / rw - ext4 /dev/sda1 rw\n24 22 0:8 / /m rw - cgroup cgroup rw,memory");
    compare_text("the last matching line wins",
        "24 22 0:8 /a /m1 rw - cgroup cgroup rw,memory\n20 1 8:1 / / rw - ext4 /dev/sda1 rw\n25 22 0:8 /b /m2 rw - cgroup cgroup rw,memory\n");
    compare_text("types that only resemble cgroup",
        "24 22 0:8 /a /m1 rw - xcgroup c rw,memory\n25 22 0:8 /b /m2 rw - cgroupfs c rw,memory\n26 22 0:8 /c /m3 rw - cgrou c rw,memory\n");
    compare_text("white space", "24  22 0:8 /a /m1 rw -\tcgroup  c \t rw,memory \n25 22 0:8 /b /m2 rw -  ext4 x rw\n");
    compare_text("empty", "");
    compare_text("only other mounts", "20 1 8:1 / / rw - ext4 /dev/sda1 rw\n");

    static const char *const spaces[] = { " ", "\t", " \t", "\v", "\f", "\r", "  " };
    static const char *const types[] = { "cgroup", "cgroup2", "ext4", "tmpfs", "cgroupx", "proc", "a-b", "-" };
    static const char *const options[] = { "rw,memory", "rw,cpu,cpuacct", "rw", "rw,pids", "rw,name=systemd", "memory" };
    static const char *const tails[] = { "", " extra", "\t", "  " };
    for (int round = 0; round < 5000; round++) {
        char made_up[8192];
        size_t at = 0;
        int lines = (int)pick(12);
        for (int i = 0; i < lines && at < sizeof made_up - 256; i++) {
            switch (pick(20)) {
            case 0: // no separator
                at += (size_t)snprintf(made_up + at, sizeof made_up - at, "%d 1 0:1 / /x%d rw shared:1 %s\n", i, i, types[pick(6)]);
                break;
            case 1: // too few fields after it
                at += (size_t)snprintf(made_up + at, sizeof made_up - at, "%d 1 0:1 / /x%d rw - %s%s\n", i, i, types[pick(6)], pick(2) ? " src" : "");
                break;
            case 2: // a dash inside a field, and white space of every kind around the fields
                at += (size_t)snprintf(made_up + at, sizeof made_up - at, "%d 1 0:1 /r-%u /m-%d rw%s-%s%s%s%s%s%s\n", i, pick(3), i,
                    spaces[pick(7)], spaces[pick(7)], types[pick(8)], spaces[pick(7)], "s-rc", spaces[pick(7)], options[pick(6)]);
                break;
            case 3: // a NUL inside the line
                at += (size_t)snprintf(made_up + at, sizeof made_up - at, "%d 1 0:1 / /m%d rw - ", i, i);
                made_up[at++] = '\0';
                at += (size_t)snprintf(made_up + at, sizeof made_up - at, " cgroup c rw,memory\n");
                break;
            default:
                at += (size_t)snprintf(made_up + at, sizeof made_up - at, "%d 1 0:1 /r%u /m%d rw%s -%s%s%ssrc%s%s%s\n", i, pick(3), i,
                    pick(3) ? "" : " master:1", spaces[pick(7)], types[pick(8)], spaces[pick(7)], spaces[pick(7)], options[pick(6)], tails[pick(4)]);
            }
        }
        if (at > 0 && pick(4) == 0)
            at--; // no final line end
        char what[32];
        snprintf(what, sizeof what, "random file %d", round);
        compare_bytes(what, made_up, at);
    }
    // A line longer than any fixed buffer (an overlay mount with many layers), then a cgroup line.
    static char long_line[20000];
    size_t at = (size_t)snprintf(long_line, sizeof long_line, "20 1 0:30 / / rw - overlay overlay rw,lowerdir=");
    while (at < 12000)
        long_line[at++] = 'l';
    at += (size_t)snprintf(long_line + at, sizeof long_line - at, "\n24 22 0:8 /x /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n");
    compare_bytes("a long line", long_line, at);

    // A file larger than the first read buffer, read through the wrapper's own opening (the file of any path).
    char path[] = "/tmp/cgirouting-mountinfo-XXXXXX";
    int descriptor = mkstemp(path);
    FILE *big = descriptor < 0 ? NULL : fdopen(descriptor, "w");
    for (int i = 0; big != NULL && i < 600; i++)
        fprintf(big, "%d 1 0:%d / /mnt/some/where/%d rw,relatime shared:%d - %s src rw,memory\n", i, i, i, i, i % 100 == 7 ? "cgroup" : "ext4");
    if (big != NULL)
        fclose(big);
    FILE *original = __real_fopen64(path, "r"), *filtered = cgirouting_open_cgroup_lines(path);
    char from_file[9000] = "unopened", from_filter[9000] = "unopened";
    if (original != NULL) {
        find(original, "memory", from_file, sizeof from_file);
        fclose(original);
    }
    if (filtered != NULL) {
        find(filtered, "memory", from_filter, sizeof from_filter);
        fclose(filtered);
    }
    unlink(path);
    if (strcmp(from_file, "/ /mnt/some/where/507") != 0 || strcmp(from_filter, from_file) != 0) {
        printf("a 40 KB file: the file gives '%s', the filtered file '%s'\n", from_file, from_filter);
        failures++;
    }

    // Once the app's code runs, the file is glibc's own again: every line of it.
    cgirouting_mountinfo_done();
    FILE *after = __wrap_fopen64("/proc/self/mountinfo", "r"), *real = __real_fopen64("/proc/self/mountinfo", "r");
    int after_lines = 0, real_lines = 0, c;
    while (after != NULL && (c = fgetc(after)) != EOF)
        after_lines += c == '\n';
    while (real != NULL && (c = fgetc(real)) != EOF)
        real_lines += c == '\n';
    if (after == NULL || real == NULL || after_lines != real_lines || fileno(after) < 0) {
        printf("after cgirouting_mountinfo_done: %d lines through the wrapper, %d in the file\n", after_lines, real_lines);
        failures++;
    }
    if (after != NULL)
        fclose(after);
    if (real != NULL)
        fclose(real);

    if (failures == 0)
        printf("the filtered mountinfo gives the runtime what the file gives it\n");
    return failures != 0;
}
