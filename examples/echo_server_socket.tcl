# A line echo server on plain Tcl sockets (no extensions): every line a client sends is answered
# with "<pid> <ip> <port> <line>"; a line containing "quit" is answered too, then that connection
# closes.
#
#   tclsh echo_server_socket.tcl ?port? ?address?
#
# The port defaults to 8888 (0 picks a free one) and the address to 127.0.0.1. Once listening it
# prints "ready <port>" on stdout, so a test or benchmark can start its clients.

set port 8888
set addr 127.0.0.1
if {$argc > 0} {set port [lindex $argv 0]}
if {$argc > 1} {set addr [lindex $argv 1]}

proc accept {chan ip port} {
    fconfigure $chan -encoding utf-8 -translation lf -buffering line -blocking 0
    fileevent $chan readable [list serve $chan $ip $port]
}

# Nonblocking reads: take every complete line that has arrived, then wait for more.
proc serve {chan ip port} {
    while {[gets $chan line] >= 0} {
        puts $chan "[pid] $ip $port $line"
        if {[string first quit $line] >= 0} {
            close $chan
            return
        }
    }
    if {[eof $chan]} {
        close $chan
    }
}

set server [socket -server accept -myaddr $addr $port]
puts "ready [lindex [fconfigure $server -sockname] 2]"
flush stdout
vwait forever
