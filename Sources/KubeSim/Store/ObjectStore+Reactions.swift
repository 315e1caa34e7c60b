import Structured

/// What the store does after writes: finalizer processing and live CRD registration.
extension ObjectStore {
    // MARK: - Reactions to writes

    func afterWrite(_ type: ResourceType, old: Value?, new: Value) {
        if type.groupResource == Self.crds { crdWritten(new) }
        if new.isDeleting { processFinalizers(type.groupResource, ObjectKey(namespace: new.namespace, name: new.name)) }
    }

    /// A CRD registers its kind live and reports NamesAccepted and Established at once.
    func crdWritten(_ crd: Value) {
        guard let spec = crd["spec"], let group = spec["group"]?.stringValue,
              let names = spec["names"], let plural = names["plural"]?.stringValue, let kind = names["kind"]?.stringValue else { return }
        let namespaced = spec["scope"]?.stringValue != "Cluster"
        let gr = GroupResource(group: group, resource: plural)
        registry.unregister(gr)
        if crd.isDeleting { return }
        for version in spec["versions"]?.arrayValue ?? [] where version["served"]?.boolValue != false {
            guard let v = version["name"]?.stringValue else { continue }
            var sub: [String] = []
            if version[path: "subresources", "status"] != nil { sub.append("status") }
            if version[path: "subresources", "scale"] != nil { sub.append("scale") }
            var type = ResourceType(
                group: group, version: v, kind: kind, plural: plural, singular: names["singular"]?.stringValue ?? kind.lowercased(),
                shortNames: names["shortNames"]?.arrayValue?.compactMap(\.stringValue) ?? [], namespaced: namespaced,
                subresources: sub, categories: names["categories"]?.arrayValue?.compactMap(\.stringValue) ?? [], isCustom: true)
            type.printerColumns = (version["additionalPrinterColumns"]?.arrayValue ?? []).compactMap { c in
                guard let name = c["name"]?.stringValue, let path = c["jsonPath"]?.stringValue else { return nil }
                return PrinterColumn(name: name, type: c["type"]?.stringValue ?? "string", format: c["format"]?.stringValue ?? "",
                                     description: c["description"]?.stringValue ?? "", priority: Int(c["priority"]?.intValue ?? 0), jsonPath: path)
            }
            type.schema = version[path: "schema", "openAPIV3Schema"]
            registry.register(type)
        }
        let status = crd["status"]
        let wanted = Admission.crdStatus(crd)
        if status != wanted, let crdType = registry.lookup(Self.crds) {
            var updated = crd
            updated["status"] = wanted
            _ = commitUpdate(crdType, key: ObjectKey(namespace: "", name: crd.name), old: crd, new: updated)
        }
    }

    func crdRemoved(_ crd: Value) {
        guard let group = crd[path: "spec", "group"]?.stringValue, let plural = crd[path: "spec", "names", "plural"]?.stringValue else { return }
        let gr = GroupResource(group: group, resource: plural)
        for (key, object) in objects[gr] ?? [:] {
            counter += 1
            var final = object
            final.setMetadata("resourceVersion", .string(String(counter)))
            remove(gr, key, final)
        }
        objects[gr] = nil
        registry.unregister(gr)
    }
}
