import Rainbow

/// Colours through Rainbow, or none. Text is measured and cut before it is coloured, so escape
/// codes never count towards a width.
struct Palette: Sendable {
    var enabled: Bool

    func green(_ s: String) -> String { enabled ? s.green : s }
    func yellow(_ s: String) -> String { enabled ? s.yellow : s }
    func red(_ s: String) -> String { enabled ? s.red : s }
    func blue(_ s: String) -> String { enabled ? s.blue : s }
    func cyan(_ s: String) -> String { enabled ? s.cyan : s }
    func bold(_ s: String) -> String { enabled ? s.bold : s }
    func dim(_ s: String) -> String { enabled ? s.dim : s }

    /// The colour of a state word or a resource in that state.
    func phase(_ s: String, _ phase: ResourceState.Phase?) -> String {
        switch phase {
        case .ready?: return green(s)
        case .failed?: return red(s)
        case .progressing?: return yellow(s)
        case nil: return s
        }
    }
}

/// Width-aware text: cutting and padding by characters (the table uses no wide characters).
enum TextFit {
    /// `text` cut to `width` with `…` at the end.
    static func truncate(_ text: String, _ width: Int) -> String {
        guard text.count > width else { return text }
        guard width > 1 else { return String(text.prefix(width)) }
        return String(text.prefix(width - 1)) + "…"
    }

    /// `text` cut to `width` keeping both ends (`Deployment/very-l…-name`): names differ at either end.
    static func elide(_ text: String, _ width: Int) -> String {
        guard text.count > width else { return text }
        guard width > 3 else { return truncate(text, width) }
        let head = (width - 1) / 2
        let tail = width - 1 - head
        return String(text.prefix(head)) + "…" + String(text.suffix(tail))
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    /// Seconds as `12s`, `1m5s`, `1h2m3s` (whole seconds).
    static func seconds(_ value: Double) -> String {
        GoDuration.string(Double(Int(max(0, value))))
    }
}
