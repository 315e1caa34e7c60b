import Structured

/// One resource's part in a prepared deploy, as `bosun plan` shows it: what converge will do and
/// the two objects to compare (live, and what the apply will leave).
public struct PlannedChange: Sendable, Hashable {
    public var resource: ResourceID
    public var apiVersion: String
    public var action: ResourceAction
    public var live: Value?
    /// The dry-run result for an update; the manifest for a create, a recreate or a blind apply.
    public var desired: Value?
    /// Why a recreate or a blind apply happens.
    public var note: String?
    /// The chart sets `status` itself, so it is compared.
    public var keepStatus: Bool
    /// `desired` is the bare manifest of an existing object (recreate, blind apply): compare only
    /// the fields it sets.
    public var onlyDesiredFields: Bool = false
}

extension PreparedRelease {
    /// Every CRD, main resource and deletion of the plan, in the order the plan acts on them, then the
    /// unchanged ones in chart order. Hooks are not changes: they run on every deploy (`hooksToRun`).
    public var plannedChanges: [PlannedChange] {
        var operationOf: [ResourceID: (index: Int, kind: Operation.Kind)] = [:]
        for (index, operation) in plan.operations.enumerated() {
            guard let id = operation.resource, operationOf[id] == nil else { continue }
            switch operation.kind {
            case .createCRD, .create, .update, .recreate, .apply, .delete: operationOf[id] = (index, operation.kind)
            default: continue
            }
        }

        var changes: [(order: Int, change: PlannedChange)] = []
        let unchangedOrder = plan.operations.count
        for (position, resource) in (manifests.crds + manifests.resources).enumerated() {
            let id = resource.id
            let live = self.live[id]
            let manifest = resource.manifest
            let keepStatus = manifest["status"] != nil
            var change = PlannedChange(resource: id, apiVersion: resource.apiVersion, action: .unchanged, live: live,
                                       desired: dryRun[id]?.object ?? manifest, note: nil, keepStatus: keepStatus)
            switch operationOf[id]?.kind {
            case .create?:
                change.action = .create
                change.desired = manifest
            case .createCRD?:
                change.action = live == nil ? .create : .update
                if live == nil { change.desired = manifest }
            case .update?:
                change.action = .update
            case .recreate?:
                change.action = .recreate
                change.desired = manifest
                change.onlyDesiredFields = true
                if case .failed(let message, _)? = dryRun[id] {
                    change.note = "recreated: \(message)"
                } else {
                    change.note = "recreated: werf.io/delete-policy: before-creation"
                }
            case .apply?:
                change.action = .update
                change.desired = manifest
                change.onlyDesiredFields = true
                if case .failed(let message, _)? = dryRun[id] {
                    change.note = "the dry run failed, so the manifest is applied as is: \(message)"
                }
            default:
                change.action = .unchanged
            }
            changes.append((operationOf[id]?.index ?? unchangedOrder + position, change))
        }
        let desiredIDs = Set((manifests.crds + manifests.resources).map(\.id))
        for resource in previous where !desiredIDs.contains(resource.id) {
            guard let (index, kind) = operationOf[resource.id], kind == .delete else { continue }
            changes.append((index, PlannedChange(resource: resource.id, apiVersion: resource.apiVersion, action: .delete,
                                                 live: live[resource.id], desired: nil, note: nil, keepStatus: false)))
        }
        return changes.sorted { $0.order < $1.order }.map(\.change)
    }

    /// Hooks this deploy will run, `pre-upgrade Job/app/migrate`, in plan order.
    public var hooksToRun: [String] {
        plan.operations.filter { $0.kind == .applyHook }.compactMap { operation in
            guard let id = operation.resource else { return nil }
            let stage = operation.id.hasSuffix(")") ? operation.id.split(separator: "(").last.map { String($0.dropLast()) } : nil
            return (stage.map { $0 + " " } ?? "") + id.description
        }
    }
}

extension ReleaseDiff {
    /// The diff `bosun plan` prints for a prepared deploy.
    public init(prepared: PreparedRelease, differ: ResourceDiffer = ResourceDiffer()) {
        self.init(resources: prepared.plannedChanges.map { change in
            differ.diff(change.resource, action: change.action, live: change.live, desired: change.desired,
                        keepStatus: change.keepStatus, note: change.note, onlyDesiredFields: change.onlyDesiredFields)
        })
    }
}
