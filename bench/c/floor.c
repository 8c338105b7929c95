/* The physical floor: the same response from C. */
#include <unistd.h>

static const char response[] =
    "Status: 200 OK\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: 29\r\n\r\n"
    "{\"message\":\"Hello\",\"count\":5}";

int main(void)
{
    return write(1, response, sizeof response - 1) == (ssize_t)(sizeof response - 1) ? 0 : 1;
}
