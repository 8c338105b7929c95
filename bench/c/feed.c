/* Runs a program with a file as its standard input: "feed FILE PROGRAM [ARGS...]". hyperfine 1.15 has no --input,
   and a shell would cost more than the programs it starts; the benchmark times this small exec for every POST
   command alike and subtracts it. */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc < 3) {
        fputs("usage: feed FILE PROGRAM [ARGS...]\n", stderr);
        return 2;
    }
    int fd = open(argv[1], O_RDONLY);
    if (fd < 0 || dup2(fd, 0) < 0) {
        perror(argv[1]);
        return 2;
    }
    close(fd);
    execv(argv[2], argv + 2);
    perror(argv[2]);
    return 127;
}
