import Foundation
import OpenAPIRuntime
import YizhanAPI
import YizhanCore
import YizhanCredentials
import YizhanIdentity
import YizhanMessaging

extension APIHandler {
    /// Access: `messages:send` (its `x-permission` in openapi.yaml; ``AuthMiddleware`` checks it).
    func sendMessage(_ input: Operations.SendMessage.Input) async throws -> Operations.SendMessage.Output {
        guard case .json(let body) = input.body else { throw YizhanError(.unsupportedMediaType, "The body must be application/json.") }
        if let header = input.headers.idempotencyKey, let field = body.idempotencyKey, header != field {
            throw InputRules.invalid("idempotency_key", "differs from the Idempotency-Key header")
        }
        let request = MessageRequest(
            appID: body.app, recipients: (body.recipients ?? []).map { ($0._type, $0.id) }, content: try Self.jsonObject(body.message),
            sendAt: body.sendAt, idempotencyKey: input.headers.idempotencyKey ?? body.idempotencyKey,
            metadata: body.metadata?.additionalProperties ?? [:])
        let (message, accepted) = try await messaging.messages.accept(request, tenantID: try principal().tenantID)
        let response = Components.Schemas.MessageResponse(success: true, data: try .init(message), meta: meta())
        return accepted ? .accepted(.init(body: .json(response))) : .ok(.init(body: .json(response)))
    }

    /// Access: `messages:send` (its `x-permission` in openapi.yaml; ``AuthMiddleware`` checks it).
    func sendMessageBatch(_ input: Operations.SendMessageBatch.Input) async throws -> Operations.SendMessageBatch.Output {
        guard case .json(let body) = input.body else { throw YizhanError(.unsupportedMediaType, "The body must be application/json.") }
        let requests = try body.messages.map { message in
            MessageRequest(
                appID: message.app, recipients: (message.recipients ?? []).map { ($0._type, $0.id) }, content: try Self.jsonObject(message.message),
                sendAt: message.sendAt, idempotencyKey: message.idempotencyKey, metadata: message.metadata?.additionalProperties ?? [:])
        }
        let outcomes = try await messaging.messages.acceptBatch(requests, tenantID: try principal().tenantID)
        let items = try outcomes.enumerated().map { index, outcome -> Components.Schemas.MessageBatchItem in
            switch outcome {
            case .accepted(let message, let replayed):
                return .init(
                    index: index, id: message.id, status: Components.Schemas.MessageStatus(rawValue: message.status.rawValue), replayed: replayed)
            case .refused(let error):
                let details = try JSONDecoder().decode(
                    Components.Schemas.MessageBatchItem._ErrorPayload.DetailsPayload.self, from: JSONEncoder().encode(error.details))
                return .init(index: index, error: .init(code: error.code.rawValue, message: error.message, details: details))
            }
        }
        return .ok(.init(body: .json(.init(success: true, data: .init(items: items), meta: meta()))))
    }

    /// Access: `messages:read` (its `x-permission` in openapi.yaml; ``AuthMiddleware`` checks it).
    func getMessage(_ input: Operations.GetMessage.Input) async throws -> Operations.GetMessage.Output {
        let message = try await messaging.messages.message(id: input.path.messageId, tenantID: try principal().tenantID)
        return .ok(.init(body: .json(.init(success: true, data: try .init(message), meta: meta()))))
    }

    /// Access: `messages:send` (its `x-permission` in openapi.yaml; ``AuthMiddleware`` checks it).
    func cancelMessage(_ input: Operations.CancelMessage.Input) async throws -> Operations.CancelMessage.Output {
        let message = try await messaging.messages.cancel(id: input.path.messageId, tenantID: try principal().tenantID)
        return .ok(.init(body: .json(.init(success: true, data: try .init(message), meta: meta()))))
    }

    /// Access: `messages:read` (its `x-permission` in openapi.yaml; ``AuthMiddleware`` checks it).
    func listMessages(_ input: Operations.ListMessages.Input) async throws -> Operations.ListMessages.Output {
        let page = try await messaging.messages.list(
            tenantID: try principal().tenantID, appID: input.query.app, status: input.query.status.flatMap { MessageStatus(rawValue: $0.rawValue) },
            page: try pageRequest(page: input.query.page, pageSize: input.query.pageSize))
        let list = Components.Schemas.MessageList(items: try page.items.map { try .init($0) }, pagination: Self.pagination(page))
        return .ok(.init(body: .json(.init(success: true, data: list, meta: meta()))))
    }

    /// A free-form JSON object of the document as Yizhan's JSON values.
    static func jsonObject<Container: Encodable>(_ container: Container) throws -> [String: JSONValue] {
        try JSONDecoder().decode([String: JSONValue].self, from: JSONEncoder().encode(container))
    }
}

extension Components.Schemas.Message {
    /// A message as the API shows it.
    init(_ message: YizhanMessaging.Message) throws {
        let content = try JSONDecoder().decode(
            Components.Schemas.Message.MessagePayload.self, from: JSONEncoder().encode(message.content))
        self.init(
            id: message.id, app: message.appID, provider: Components.Schemas.AppProvider(rawValue: message.provider.rawValue) ?? .lark,
            status: Components.Schemas.MessageStatus(rawValue: message.status.rawValue) ?? .pending, message: content,
            metadata: .init(additionalProperties: message.metadata), idempotencyKey: message.idempotencyKey, sendAt: message.sendAt,
            recipients: message.recipients.map { recipient in
                .init(
                    _type: recipient.kind, id: recipient.address,
                    status: Components.Schemas.RecipientStatus(rawValue: recipient.status.rawValue) ?? .pending,
                    providerCode: recipient.providerCode, reason: recipient.reason, providerMessageId: recipient.providerMessageID)
            },
            attempts: message.attempts.map { attempt in
                .init(
                    attempt: attempt.attempt, startedAt: attempt.startedAt, outcome: attempt.outcome, providerCode: attempt.providerCode,
                    detail: attempt.detail, latencyMs: attempt.latencyMilliseconds)
            },
            createdAt: message.createdAt, updatedAt: message.updatedAt)
    }
}
