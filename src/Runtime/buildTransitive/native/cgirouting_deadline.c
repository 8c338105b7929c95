/*
 * The per-request deadline of a CgiRouting app published with Native AOT (CgiOptions.Timeout), without a thread.
 *
 * A CGI process serves one request. Arming costs two system calls (sigaction, setitimer) and no thread: when the
 * time is up the kernel sends SIGALRM, and this handler answers 503 and ends the process, also while a synchronous
 * handler blocks the main thread. Managed code cannot run in a signal handler, so the answer and the log line are
 * bytes prepared when the deadline is armed; the handler only makes async-signal-safe calls (write, _exit).
 *
 * Compiled by CgiRouting.props with the C compiler that links the app, and bound at link time (DirectPInvoke).
 * src/Runtime/Cgi/RequestDeadline.cs is the managed side.
 */
#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

enum { RUNNING, FINISHED, EXPIRED };

static int state = FINISHED; /* nothing armed */
static const char *response, *log_line;
static size_t response_length, log_length;

static void write_all(int descriptor, const char *bytes, size_t length)
{
    while (length > 0)
    {
        ssize_t n = write(descriptor, bytes, length);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return; /* the server went away: nobody is left to answer */
        bytes += n;
        length -= (size_t)n;
    }
}

static void expire(int signal_number)
{
    (void)signal_number;
    int running = RUNNING;
    if (!__atomic_compare_exchange_n(&state, &running, EXPIRED, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
        return; /* the response is being written already */
    write_all(2, log_line, log_length);
    write_all(1, response, response_length);
    _exit(0);
}

/*
 * Arms the deadline: after `milliseconds`, unless cgirouting_deadline_finish ran first, writes `log` to standard
 * error and `answer` to standard output and ends the process. Both buffers must live until the process ends.
 * Returns 0, or -1 when the system refused (the caller then keeps a managed timer).
 */
int cgirouting_deadline_arm(long long milliseconds, const char *answer, size_t answer_length, const char *log,
                            size_t log_length_)
{
    response = answer;
    response_length = answer_length;
    log_line = log;
    log_length = log_length_;
    __atomic_store_n(&state, RUNNING, __ATOMIC_SEQ_CST);

    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = expire;
    action.sa_flags = SA_RESTART;
    sigemptyset(&action.sa_mask);
    if (sigaction(SIGALRM, &action, NULL) != 0)
        return -1;
    struct itimerval timer;
    memset(&timer, 0, sizeof timer);
    timer.it_value.tv_sec = (time_t)(milliseconds / 1000);
    timer.it_value.tv_usec = (suseconds_t)(milliseconds % 1000 * 1000);
    return setitimer(ITIMER_REAL, &timer, NULL);
}

/*
 * Marks the request finished, so the deadline will not answer, and returns 1. When the deadline has begun to
 * answer already (on another thread), it never returns: the handler ends the process once its answer is out.
 * The timer is left to run: if it fires later, the handler finds the request finished and returns.
 */
int cgirouting_deadline_finish(void)
{
    int running = RUNNING;
    if (__atomic_compare_exchange_n(&state, &running, FINISHED, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
        return 1;
    for (;;)
        pause();
}
