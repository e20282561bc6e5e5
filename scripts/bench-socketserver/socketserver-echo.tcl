# The echo protocol of examples/echo_server.tcl on ::socketserver::socket, with workers that ask
# for their next connection as soon as they are handed one, so each serves several at once from
# its event loop, as the tclsh pre-fork and the Node cluster servers of this benchmark do.
# (examples/echo_server.tcl, like the original extension's example, serves one connection per
# worker at a time; the benchmark reports it too.)
#   tclshim socketserver-echo.tcl ?port? ?workers?      (defaults: 8888, 4)
package require Tclx
package require socketserver

set port [expr {$argc > 0 ? [lindex $argv 0] : 8888}]
set workers [expr {$argc > 1 ? [lindex $argv 1] : 4}]

proc serve_line {chan ipaddr port} {
    if {[catch {gets $chan line} n] || $n < 0} {
        if {[catch {eof $chan} atEof] || $atEof} {
            catch {close $chan}
        }
        return
    }
    if {[catch {puts $chan "[pid] $ipaddr $port $line"}] || [string first quit $line] >= 0} {
        catch {close $chan}
    }
}

proc accept {chan ipaddr port} {
    ::socketserver::socket client -port $::port accept
    fconfigure $chan -encoding utf-8 -buffering line -blocking 1 -translation lf
    fileevent $chan readable [list serve_line $chan $ipaddr $port]
}

::socketserver::socket server $port
for {set i 0} {$i < $workers} {incr i} {
    if {[fork] == 0} {
        ::socketserver::socket client -port $port accept
        vwait forever
        exit 0
    }
}
fconfigure stdout -buffering line
puts "ready [pid] $port"
while 1 {
    if {[catch {wait} status] && [lindex $errorCode 1] ne "ECHILD"} continue
    if {[fork] == 0} {
        ::socketserver::socket client -port $port accept
        vwait forever
        exit 0
    }
}
