# Records tclsh's results for test/expr/cases.txt into test/expr/expected.jsonl:
#   tclsh test/expr/record.tcl
# Each case line is an expression (<NL> and <TAB> stand for a newline and a tab). For each one the
# expression is evaluated three ways, as the tests replay them: at run time (expr $e), compiled in a
# proc body (expr {e}), and as a compiled condition (if {e} ...); lines starting "R " only the first way. Errors are recorded as message,
# errorCode and the first lines of errorInfo (up to the failing command).

set dir [file dirname [file normalize [info script]]]

proc json {s} {
    set map [list \\ \\\\ \" \\\" \n \\n \r \\r \t \\t]
    set out [string map $map $s]
    # Other control characters as \u escapes.
    regsub -all {[\x00-\x1f]} $out {} chk
    if {$chk ne $out} {
        set res ""
        foreach ch [split $out ""] {
            scan $ch %c code
            if {$code < 32} { append res [format "\\u%04x" $code] } else { append res $ch }
        }
        set out $res
    }
    return "\"$out\""
}

proc setup {} {
    uplevel #0 {
        set x 0x10; set y " 7 "; set z 1.50; set w 1e2; set nan NaN; set e ""; set tr true; set fa false
        set big 123456789012345678901234567890; set q abc; set i 5; set d 2.5; set neg -7
        set lst {a b c}; set oct 09; set long [string repeat abcdefghij 6]
        array set arr {k 4 1 one}
    }
}

# First lines of errorInfo: up to and including the quoted failing command.
proc infoHead {info} {
    set lines [split $info \n]
    set out {}
    foreach l $lines {
        lappend out $l
        if {[string match {"*} $l] && [llength $out] > 1} break
    }
    return [join $out \n]
}

# The table of operators ("R " lines) keeps no errorInfo: it is always "while executing" there.
proc outcome {code result opts {withInfo 1}} {
    if {$code == 0} { return "{\"ok\":[json $result]}" }
    if {$code == 1} {
        set out "{\"err\":[json $result],\"code\":[json [dict get $opts -errorcode]]"
        if {$withInfo} { append out ",\"info\":[json [infoHead [dict get $opts -errorinfo]]]" }
        return "$out}"
    }
    return "{\"rc\":$code,\"result\":[json $result]}"
}

set in [open [file join $dir cases.txt]]
set out [open [file join $dir expected.jsonl] w]
fconfigure $out -encoding utf-8
fconfigure $in -encoding utf-8
while {[gets $in line] >= 0} {
    if {$line eq "" || [string index $line 0] eq "#"} continue
    # "R " lines: run-time evaluation only.
    set runtimeOnly [string match {R *} $line]
    if {$runtimeOnly} { set ex [string range $line 2 end] } else { set ex $line }
    set ex [string map [list <NL> \n <TAB> \t] $ex]
    setup
    expr {srand(7)}
    set c [catch {uplevel #0 [list expr $ex]} r o]
    set R [outcome $c $r $o [expr {!$runtimeOnly}]]
    # Compiled forms need the text to survive as a braced word.
    if {!$runtimeOnly && [info complete "{$ex}"] && ![string match {*\\*} $ex]} {
        setup
        expr {srand(7)}
        proc ::__c {} "upvar #0 x x y y z z w w nan nan e e tr tr fa fa big big q q i i d d neg neg lst lst oct oct long long arr arr\nexpr {$ex}"
        set c [catch {::__c} r o]
        set C [outcome $c $r $o]
        setup
        proc ::__b {} "upvar #0 x x y y z z w w nan nan e e tr tr fa fa big big q q i i d d neg neg lst lst oct oct long long arr arr\nif {$ex} {return 1} else {return 0}"
        set c [catch {::__b} r o]
        set B [outcome $c $r $o]
    } else {
        set C null
        set B null
    }
    puts $out "{\"e\":[json $line],\"R\":$R,\"C\":$C,\"B\":$B}"
}
close $out
