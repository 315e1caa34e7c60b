import Testing

@testable import Charts

/// Which template texts may change a shared map (and so force rendering in helm's order).
@Suite struct SharedMapMutationTests {
    @Test(arguments: [
        ("{{ $_ := set .Values \"a\" 1 }}", true),
        ("{{- unset .Values \"a\" -}}", true),
        ("{{ merge $a $b }}", true),
        ("{{ $x := mustMergeOverwrite (dict) .Values }}", true),
        ("{{ mergeOverwrite $a $b }}{{ mustMerge $a $b }}", true),
        ("{{ tpl .Values.text . }}", true),
        ("{{ include \"x\" . | tpl }}", true),
        ("{{ (set) }}", true),
        ("{{ if .Values.set }}{{ end }}", true),  // a field named like a mutator: over-approximated
        ("{{ \"unterminated", true),
        ("{{ /* comment", true),
        ("set merge tpl unset: text outside actions never runs", false),
        ("{{/* set the value, merge later */}}", false),
        ("{{ \"set\" }} {{ `merge` }} {{ 'u' }}", false),
        ("{{ print \"}} {{ set\" }}", false),
        ("{{ print \"\\\" set\" }}", false),
        ("{{ .Values.settings | toYaml }}{{ offset }}{{ mergeKeys }}", false),
        ("{{ include \"set\" . }}", false),
        ("", false),
    ])
    func detection(text: String, mutates: Bool) {
        #expect(SharedMapMutation.mayMutate(text) == mutates, "\(text)")
    }
}
