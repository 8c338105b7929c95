// Compares the stack bounds native/cgirouting_stack.c gives (linked with -Wl,--wrap=pthread_getattr_np, as the
// package links every app) with glibc's own, which reads /proc/self/maps for the initial thread: on the initial thread
// and on another one. Exits 0 when they agree, else prints what differs.
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>

extern int __wrap_pthread_getattr_np(pthread_t thread, pthread_attr_t *attr);
extern int __real_pthread_getattr_np(pthread_t thread, pthread_attr_t *attr);

static int compare(const char *which) {
    pthread_attr_t ours, theirs;
    void *low, *glibc_low;
    size_t size, glibc_size;
    if (__wrap_pthread_getattr_np(pthread_self(), &ours) || pthread_attr_getstack(&ours, &low, &size)
        || __real_pthread_getattr_np(pthread_self(), &theirs) || pthread_attr_getstack(&theirs, &glibc_low, &glibc_size)) {
        printf("%s: a call failed\n", which);
        return 1;
    }
    if (low != glibc_low || size != glibc_size) {
        printf("%s: ours %p + %zu, glibc's %p + %zu\n", which, low, size, glibc_low, glibc_size);
        return 1;
    }
    return 0;
}

static void *other(void *result) {
    *(int *)result = compare("another thread");
    return NULL;
}

int main(void) {
    int failed = compare("the initial thread"), other_failed = 1;
    pthread_t thread;
    if (pthread_create(&thread, NULL, other, &other_failed) == 0)
        pthread_join(thread, NULL);
    return failed || other_failed;
}
