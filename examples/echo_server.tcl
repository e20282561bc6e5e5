# Pre-forked echo server over socketserver: the parent accepts (in socketserver's thread) and
# queues every connection; each worker takes one connection at a time off the shared queue.
#
#   tclshim examples/echo_server.tcl ?port? ?workers?      (defaults: 8888, 4)
#
# Every line is answered with "<worker pid> <ip> <port> <line>"; a line containing "quit" is
# answered, then the connection closes and that worker asks for the next one.
# kill -USR1 <parent pid> forks one more worker; kill -TERM <parent pid> stops the parent only:
# stop everything with kill -TERM -<process group>. The address bound is any address, or
# $env(TCLSHIM_SOCKETSERVER_BIND) (tests set 127.0.0.1).
package require Tclx
package require socketserver

set port [expr {$argc > 0 ? [lindex $argv 0] : 8888}]
set workers [expr {$argc > 1 ? [lindex $argv 1] : 4}]

proc serve_line {chan ipaddr port} {
    if {[catch {gets $chan line} n] || $n < 0} {
        # The client went away (or broke the connection) without saying quit.
        if {[catch {eof $chan} atEof] || $atEof} {
            next_connection $chan
        }
        return
    }
    if {[catch {puts $chan "[pid] $ipaddr $port $line"}]} {
        next_connection $chan
        return
    }
    if {[string first quit $line] >= 0} {
        next_connection $chan
    }
}

proc next_connection {chan} {
    catch {close $chan}
    ::socketserver::socket client -port $::port accept_connection
}

proc accept_connection {chan ipaddr port} {
    fconfigure $chan -encoding utf-8 -buffering line -blocking 1 -translation lf
    fileevent $chan readable [list serve_line $chan $ipaddr $port]
}

proc worker {} {
    # Only the parent adds workers: a USR1 sent to the whole process group must not fork here.
    signal ignore SIGUSR1
    ::socketserver::socket client -port $::port accept_connection
    vwait forever
}

proc make_worker {} {
    set pid [fork]
    if {$pid == 0} {
        worker
        exit 0
    }
    puts "worker $pid"
}

::socketserver::socket server $port
fconfigure stdout -buffering line
puts "echo server [pid] on port $port"
signal trap SIGUSR1 make_worker
for {set i 0} {$i < $workers} {incr i} {
    make_worker
}
vwait forever
