/*
 * The FastCGI floor of bench/run.sh's throughput table: a C worker on libfcgi (Debian's libfcgi-dev), one thread,
 * answering every request with the same bytes samples/Hello's floor writes for GET /items/5 (read once from the file
 * given, headers and body), behind the same nginx settings as the other workers.
 *   libfcgi-worker SOCKET-PATH RESPONSE-FILE
 */
#include <fcgiapp.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    if (argc != 3)
    {
        fprintf(stderr, "usage: %s SOCKET-PATH RESPONSE-FILE\n", argv[0]);
        return 2;
    }
    FILE *file = fopen(argv[2], "rb");
    if (file == NULL)
    {
        perror(argv[2]);
        return 1;
    }
    static char response[65536];
    size_t length = fread(response, 1, sizeof response, file);
    fclose(file);
    if (FCGX_Init() != 0)
        return 1;
    int listener = FCGX_OpenSocket(argv[1], 128);
    if (listener < 0)
    {
        fprintf(stderr, "cannot listen on %s\n", argv[1]);
        return 1;
    }
    FCGX_Request request;
    FCGX_InitRequest(&request, listener, 0);
    while (FCGX_Accept_r(&request) >= 0)
    {
        FCGX_PutStr(response, (int)length, request.out);
        FCGX_Finish_r(&request);
    }
    return 0;
}
