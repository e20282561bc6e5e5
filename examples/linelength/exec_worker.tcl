# Line-length server: accept, then exec a fresh interpreter per connection.
#   tclshim exec_worker.tcl ?port?
# The connection becomes the worker's stdin and stdout (`<@ $chan >@ $chan`); the worker,
# worker.tcl, knows nothing of sockets. The parent closes its copy at once, so the connection
# ends when the worker does. Background children are reaped by the next `exec`, as Tcl does.
set port [expr {$argc > 0 ? [lindex $argv 0] : 54001}]
set addr [expr {[info exists env(LINELENGTH_ADDR)] ? $env(LINELENGTH_ADDR) : "127.0.0.1"}]
set worker [file join [file dirname [file normalize [info script]]] worker.tcl]

proc accept {chan clientAddr clientPort} {
    exec [info nameofexecutable] $::worker <@ $chan >@ $chan 2>@ stderr &
    close $chan
}

set listener [socket -server accept -myaddr $addr $port]
fconfigure stdout -buffering line
puts "ready [pid] [lindex [fconfigure $listener -sockname] 2]"
vwait forever
