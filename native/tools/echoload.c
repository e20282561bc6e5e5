/*
 * echoload: load generator for the line-echo protocol served by the examples.
 *
 * Each connection sends M lines one at a time (waiting for each reply, which must end with the
 * line sent), then "quit", waits for the quit reply and for the server to close. N connections in
 * all, C in flight. Prints connections/s, lines/s, p50/p99 connection latency and errors.
 * With -L the protocol is the line-length server's: each reply must be the length of the line
 * sent, and after M lines the client shuts down its sending side and waits for the server to
 * close. Errors are broken down by kind on stderr; -v prints each failure as it happens.
 *
 *   echoload [-h 127.0.0.1] -p PORT [-n 10000] [-c 16] [-m 1] [-t seconds] [-L] [-v]
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum phase { CONNECTING, TALKING, QUITTING, CLOSING };

struct conn {
    int fd;
    enum phase phase;
    int sent;          /* lines sent, excluding quit */
    char expect[64];   /* the line whose reply we wait for */
    char in[4096];
    size_t inlen;
    double start;
};

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int cmpd(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static const char *host = "127.0.0.1";
static int port = 0, total = 10000, inflight = 16, lines = 1;
static double limit = 120;
static int ep;
static struct sockaddr_in addr;
static int started = 0, done = 0, errors = 0;
static int lengths_mode = 0, verbose = 0;

/* Why connections failed, for the report on stderr. */
enum failure { F_CONNECT, F_SEND, F_RESET, F_EARLY_EOF, F_BAD_REPLY, F_OVERLONG, F_TIMEOUT, F_COUNT };
static const char *failure_names[F_COUNT] = {
    "connect", "send", "reset", "early-eof", "bad-reply", "overlong-reply", "timeout",
};
static int failures[F_COUNT];
static long long lines_done = 0;
static double *lat;

static void fail(struct conn *c, enum failure why) {
    errors++;
    failures[why]++;
    if (verbose) {
        fprintf(stderr, "echoload: connection %d failed: %s (errno %d, phase %d, %d lines sent, buffer \"%.*s\")\n",
                c->fd, failure_names[why], errno, (int)c->phase, c->sent, (int)c->inlen, c->in);
    }
    close(c->fd); /* also leaves the epoll set: nothing else holds the socket */
    c->fd = -1;
}

static int send_line(struct conn *c, const char *text) {
    char buf[80];
    int n = snprintf(buf, sizeof buf, "%s\n", text);
    snprintf(c->expect, sizeof c->expect, "%s", text);
    /* Lines are short: a blocking-style full write almost always succeeds at once. */
    ssize_t w = send(c->fd, buf, (size_t)n, MSG_NOSIGNAL);
    return w == n ? 0 : -1;
}

/* Sends the next line, or quit, or (line-length protocol) the end of file; -1 and errno on failure. */
static int send_next(struct conn *c) {
    char text[64];
    if (c->sent < lines) {
        snprintf(text, sizeof text, "line %d of %d", c->sent + 1, lines);
        if (send_line(c, text) < 0) return -1;
        c->sent++;
        return 0;
    }
    if (lengths_mode) {
        /* The line-length protocol ends with the client's end of file. */
        c->phase = CLOSING;
        return shutdown(c->fd, SHUT_WR);
    }
    c->phase = QUITTING;
    return send_line(c, "quit");
}

static void next_line(struct conn *c) {
    if (send_next(c) < 0) fail(c, F_SEND);
}

/* Every connection is watched for input and the server's end of file; `extra` adds EPOLLOUT. */
static int watch(struct conn *c, int op, unsigned extra) {
    struct epoll_event ev = { .events = EPOLLIN | EPOLLRDHUP | extra, .data.ptr = c };
    return epoll_ctl(ep, op, c->fd, &ev);
}

static void wait_writable(struct conn *c) {
    watch(c, EPOLL_CTL_MOD, EPOLLOUT);
}

/*
 * Per connection the client makes as few system calls as it can, to leave a small machine's CPUs
 * to the server under test: over loopback the handshake has normally finished by the time
 * connect() returns, so the first line goes out at once; only when the send finds the connection
 * still opening (EAGAIN) does the client wait for it to become writable.
 */
static int start_conn(struct conn *c) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) { perror("socket"); return -1; }
    memset(c, 0, sizeof *c);
    c->fd = fd;
    c->start = now();
    c->phase = CONNECTING;
    started++;
    if (watch(c, EPOLL_CTL_ADD, 0) < 0) { perror("epoll_ctl"); close(fd); return -1; }
    if (connect(fd, (struct sockaddr *)&addr, sizeof addr) < 0 && errno != EINPROGRESS) {
        fail(c, F_CONNECT);
        return 0;
    }
    if (lines == 0 && lengths_mode) {
        wait_writable(c); /* a shutdown cannot tell an opening connection from an open one */
        return 0;
    }
    c->phase = TALKING;
    if (send_next(c) == 0) return 0;
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
        c->phase = CONNECTING;
        wait_writable(c);
    } else {
        fail(c, F_CONNECT);
    }
    return 0;
}

/* The server closed after the last reply: the connection succeeded. */
static void finish(struct conn *c) {
    lat[done++] = now() - c->start;
    close(c->fd);
    c->fd = -1;
}

static void on_event(struct conn *c, unsigned events) {
    if (c->phase == CONNECTING) {
        /* Still opening: nothing to ask yet (a failed connect reports EPOLLERR). */
        if (!(events & (EPOLLOUT | EPOLLERR | EPOLLHUP))) return;
        int err = 0;
        socklen_t len = sizeof err;
        getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len);
        if (err != 0) { errno = err; fail(c, F_CONNECT); return; }
        watch(c, EPOLL_CTL_MOD, 0);
        c->phase = TALKING;
        next_line(c);
        return;
    }
    if (!(events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR))) return;
    /* One read per wake-up: epoll is level-triggered, so whatever this leaves comes back. */
    size_t room = sizeof c->in - c->inlen - 1;
    ssize_t r = recv(c->fd, c->in + c->inlen, room, 0);
    if (r < 0) {
        if (errno != EAGAIN && errno != EWOULDBLOCK) fail(c, F_RESET);
        return;
    }
    if (r == 0) {
        if (c->phase == CLOSING) finish(c);
        else fail(c, F_EARLY_EOF);
        return;
    }
    c->inlen += (size_t)r;
    c->in[c->inlen] = 0;
    char *nl;
    while ((nl = memchr(c->in, '\n', c->inlen)) != NULL) {
        *nl = 0;
        size_t linelen = (size_t)(nl - c->in);
        int okreply;
        if (lengths_mode) {
            char want[24];
            snprintf(want, sizeof want, "%zu", strlen(c->expect));
            okreply = c->phase == TALKING && strcmp(c->in, want) == 0;
        } else {
            size_t el = strlen(c->expect);
            okreply = linelen >= el && strcmp(c->in + linelen - el, c->expect) == 0;
        }
        if (!okreply) { fail(c, F_BAD_REPLY); return; }
        memmove(c->in, nl + 1, c->inlen - linelen - 1);
        c->inlen -= linelen + 1;
        if (c->phase == TALKING) {
            lines_done++;
            next_line(c);
            if (c->fd < 0) return;
        } else if (c->phase == QUITTING) {
            c->phase = CLOSING;
        }
    }
    if (c->inlen >= sizeof c->in - 1) { fail(c, F_OVERLONG); return; }
    /*
     * The server's end of file had already arrived when epoll reported (EPOLLRDHUP) and this read
     * took everything before it: the connection is over without another read to see the 0.
     */
    if (c->phase == CLOSING && (events & EPOLLRDHUP) && (size_t)r < room && c->inlen == 0) finish(c);
}

int main(int argc, char **argv) {
    int opt;
    while ((opt = getopt(argc, argv, "h:p:n:c:m:t:Lv")) != -1) {
        switch (opt) {
            case 'h': host = optarg; break;
            case 'p': port = atoi(optarg); break;
            case 'n': total = atoi(optarg); break;
            case 'c': inflight = atoi(optarg); break;
            case 'm': lines = atoi(optarg); break;
            case 't': limit = atof(optarg); break;
            case 'L': lengths_mode = 1; break;
            case 'v': verbose = 1; break;
            default:
                fprintf(stderr, "usage: echoload [-h host] -p port [-n conns] [-c inflight] [-m lines] [-t secs] [-L] [-v]\n");
                return 2;
        }
    }
    if (port <= 0 || total <= 0 || inflight <= 0 || lines < 0) {
        fprintf(stderr, "echoload: -p port is required; -n, -c must be positive\n");
        return 2;
    }
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((unsigned short)port);
    if (inet_pton(AF_INET, host, &addr.sin_addr) != 1) {
        fprintf(stderr, "echoload: host must be a numeric IPv4 address\n");
        return 2;
    }
    ep = epoll_create1(EPOLL_CLOEXEC);
    if (ep < 0) { perror("epoll_create1"); return 1; }
    lat = calloc((size_t)total, sizeof *lat);
    struct conn *conns = calloc((size_t)inflight, sizeof *conns);
    if (lat == NULL || conns == NULL) { perror("calloc"); return 1; }
    for (int i = 0; i < inflight; i++) conns[i].fd = -1;
    double t0 = now();
    struct epoll_event evs[256];
    while (done + errors < total) {
        /* A connection can fail as it starts (refused at once): its slot starts the next one. */
        for (int i = 0; i < inflight && started < total; i++) {
            while (conns[i].fd < 0 && started < total) {
                if (start_conn(&conns[i]) < 0) return 1;
            }
        }
        if (done + errors >= total) break;
        if (now() - t0 > limit) {
            for (int i = 0; i < inflight; i++) if (conns[i].fd >= 0) fail(&conns[i], F_TIMEOUT);
            errors += total - started;
            failures[F_TIMEOUT] += total - started;
            break;
        }
        int n = epoll_wait(ep, evs, 256, 100);
        if (n < 0) {
            if (errno == EINTR) continue;
            perror("epoll_wait");
            return 1;
        }
        for (int i = 0; i < n; i++) {
            struct conn *c = evs[i].data.ptr;
            if (c->fd >= 0) on_event(c, evs[i].events);
        }
    }
    double elapsed = now() - t0;
    qsort(lat, (size_t)done, sizeof *lat, cmpd);
    double p50 = done ? lat[done / 2] : 0, p99 = done ? lat[(size_t)((done - 1) * 0.99)] : 0;
    printf("connections %d errors %d seconds %.3f conns/s %.1f lines/s %.1f p50_ms %.3f p99_ms %.3f\n",
           done, errors, elapsed, done / elapsed, lines_done / elapsed, p50 * 1e3, p99 * 1e3);
    if (errors > 0) {
        fprintf(stderr, "echoload: errors by kind:");
        for (int i = 0; i < F_COUNT; i++) if (failures[i]) fprintf(stderr, " %s %d", failure_names[i], failures[i]);
        fprintf(stderr, "\n");
    }
    free(lat);
    free(conns);
    return errors == 0 ? 0 : 1;
}
