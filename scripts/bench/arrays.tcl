# 1M array element sets and 1M dict updates.
proc arrays {n} {
    for {set i 0} {$i < $n} {incr i} {
        set a([expr {$i % 1000}]) $i
    }
    set d [dict create]
    for {set i 0} {$i < $n} {incr i} {
        dict incr d [expr {$i % 1000}] $i
    }
    return [list [array size a] [dict size $d] [dict get $d 999]]
}
puts [arrays 1000000]
