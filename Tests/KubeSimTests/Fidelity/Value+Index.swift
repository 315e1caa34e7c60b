import Structured

extension Value {
    /// Element of an array, nil when out of range or not an array (test convenience).
    subscript(index: Int) -> Value? {
        guard let array = arrayValue, array.indices.contains(index) else { return nil }
        return array[index]
    }
}
