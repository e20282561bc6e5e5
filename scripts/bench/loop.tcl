# A 10M-iteration for loop with expr inside a proc.
proc loop {n} {
    set sum 0
    for {set i 0} {$i < $n} {incr i} {
        set sum [expr {$sum + $i * 2 % 7}]
    }
    return $sum
}
puts [loop 10000000]
