# The echo protocol of examples/echo_server.tcl as a plain tclsh + TclX pre-fork server: workers
# forked after opening one `socket -server` listener all accept on it, each serving its
# connections from its own event loop. The comparison point of scripts/bench-socketserver.js.
#   tclsh prefork-echo.tcl ?port? ?workers? ?address?      (defaults: 8888, 4, 127.0.0.1)
package require Tclx

set port [expr {$argc > 0 ? [lindex $argv 0] : 8888}]
set workers [expr {$argc > 1 ? [lindex $argv 1] : 4}]
set addr [expr {$argc > 2 ? [lindex $argv 2] : "127.0.0.1"}]

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
    fconfigure $chan -encoding utf-8 -buffering line -blocking 1 -translation lf
    fileevent $chan readable [list serve_line $chan $ipaddr $port]
}

set listener [socket -server accept -myaddr $addr $port]
# A blocking accept would stall a worker that lost the race for a connection (and every
# connection it already serves) until the next one arrives.
fconfigure $listener -blocking 0
for {set i 0} {$i < $workers} {incr i} {
    if {[fork] == 0} {
        vwait forever
        exit 0
    }
}
fconfigure stdout -buffering line
puts "ready [pid] $port"
while 1 {
    if {[catch {wait} status] && [lindex $errorCode 1] ne "ECHILD"} continue
    if {[fork] == 0} {
        vwait forever
        exit 0
    }
}
