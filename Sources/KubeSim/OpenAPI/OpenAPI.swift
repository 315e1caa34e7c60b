import OrderedCollections
import Structured

/// OpenAPI v3 documents, one per group/version: a GET and a PATCH operation per kind that carry
/// `x-kubernetes-group-version-kind` and the `fieldValidation` query parameter (what kubectl and
/// helm read to decide that the server validates fields itself, so they skip client-side schema
/// validation), and component schemas: the `SchemaCatalog` types for the kinds it models (what
/// `kubectl explain` reads), a CRD version's openAPIV3Schema, an open object otherwise. Strategic merge patch is deliberately not listed as a request
/// body, so `kubectl apply` computes its patches from its compiled-in types, as it does for
/// servers without OpenAPI.
enum OpenAPI {
    static func root(_ registry: ResourceRegistry) -> Value {
        var paths: Value = .object([:])
        for group in registry.groups {
            for version in group.versions {
                let key = group.name.isEmpty ? "api/\(version)" : "apis/\(group.name)/\(version)"
                paths[key] = ["serverRelativeURL": .string("/openapi/v3/\(key)?hash=\(hash(registry, group.name, version))")]
            }
        }
        return ["paths": paths]
    }

    static func hash(_ registry: ResourceRegistry, _ group: String, _ version: String) -> String {
        var h: UInt64 = 1469598103934665603
        for t in registry.resources(group: group, version: version) {
            for b in (t.kind + t.plural).utf8 { h = (h ^ UInt64(b)) &* 1099511628211 }
        }
        return String(h, radix: 16, uppercase: true)
    }

    static func groupVersion(_ registry: ResourceRegistry, path: String) -> Value? {
        let parts = path.split(separator: "/").map(String.init)
        let group: String, version: String
        if parts.count == 2, parts[0] == "api" { group = ""; version = parts[1] }
        else if parts.count == 3, parts[0] == "apis" { group = parts[1]; version = parts[2] }
        else { return nil }
        let types = registry.resources(group: group, version: version)
        guard !types.isEmpty else { return nil }
        let prefix = group.isEmpty ? "/api/\(version)" : "/apis/\(group)/\(version)"
        var paths: Value = .object([:])
        var schemas: Value = .object([:])
        let parameters: [Value] = [
            ["name": "dryRun", "in": "query", "description": "When present, indicates that modifications should not be persisted.", "schema": ["type": "string", "uniqueItems": true]],
            ["name": "fieldManager", "in": "query", "description": "fieldManager is a name associated with the actor or entity that is making these changes.", "schema": ["type": "string", "uniqueItems": true]],
            ["name": "fieldValidation", "in": "query", "description": "fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields.", "schema": ["type": "string", "uniqueItems": true]],
            ["name": "force", "in": "query", "description": "Force is going to \"force\" Apply requests.", "schema": ["type": "boolean", "uniqueItems": true]],
        ]
        var includeCatalog = false
        for t in types {
            let schemaName = schemaName(t)
            let ref: Value = ["$ref": .string("#/components/schemas/\(schemaName)")]
            let gvk: Value = ["group": .string(t.group), "kind": .string(t.kind), "version": .string(t.version)]
            let itemPath = t.namespaced ? "\(prefix)/namespaces/{namespace}/\(t.plural)/{name}" : "\(prefix)/\(t.plural)/{name}"
            let content: Value = [
                "application/apply-patch+yaml": ["schema": ["$ref": "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Patch"]],
                "application/json-patch+json": ["schema": ["$ref": "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Patch"]],
                "application/merge-patch+json": ["schema": ["$ref": "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Patch"]],
            ]
            paths[itemPath] = [
                "get": ["tags": [.string(group.isEmpty ? "core_\(version)" : "\(group)_\(version)")],
                        "operationId": .string("read\(t.kind)"),
                        "responses": ["200": ["description": "OK", "content": ["application/json": ["schema": ref]]]],
                        "x-kubernetes-action": "get", "x-kubernetes-group-version-kind": gvk],
                "patch": ["operationId": .string("patch\(t.kind)"),
                          "parameters": .array(parameters),
                          "requestBody": ["content": content, "required": true],
                          "responses": ["200": ["description": "OK", "content": ["application/json": ["schema": ref]]]],
                          "x-kubernetes-action": "patch", "x-kubernetes-group-version-kind": gvk],
                "parameters": t.namespaced
                    ? [["name": "name", "in": "path", "required": true, "schema": ["type": "string", "uniqueItems": true]],
                       ["name": "namespace", "in": "path", "required": true, "schema": ["type": "string", "uniqueItems": true]]]
                    : [["name": "name", "in": "path", "required": true, "schema": ["type": "string", "uniqueItems": true]]],
            ]
            if !t.isCustom, SchemaCatalog.schema(group: t.group, version: t.version, kind: t.kind) != nil {
                includeCatalog = true
            } else if t.isCustom, let crd = t.schema {
                schemas[schemaName] = customResourceSchema(crd, gvk: gvk)
                includeCatalog = true
            } else {
                schemas[schemaName] = [
                    "type": "object",
                    "description": .string("\(t.kind) (schema not published by kubesim)"),
                    "x-kubernetes-preserve-unknown-fields": true,
                    "x-kubernetes-group-version-kind": [gvk],
                ]
            }
        }
        if includeCatalog {
            for (name, schema) in FieldValidator.builtInComponents where schemas[name] == nil { schemas[name] = schema }
        }
        schemas["io.k8s.apimachinery.pkg.apis.meta.v1.Patch"] = ["type": "object", "description": "Patch is provided to give a concrete name and type to the Kubernetes PATCH request body."]
        return ["openapi": "3.0.0", "info": ["title": "Kubernetes", "version": "v1.35.0"], "paths": paths,
                "components": ["schemas": schemas]]
    }

    /// A CRD version's schema as the apiextensions server publishes it: apiVersion, kind and
    /// metadata (ObjectMeta) added to its properties, plus the group-version-kind.
    static func customResourceSchema(_ crd: Value, gvk: Value) -> Value {
        var schema = crd
        var properties = schema["properties"]?.objectValue ?? [:]
        properties["apiVersion"] = ["type": "string", "description": .string(SchemaCatalog.apiVersionDoc)]
        properties["kind"] = ["type": "string", "description": .string(SchemaCatalog.kindDoc)]
        properties["metadata"] = ["allOf": [["$ref": .string("#/components/schemas/\(SchemaCatalog.meta)ObjectMeta")]],
                                  "description": .string(SchemaCatalog.metadataDoc)]
        var ordered: OrderedDictionary<String, Value> = [:]
        for key in ["apiVersion", "kind", "metadata"] { ordered[key] = properties[key] }
        for (k, v) in properties where ordered[k] == nil { ordered[k] = v }
        schema["properties"] = .object(ordered)
        schema["type"] = "object"
        schema["x-kubernetes-group-version-kind"] = [gvk]
        return schema
    }

    static func schemaName(_ t: ResourceType) -> String {
        if t.isCustom {
            let reversed = t.group.split(separator: ".").reversed().joined(separator: ".")
            return "\(reversed).\(t.version).\(t.kind)"
        }
        let group = t.group.isEmpty ? "core" : t.group.replacingOccurrences(of: ".k8s.io", with: "")
        return "io.k8s.api.\(group).\(t.version).\(t.kind)"
    }
}
