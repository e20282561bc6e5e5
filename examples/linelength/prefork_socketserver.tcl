# Line-length server: pre-forked workers fed by socketserver.
#   tclshim prefork_socketserver.tcl ?port? ?workers?
# socketserver's thread in the parent accepts and queues each connection on a socketpair that
# every worker inherited; an idle worker takes one connection, serves it to its end, then asks
# for the next. The parent only supervises: it forks a new worker when one dies.
package require Tclx
package require socketserver

set port [expr {$argc > 0 ? [lindex $argv 0] : 54001}]
set workers [expr {$argc > 1 ? [lindex $argv 1] : 4}]

proc serve_line {chan} {
    if {[catch {gets $chan line} n] || $n < 0} {
        if {[catch {eof $chan} atEof] || $atEof} {
            catch {close $chan}
            ::socketserver::socket client -port $::port take
        }
        return
    }
    puts $chan [string length $line]
}

proc take {chan clientAddr clientPort} {
    fconfigure $chan -encoding utf-8 -translation {auto lf} -buffering line -blocking 1
    fileevent $chan readable [list serve_line $chan]
}

proc start_worker {} {
    set pid [fork]
    if {$pid == 0} {
        ::socketserver::socket client -port $::port take
        vwait forever
        exit 0
    }
    return $pid
}

::socketserver::socket server $port
for {set i 0} {$i < $workers} {incr i} {
    start_worker
}
fconfigure stdout -buffering line
puts "ready [pid] $port"
# Supervise: whenever a worker exits, fork a replacement.
while 1 {
    # A trapped signal interrupts wait (retry); no child left at all means start one.
    if {[catch {wait} status] && [lindex $errorCode 1] ne "ECHILD"} continue
    start_worker
}
