import Testing

@testable import Charts

/// Helm 4.1's `(?:^|\s*\n)---\s*` splitter.
@Suite struct ManifestSplitterTests {
    @Test(arguments: [
        ("a: 1", ["a: 1"]),
        ("---\na: 1\n---\nb: 2\n", ["a: 1", "b: 2"]),
        ("a: 1\n\n\n---   \n\nb: 2", ["a: 1", "b: 2"]),
        ("a: 1\n---\n---\nb: 2", ["a: 1", "---\nb: 2"]),
        ("a: ---\nb: x---y", ["a: ---\nb: x---y"]),
        ("a: 1\n----\nb", ["a: 1", "-\nb"]),
        ("# only a comment\n---\nkind: X", ["# only a comment", "kind: X"]),
        ("  \n  ", []),
        ("a: 1\n---", ["a: 1"]),
        ("a: 1\n--- # trailing\nb: 2", ["a: 1", "# trailing\nb: 2"]),
    ])
    func split(text: String, documents: [String]) {
        #expect(ManifestSplitter.split(text) == documents)
    }
}

@Suite struct KindOrderTests {
    @Test func installOrderIsStableAndPutsUnknownLast() {
        let kinds = ["Deployment", "Zeta", "Service", "Namespace", "Alpha", "Service", "", "ValidatingWebhookConfiguration"]
        let sorted = KindOrder.install.sorted(Array(kinds.enumerated()), kind: { $0.element })
        #expect(sorted.map(\.element) == ["Namespace", "Service", "Service", "Deployment", "ValidatingWebhookConfiguration", "", "Alpha", "Zeta"])
        #expect(sorted.filter { $0.element == "Service" }.map(\.offset) == [2, 5])
    }

    @Test func uninstallOrderReversesInstallOrder() {
        #expect(KindOrder.uninstallKinds.count == KindOrder.installKinds.count)
        #expect(KindOrder.uninstall.less("Ingress", "Service"))
        #expect(KindOrder.uninstall.less("Namespace", "PriorityClass"))
    }
}
