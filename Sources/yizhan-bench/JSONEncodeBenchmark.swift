import Foundation
import OpenAPIRuntimeOverrides
import YizhanAPI
import YizhanCore

/// `yizhan-bench json`: the response envelopes of `/health/live` and `/api/v1/me` (the platform
/// administrator: 20 permissions) encoded by Foundation's `JSONEncoder`, as the OpenAPI runtime
/// did, and by `CompactJSONEncoder`, as the generated server now does (scripts/bench/json.sh).
func benchmarkJSONEncoding() throws {
    let permissions = [
        "tenant:read", "users:read", "users:write", "roles:read", "roles:write", "api_keys:read", "api_keys:write",
        "apps:read", "apps:write", "accounts:read", "accounts:write", "messages:read", "messages:send", "archive:read",
        "archive:export", "audit:read", "alerts:read", "alerts:write", "tenants:read", "tenants:write",
    ]
    let meta = Components.Schemas.Meta(requestId: "9f1c2a7b3e5d4c6a8b0e1f2a3b4c5d6e", timestamp: "2026-12-01T23:00:00Z")
    let health = Components.Schemas.HealthResponse(success: true, data: .init(status: .ok, checks: []), meta: meta)
    let me = Components.Schemas.MeResponse(
        success: true,
        data: .init(
            tenant: .init(id: "ten_01", code: "platform", name: "Platform"), actorType: .user, actorId: "usr_01",
            email: "admin@yizhan.local", name: "Administrator", roles: ["platform_admin"],
            permissions: permissions.compactMap(Components.Schemas.PermissionName.init(rawValue:))),
        meta: meta)

    let foundation = JSONEncoder()
    foundation.outputFormatting = [.withoutEscapingSlashes]
    let compact = CompactJSONEncoder()
    print("health envelope: \(try compact.encode(health).count) bytes; me envelope: \(try compact.encode(me).count) bytes")
    try measure("health envelope, JSONEncoder") { _ = try foundation.encode(health) }
    try measure("health envelope, CompactJSONEncoder") { _ = try compact.encode(health) }
    try measure("me envelope, JSONEncoder") { _ = try foundation.encode(me) }
    try measure("me envelope, CompactJSONEncoder") { _ = try compact.encode(me) }
}
