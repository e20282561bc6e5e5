# Line-length server: workers each with their own listener on one port (SO_REUSEPORT).
#   tclshim reuseport.tcl ?port? ?workers?
# Each worker opens `socket -server -reuseport 1` on the same address and port after the fork;
# the kernel hashes every incoming connection onto one of the listeners, so workers never race
# for a connection. The parent holds no listener: it supervises and replaces dead workers.
# (-reuseport is a Tcl 8.7 option: this one runs under tclshim, not tclsh 8.6.)
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

# Forks a worker and returns once it listens; a worker that cannot listen stops the server.
proc start_worker {} {
    lassign [chan pipe] readyIn readyOut
    set pid [fork]
    if {$pid == 0} {
        close $readyIn
        if {[catch {socket -server accept -reuseport 1 -myaddr $::addr $::port} msg]} {
            puts $readyOut "failed: $msg"
            exit 1
        }
        puts $readyOut up
        close $readyOut
        vwait forever
        exit 0
    }
    close $readyOut
    set status [gets $readyIn]
    close $readyIn
    if {$status ne "up"} {
        puts stderr "worker $pid could not listen: $status"
        catch {kill [dict keys $::running]}
        exit 1
    }
    dict set ::running $pid 1
}

set running {}
for {set i 0} {$i < $workers} {incr i} {
    start_worker
}
fconfigure stdout -buffering line
puts "ready [pid] $port"
while 1 {
    if {[catch {wait} status]} {
        if {[lindex $errorCode 1] ne "ECHILD"} continue
    } else {
        dict unset running [lindex $status 0]
    }
    start_worker
}
