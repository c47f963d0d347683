import Foundation
import HTTPTypes
import SQLKit
import Testing
import YizhanIdentity
import YizhanJobs
import YizhanServer
import YizhanStorage
import YizhanTesting

/// `/api/v1/jobs` and `/api/v1/queues` over HTTP on both engines: a tenant's admins reach its jobs
/// only, the platform administrator every job, and only the platform pauses the shared queues.
@Suite(.timeLimit(.minutes(5)))
struct JobsHTTPTests {
    /// Jobs of two tenants and of none, some moved by hand to the states a worker would leave.
    struct Fixture {
        var acme: [Int64]  // newest last: discarded, running, available, scheduled (queue mail)
        var bravo: Int64
        var platform: Int64
    }

    static func arrange(_ identity: Identity, _ database: any Database, clock: ManualTimeSource) async throws -> Fixture {
        _ = try await identity.makePlatform()
        let (acme, _) = try await identity.makeTenant("acme")
        let (bravo, _) = try await identity.makeTenant("bravo")
        let jobs = Jobs(database: database, clock: clock)
        func enqueue(_ job: NewJob) async throws -> Int64 {
            try await database.transaction { work in try await jobs.queue.enqueue(job, in: work) }.id
        }
        let discarded = try await enqueue(NewJob(kind: "send", args: #"{"message_id":"m1"}"#, maxAttempts: 1, tenantID: acme.id))
        let running = try await enqueue(NewJob(kind: "send", args: #"{"message_id":"m2"}"#, tenantID: acme.id))
        let available = try await enqueue(NewJob(kind: "send", args: #"{"message_id":"m3"}"#, uniqueKey: "send:m3", tenantID: acme.id))
        let scheduled = try await enqueue(NewJob(
            queue: "mail", kind: "mail.send", args: "{}", runAt: clock.now().addingTimeInterval(3600), tenantID: acme.id))
        let bravoJob = try await enqueue(NewJob(kind: "send", args: #"{"message_id":"bravo-secret-message"}"#, tenantID: bravo.id))
        let platformJob = try await enqueue(NewJob(queue: "maintenance", kind: "jobs.prune", args: "{}"))
        let stamp = Timestamp.milliseconds(clock.now())
        let errors = #"[{"at":1796083200000,"attempt":1,"message":"the provider answered 500"}]"#
        try await database.transaction { work in
            try await work.raw("""
                UPDATE jobs SET state = 'discarded', attempt = 1, errors = \(bind: errors), finalized_at = \(bind: stamp),
                    attempted_by = 'host-a:1:w'
                WHERE id = \(bind: discarded)
                """).run()
            try await work.raw("""
                UPDATE jobs SET state = 'running', attempt = 1, attempted_by = 'host-a:1:w', attempted_at = \(bind: stamp),
                    lease_expires_at = \(bind: stamp + 30_000)
                WHERE id = \(bind: running)
                """).run()
        }
        clock.advance(by: .seconds(90))
        return Fixture(acme: [discarded, running, available, scheduled], bravo: bravoJob, platform: platformJob)
    }

    static func ids(_ reply: APIClient.Reply) -> [Int64] {
        ((reply.data["items"] as? [[String: Any]]) ?? []).compactMap { ($0["id"] as? NSNumber)?.int64Value }
    }

    static func depth(_ reply: APIClient.Reply, _ queue: String) -> [String: Int] {
        let queues = (reply.data["items"] as? [[String: Any]]) ?? []
        return queues.first { $0["name"] as? String == queue }?["depth"] as? [String: Int] ?? [:]
    }

    @Test(arguments: TestEngines.all)
    func aTenantsAdminsSeeRetryAndCancelItsJobsOnly(engine: DatabaseEngine) async throws {
        let clock = ManualTimeSource(start: Date())
        try await withIdentityTestApp(engine, clock: clock) { api, identity, database in
            let fixture = try await Self.arrange(identity, database, clock: clock)
            let (discarded, running, available, scheduled) = (fixture.acme[0], fixture.acme[1], fixture.acme[2], fixture.acme[3])
            let (token, _) = try await api.login("acme", "owner@acme.test", ownerPassword)

            let all = try await api.call(.get, "/api/v1/jobs", token: token)
            #expect(all.status == 200, "\(all.body)")
            #expect(Self.ids(all) == fixture.acme.reversed())
            #expect(all.data["next_before"] == nil)
            #expect(!all.body.contains("bravo-secret-message") && !all.body.contains("host-a"))

            let first = try await api.call(.get, "/api/v1/jobs?limit=3", token: token)
            #expect(Self.ids(first) == [scheduled, available, running])
            let cursor = try #require((first.data["next_before"] as? NSNumber)?.int64Value)
            let second = try await api.call(.get, "/api/v1/jobs?limit=3&before=\(cursor)", token: token)
            #expect(Self.ids(second) == [discarded] && second.data["next_before"] == nil)
            #expect(Self.ids(try await api.call(.get, "/api/v1/jobs?state=discarded", token: token)) == [discarded])
            #expect(Self.ids(try await api.call(.get, "/api/v1/jobs?queue=mail", token: token)) == [scheduled])
            #expect(Self.ids(try await api.call(.get, "/api/v1/jobs?kind=send&state=running", token: token)) == [running])
            for query in ["queue=%00", "kind=a%00b", "queue=%01", "kind=nothing"] {
                let none = try await api.call(.get, "/api/v1/jobs?\(query)", token: token)
                #expect(none.status == 200 && Self.ids(none) == [] && none.data["items"] != nil, "\(query) → \(none.status) \(none.body)")
            }

            let shown = try await api.call(.get, "/api/v1/jobs/\(discarded)", token: token)
            #expect(shown.status == 200 && shown.data["state"] as? String == "discarded")
            #expect((shown.data["args"] as? [String: Any])?["message_id"] as? String == "m1")
            let errors = shown.data["errors"] as? [[String: Any]]
            #expect(errors?.first?["message"] as? String == "the provider answered 500" && errors?.first?["attempt"] as? Int == 1)
            #expect(shown.data["attempted_by"] == nil && shown.data["finalized_at"] is String)
            #expect(try await api.call(.get, "/api/v1/jobs/\(fixture.bravo)", token: token).status == 404)
            #expect(try await api.call(.get, "/api/v1/jobs/\(fixture.platform)", token: token).status == 404)

            let retried = try await api.call(.post, "/api/v1/jobs/\(discarded)/retry", token: token)
            #expect(retried.status == 200 && retried.data["state"] as? String == "available", "\(retried.body)")
            #expect(retried.data["max_attempts"] as? Int == 2 && retried.data["finalized_at"] == nil)
            let again = try await api.call(.post, "/api/v1/jobs/\(discarded)/retry", token: token)
            #expect(again.status == 409 && again.errorCode == "CONFLICT")
            #expect(try await api.call(.post, "/api/v1/jobs/\(running)/retry", token: token).status == 409)
            // A tenant does not pull a waiting job ahead of its time (nor runs a completed one again).
            let early = try await api.call(.post, "/api/v1/jobs/\(scheduled)/retry", token: token)
            #expect(early.status == 409 && early.body.contains("only a discarded or cancelled job"), "\(early.body)")

            let cancelled = try await api.call(.post, "/api/v1/jobs/\(available)/cancel", token: token)
            #expect(cancelled.status == 200 && cancelled.data["state"] as? String == "cancelled")
            #expect(try await api.call(.post, "/api/v1/jobs/\(available)/cancel", token: token).status == 409)
            let stopping = try await api.call(.post, "/api/v1/jobs/\(running)/cancel", token: token)
            #expect(stopping.status == 200 && stopping.data["state"] as? String == "running" && stopping.data["cancel_requested_at"] is String)
            #expect(try await api.call(.post, "/api/v1/jobs/\(fixture.bravo)/cancel", token: token).status == 404)
            #expect(try await api.call(.post, "/api/v1/jobs/\(fixture.bravo)/retry", token: token).status == 404)

            // Each change is in the tenant's audit log; the refused ones are not.
            let audit = try await api.call(.get, "/api/v1/audit-logs?target_id=\(discarded)", token: token)
            #expect((audit.data["items"] as? [[String: Any]])?.compactMap { $0["action"] as? String } == ["job.retry"])
            let cancels = try await api.call(.get, "/api/v1/audit-logs?action=job.cancel", token: token)
            let cancelledIDs = Set((cancels.data["items"] as? [[String: Any]] ?? []).compactMap { $0["target_id"] as? String })
            #expect(cancelledIDs == [String(running), String(available)])  // a set: the clock stands still, so no order

            // A queue the platform paused holding none of acme's jobs is not acme's to see.
            try await database.transaction { work in
                try await work.raw("INSERT INTO job_queues (name, paused_at, updated_at) VALUES ('bravo-only-queue', 1, 1)").run()
            }
            let queues = try await api.call(.get, "/api/v1/queues", token: token)
            #expect(queues.status == 200, "\(queues.body)")
            #expect(!queues.body.contains("bravo-only-queue"))
            #expect(Self.depth(queues, "default") == [
                "available": 1, "scheduled": 0, "running": 1, "retryable": 0, "completed": 0, "cancelled": 1, "discarded": 0,
            ])
            #expect(Self.depth(queues, "mail")["scheduled"] == 1)
            #expect(Self.depth(queues, "maintenance").isEmpty)  // no job of acme's there
            let defaultQueue = (queues.data["items"] as? [[String: Any]])?.first { $0["name"] as? String == "default" }
            #expect((defaultQueue?["oldest_available_age_seconds"] as? Double ?? 0) >= 0)
            #expect(defaultQueue?["paused"] as? Bool == false)

            // Pausing the shared queues is not a tenant's: the route does not exist for it.
            #expect(try await api.call(.post, "/api/v1/queues/default/pause", token: token).status == 404)
            #expect(try await api.call(.post, "/api/v1/queues/default/resume", token: token).status == 404)

            // Viewers and operators hold no jobs permission.
            _ = try await api.call(.post, "/api/v1/users", token: token, json: [
                "email": "op@acme.test", "password": "operator's long password", "name": "Op", "roles": ["operator"],
            ])
            let (operatorToken, _) = try await api.login("acme", "op@acme.test", "operator's long password")
            let refused = try await api.call(.get, "/api/v1/jobs", token: operatorToken)
            #expect(refused.status == 403 && refused.errorCode == "FORBIDDEN")
            #expect(try await api.call(.post, "/api/v1/jobs/\(scheduled)/cancel", token: operatorToken).status == 403)
        }
    }

    @Test(arguments: TestEngines.all)
    func thePlatformAdministratorReachesEveryJobAndPausesQueues(engine: DatabaseEngine) async throws {
        let clock = ManualTimeSource(start: Date())
        try await withIdentityTestApp(engine, clock: clock) { api, identity, database in
            let fixture = try await Self.arrange(identity, database, clock: clock)
            let (root, _) = try await api.login("platform", "root@platform.test", ownerPassword)

            let all = try await api.call(.get, "/api/v1/jobs", token: root)
            #expect(Self.ids(all) == ([fixture.platform, fixture.bravo] + fixture.acme.reversed()).sorted(by: >))
            let running = try await api.call(.get, "/api/v1/jobs/\(fixture.acme[1])", token: root)
            #expect(running.data["attempted_by"] as? String == "host-a:1:w" && running.data["tenant_id"] is String)
            let cancelled = try await api.call(.post, "/api/v1/jobs/\(fixture.bravo)/cancel", token: root)
            #expect(cancelled.status == 200 && cancelled.data["state"] as? String == "cancelled")
            #expect(try await api.call(.post, "/api/v1/jobs/\(fixture.bravo)/retry", token: root).data["state"] as? String == "available")

            // The platform's change to bravo's job is in bravo's audit log.
            let (bravo, _) = try await api.login("bravo", "owner@bravo.test", ownerPassword)
            let bravoAudit = try await api.call(.get, "/api/v1/audit-logs?target_id=\(fixture.bravo)", token: bravo)
            #expect(Set((bravoAudit.data["items"] as? [[String: Any]] ?? []).compactMap { $0["action"] as? String }) == ["job.retry", "job.cancel"])

            let queues = try await api.call(.get, "/api/v1/queues", token: root)
            #expect(Self.depth(queues, "default")["available"] == 2)  // acme's and bravo's
            #expect(Self.depth(queues, "maintenance")["available"] == 1)
            let maintenance = (queues.data["items"] as? [[String: Any]])?.first { $0["name"] as? String == "maintenance" }
            #expect((maintenance?["oldest_available_age_seconds"] as? Double).map { $0 >= 90 } == true)

            let paused = try await api.call(.post, "/api/v1/queues/default/pause", token: root)
            #expect(paused.status == 200 && paused.data["paused"] as? Bool == true, "\(paused.body)")
            #expect((paused.data["depth"] as? [String: Int])?["available"] == 2)
            let (acme, _) = try await api.login("acme", "owner@acme.test", ownerPassword)
            let seen = try await api.call(.get, "/api/v1/queues", token: acme)
            #expect((seen.data["items"] as? [[String: Any]])?.first { $0["name"] as? String == "default" }?["paused"] as? Bool == true)
            let ahead = try await api.call(.post, "/api/v1/queues/not-yet-used/pause", token: root)
            #expect(ahead.status == 200 && ahead.data["paused"] as? Bool == true)
            let resumed = try await api.call(.post, "/api/v1/queues/default/resume", token: root)
            #expect(resumed.status == 200 && resumed.data["paused"] as? Bool == false)
            let queueAudit = try await api.call(.get, "/api/v1/audit-logs?target_id=default", token: root)
            #expect(Set((queueAudit.data["items"] as? [[String: Any]] ?? []).compactMap { $0["action"] as? String }) == ["queue.resume", "queue.pause"])

            let long = String(repeating: "q", count: 129)
            let tooLong = try await api.call(.post, "/api/v1/queues/\(long)/pause", token: root)
            #expect(tooLong.status == 400 && tooLong.errorCode == "VALIDATION_ERROR", "\(tooLong.body)")
            #expect(try await api.call(.post, "/api/v1/queues/a%01b/pause", token: root).status == 400)
            for query in ["limit=0", "limit=201", "state=lost", "before=x"] {
                let reply = try await api.call(.get, "/api/v1/jobs?\(query)", token: root)
                #expect(reply.status == 400, "\(query) → \(reply.status) \(reply.body)")
            }
            #expect(try await api.call(.get, "/api/v1/jobs/abc", token: root).status == 400)
            #expect(try await api.call(.get, "/api/v1/jobs/999999", token: root).status == 404)

            // The platform tenant's plain admin has jobs:* but no platform right: its own tenant's
            // jobs (none), and no pausing.
            let admin = try await api.call(.post, "/api/v1/users", token: root, json: [
                "email": "admin@platform.test", "password": "admin's long password", "name": "Admin", "roles": ["admin"],
            ])
            #expect(admin.status == 201, "\(admin.body)")
            let (adminToken, _) = try await api.login("platform", "admin@platform.test", "admin's long password")
            #expect(Self.ids(try await api.call(.get, "/api/v1/jobs", token: adminToken)) == [])
            #expect(try await api.call(.get, "/api/v1/jobs/\(fixture.bravo)", token: adminToken).status == 404)
            let forbidden = try await api.call(.post, "/api/v1/queues/default/pause", token: adminToken)
            #expect(forbidden.status == 403 && forbidden.errorCode == "FORBIDDEN", "\(forbidden.body)")
        }
    }
}
