# Build a 1.5M-element list, sort it as integers, sum it.
proc lists {n} {
    set l {}
    for {set i 0} {$i < $n} {incr i} {
        lappend l [expr {($i * 7919) % 1000003}]
    }
    set sorted [lsort -integer $l]
    set sum 0
    foreach x $sorted { incr sum $x }
    return [list [llength $sorted] [lindex $sorted 0] [lindex $sorted end] $sum]
}
puts [lists 1500000]
