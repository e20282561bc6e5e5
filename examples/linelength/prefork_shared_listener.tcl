# Line-length server: pre-forked workers sharing one listening socket.
#   tclshim prefork_shared_listener.tcl ?port? ?workers?
# The parent opens the listener and forks; every worker inherits it and runs its own event
# loop, accepting and serving many connections at once. Whichever worker's accept wins gets the
# connection (the others find nothing). The parent never enters the event loop: it only waits
# for workers and forks a replacement when one dies.
package require Tclx

set port [expr {$argc > 0 ? [lindex $argv 0] : 54001}]
set workers [expr {$argc > 1 ? [lindex $argv 1] : 4}]
set addr [expr {[info exists env(LINELENGTH_ADDR)] ? $env(LINELENGTH_ADDR) : "127.0.0.1"}]

proc serve_line {chan} {
    if {[catch {gets $chan line} n] || $n < 0} {
        if {[catch {eof $chan} atEof] || $atEof} {
            catch {close $chan}
        }
        return
    }
    puts $chan [string length $line]
}

proc accept {chan clientAddr clientPort} {
    fconfigure $chan -encoding utf-8 -translation {auto lf} -buffering line
    fileevent $chan readable [list serve_line $chan]
}

proc start_worker {} {
    set pid [fork]
    if {$pid == 0} {
        vwait forever
        exit 0
    }
    return $pid
}

set listener [socket -server accept -myaddr $addr $port]
# Several processes accept on this listener: with a blocking accept, a worker that lost the
# race for a connection would stall (with every connection it serves) until the next one.
fconfigure $listener -blocking 0
for {set i 0} {$i < $workers} {incr i} {
    start_worker
}
fconfigure stdout -buffering line
puts "ready [pid] [lindex [fconfigure $listener -sockname] 2]"
while 1 {
    # A trapped signal interrupts wait (retry); no child left at all means start one.
    if {[catch {wait} status] && [lindex $errorCode 1] ne "ECHILD"} continue
    start_worker
}
