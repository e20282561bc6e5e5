# Build a 1M-line string, split it into lines, and string map it.
proc strings {n} {
    set s ""
    for {set i 0} {$i < $n} {incr i} {
        append s "line $i of the text\n"
    }
    set lines [split $s \n]
    set mapped [string map {line LINE text TEXT { of } -} $s]
    return [list [llength $lines] [string length $mapped] [string range $mapped 0 20]]
}
puts [strings 1000000]
