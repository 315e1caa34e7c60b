/// Random strings as goutils' CryptoRandom* produce them (system CSPRNG).
enum Random {
    static let alpha = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".unicodeScalars)
    static let numeric = Array("0123456789".unicodeScalars)
    static let alphaNumeric = alpha + numeric
    /// Printable ASCII, 32 through 126.
    static let ascii = (32...126).map { Unicode.Scalar(UInt8($0)) }

    /// A negative count is an error in goutils, which Sprig turns into "".
    static func string(count: Int, alphabet: [Unicode.Scalar]) -> String {
        guard count > 0 else { return "" }
        var rng = SystemRandomNumberGenerator()
        var out = String.UnicodeScalarView()
        for _ in 0..<count { out.append(alphabet.randomElement(using: &rng)!) }
        return String(out)
    }

    static func bytes(_ count: Int) -> [UInt8] {
        var rng = SystemRandomNumberGenerator()
        return (0..<max(count, 0)).map { _ in UInt8.random(in: 0...255, using: &rng) }
    }
}
