# Line-length server: accept, then fork one child per connection (the classic design).
#   tclshim fork_per_connection.tcl ?port?
# The parent only accepts; each child serves its one client with blocking reads and exits at
# end of file. Children that exit are reaped on SIGCHLD with TclX's `wait`, so no zombie stays.
package require Tclx

set port [expr {$argc > 0 ? [lindex $argv 0] : 54001}]
set addr [expr {[info exists env(LINELENGTH_ADDR)] ? $env(LINELENGTH_ADDR) : "127.0.0.1"}]

proc serve {chan} {
    fconfigure $chan -encoding utf-8 -translation {auto lf} -buffering line
    while {[gets $chan line] >= 0} {
        puts $chan [string length $line]
    }
}

proc accept {chan clientAddr clientPort} {
    set pid [fork]
    if {$pid == 0} {
        # The child needs only its connection; the listener stays with the parent.
        close $::listener
        signal default SIGCHLD
        catch {serve $chan}
        catch {close $chan}
        exit 0
    }
    # The parent's copy of the connection would keep it open after the child is done.
    close $chan
}

proc reap {} {
    # One SIGCHLD may stand for several children: collect every one that has exited.
    while {![catch {wait -nohang} status] && $status ne ""} {}
}

signal trap SIGCHLD reap
set listener [socket -server accept -myaddr $addr $port]
fconfigure stdout -buffering line
puts "ready [pid] [lindex [fconfigure $listener -sockname] 2]"
vwait forever
