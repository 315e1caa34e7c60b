import Testing
@testable import Deploy

@Suite struct PlanTests {
    @Test func builderSharesOperationsOrdersTopologicallyAndFindsCycles() throws {
        var builder = PlanBuilder()
        let c = builder.add(.create, "ConfigMap/app/c", after: ["barrier late"])
        let a = builder.add(.create, "ConfigMap/app/a")
        let again = builder.add(.create, "ConfigMap/app/a", after: [a])
        #expect(again == a)
        builder.add(.barrier, "late", after: [a])
        let plan = try builder.build()
        #expect(plan.ids == ["create ConfigMap/app/a", "barrier late", "create ConfigMap/app/c"])
        #expect(plan[a]?.dependencies == [])
        #expect(plan.orders(a, before: c))
        #expect(!plan.orders(c, before: a))
        #expect(!plan.mayRunTogether(a, c))
        #expect(plan.levels == [[a], [c]])
        #expect(plan.work.count == 2)

        builder.depend(a, on: [c])
        #expect {
            _ = try builder.build()
        } throws: { error in
            error as? DeployError == .invalidDependencies(["dependency cycle among: create ConfigMap/app/c; create ConfigMap/app/a"])
        }
    }

    @Test func textMarksDeleteOnFailure() throws {
        var builder = PlanBuilder()
        let apply = builder.add(.applyHook, "Job/app/j", note: "pre-install")
        builder.add(.trackHook, "Job/app/j", note: "pre-install", after: [apply], deleteOnFailure: true)
        #expect(try builder.build().text == """
            applyHook Job/app/j (pre-install)
            trackHook Job/app/j (pre-install) [delete on failure]  <- applyHook Job/app/j (pre-install)
            """)
    }
}
