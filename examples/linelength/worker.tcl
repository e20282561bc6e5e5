# The line-length service on stdin/stdout, for exec_worker.tcl: one process per connection.
fconfigure stdin -encoding utf-8 -translation {auto lf}
fconfigure stdout -encoding utf-8 -translation lf -buffering line
while {[gets stdin line] >= 0} {
    puts [string length $line]
}
