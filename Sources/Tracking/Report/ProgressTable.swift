/// One resource as the table shows it.
struct ProgressRow: Sendable {
    var id: ResourceID
    var state: ResourceState?
    var outcome: ResourceOutcome?
    /// Seconds since it was first seen (until it was decided).
    var elapsed: Double
}

/// The status table: one section per family of kinds with its own columns, child pods as sub-rows
/// under resources that are not ready, then what they wait for and their errors. A pure function of
/// the rows, the width and the palette.
enum ProgressTable {
    static let gap = "  "

    static func render(_ rows: [ProgressRow], width: Int, palette: Palette) -> [String] {
        var lines: [String] = []
        let replicated = rows.filter { ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"].contains($0.id.kind) }
        let jobs = rows.filter { $0.id.kind == "Job" }
        let others = rows.filter { !["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job"].contains($0.id.kind) }
        if !replicated.isEmpty {
            lines += section(
                ["RESOURCE", "REPLICAS", "AVAILABLE", "UP-TO-DATE", "READY", "STATE"], replicated, width: width, palette: palette
            ) { row in
                let c = row.state?.counts ?? ResourceCounts()
                let desired = c.desired.map(String.init) ?? "?"
                func ratio(_ n: Int?) -> String { n.map { "\($0)/\(desired)" } ?? "-" }
                return [ratio(c.replicas), ratio(c.available), ratio(c.upToDate), ratio(c.ready)]
            }
        }
        if !jobs.isEmpty {
            lines += section(["RESOURCE", "ACTIVE", "SUCCEEDED", "FAILED", "DURATION", "STATE"], jobs, width: width, palette: palette) { row in
                let c = row.state?.counts ?? ResourceCounts()
                let succeeded = c.succeeded.map { "\($0)/\(c.desired ?? 1)" } ?? "-"
                return [c.active.map(String.init) ?? "-", succeeded, c.failed.map(String.init) ?? "-", TextFit.seconds(row.elapsed)]
            }
        }
        if !others.isEmpty {
            lines += section(["RESOURCE", "STATUS", "STATE"], others, width: width, palette: palette) { row in
                [row.state?.counts.watchedField ?? row.state?.pods.first?.status ?? "-"]
            }
        }
        return lines
    }

    /// A section: header, then per resource its row and detail lines.
    private static func section(
        _ headers: [String], _ rows: [ProgressRow], width: Int, palette: Palette, cells: (ProgressRow) -> [String]
    ) -> [String] {
        let body = rows.map { row in [row.id.short] + cells(row) + [stateWord(row)] }
        var widths = headers.map(\.count)
        for cells in body { for (i, c) in cells.enumerated() { widths[i] = max(widths[i], c.count) } }
        // The first column takes what the fixed ones leave; it never goes below 12.
        let fixed = widths.dropFirst().reduce(0, +) + gap.count * (headers.count - 1)
        widths[0] = max(12, min(widths[0], width - fixed))

        var lines = [TextFit.truncate(joined(headers, widths), width)].map(palette.bold)
        for (row, cells) in zip(rows, body) {
            var plain = cells
            plain[0] = TextFit.elide(cells[0], widths[0])
            let text = TextFit.truncate(joined(plain, widths), width)
            lines.append(colourRow(text, row: row, firstWidth: widths[0], palette: palette))
            if row.state?.phase != .ready { lines += details(row, width: width, palette: palette) }
        }
        return lines
    }

    private static func joined(_ cells: [String], _ widths: [Int]) -> String {
        var parts: [String] = []
        for (i, c) in cells.enumerated() { parts.append(i == cells.count - 1 ? c : TextFit.pad(c, widths[i])) }
        return parts.joined(separator: gap)
    }

    /// Name and state word in the state's colour; the numbers stay plain.
    private static func colourRow(_ text: String, row: ProgressRow, firstWidth: Int, palette: Palette) -> String {
        guard palette.enabled else { return text }
        let phase = displayPhase(row)
        let nameEnd = text.index(text.startIndex, offsetBy: min(firstWidth, text.count))
        var result = palette.phase(String(text[..<nameEnd]), phase)
        let rest = String(text[nameEnd...])
        let word = stateWord(row)
        if rest.hasSuffix(word) {
            result += rest.dropLast(word.count) + palette.phase(word, phase)
        } else {
            result += rest
        }
        return result
    }

    static func displayPhase(_ row: ProgressRow) -> ResourceState.Phase? {
        if let outcome = row.outcome {
            switch outcome.kind {
            case .ready, .absent: return .ready
            case .failed: return .failed
            case .canceled: return nil
            }
        }
        return row.state?.phase ?? .progressing
    }

    static func stateWord(_ row: ProgressRow) -> String {
        if row.outcome?.kind == .canceled { return "CANCELED" }
        if row.outcome?.kind == .failed, row.outcome?.failsDeploy == false { return "IGNORED" }
        switch row.state?.phase {
        case .ready?:
            switch row.state?.goal {
            case .absent?: return "ABSENT"
            case .present?: return "PRESENT"
            case .completed?: return "DONE"
            default: return "READY"
            }
        case .failed?: return "FAILED"
        case .progressing?, nil: return "WAITING"
        }
    }

    /// Child pods (sub-table), waiting-for, errors and warnings of a resource that is not ready.
    private static func details(_ row: ProgressRow, width: Int, palette: Palette) -> [String] {
        guard let state = row.state else { return [] }
        var lines: [String] = []
        let isPodItself = row.id.kind == "Pod"
        if !state.pods.isEmpty && !isPodItself {
            let headers = ["POD", "READY", "RESTARTS", "STATUS"]
            let cells = state.pods.map { pod in [pod.name, pod.ready, String(pod.restarts), pod.status + (pod.isNew ? "" : " (old)")] }
            var widths = headers.map(\.count)
            for c in cells { for (i, v) in c.enumerated() { widths[i] = max(widths[i], v.count) } }
            let indent = "  ├─ ".count
            let fixed = widths.dropFirst().reduce(0, +) + gap.count * 3 + indent
            widths[0] = max(10, min(widths[0], width - fixed))
            lines.append(TextFit.truncate("  │  " + joined(headers, widths), width))
            for (n, (pod, c)) in zip(state.pods, cells).enumerated() {
                let last = n == state.pods.count - 1
                var plain = c
                plain[0] = TextFit.elide(c[0], widths[0])
                let text = TextFit.truncate((last ? "  └─ " : "  ├─ ") + joined(plain, widths), width)
                let failing = !pod.errors.isEmpty
                lines.append(!pod.isNew ? palette.dim(text) : failing ? palette.red(text) : text)
                if let error = pod.errors.last {
                    let text = TextFit.truncate((last ? "       " : "  │    ") + "error: " + error.reasonAndMessage, width)
                    lines.append(palette.red(text))
                }
            }
        }
        if state.phase == .progressing, !state.waitingFor.isEmpty {
            lines.append(palette.blue(TextFit.truncate("  waiting for: " + state.waitingForText, width)))
        }
        let counted = state.errors.filter { !$0.subject.hasPrefix("po/") || isPodItself }
        if !state.errors.isEmpty, state.phase != .ready {
            let allowance = state.failuresAllowed > 0 ? " (\(state.errors.count)/\(state.failuresAllowed) allowed)" : ""
            for error in counted.suffix(3) {
                lines.append(palette.red(TextFit.truncate("  error\(allowance): " + error.description, width)))
            }
            if counted.isEmpty && !allowance.isEmpty {
                lines.append(palette.red(TextFit.truncate("  errors\(allowance)", width)))
            }
        }
        for warning in state.warnings {
            lines.append(palette.yellow(TextFit.truncate("  warning: " + warning, width)))
        }
        return lines
    }
}

extension TrackingFailure {
    /// The failure without its subject: `CrashLoopBackOff: back-off 10s …`.
    var reasonAndMessage: String { message.isEmpty ? reason : "\(reason): \(message)" }
}
