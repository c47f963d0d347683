extension YizhanError {
    /// A stable, upper-case error code and the HTTP status it maps to.
    ///
    /// New codes may be added; callers match on the static members.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable {
            case validationError = "VALIDATION_ERROR"
            case unauthorized = "UNAUTHORIZED"
            case forbidden = "FORBIDDEN"
            case tenantSuspended = "TENANT_SUSPENDED"
            case notFound = "NOT_FOUND"
            case methodNotAllowed = "METHOD_NOT_ALLOWED"
            case conflict = "CONFLICT"
            case payloadTooLarge = "PAYLOAD_TOO_LARGE"
            case unsupportedMediaType = "UNSUPPORTED_MEDIA_TYPE"
            case notAcceptable = "NOT_ACCEPTABLE"
            case rateLimited = "RATE_LIMITED"
            case quotaExceeded = "QUOTA_EXCEEDED"
            case badRequest = "BAD_REQUEST"
            case internalError = "INTERNAL_ERROR"
            case serviceUnavailable = "SERVICE_UNAVAILABLE"
            case appDisabled = "APP_DISABLED"
            case masterKeyMissing = "MASTER_KEY_MISSING"
            case contactNotFound = "CONTACT_NOT_FOUND"
            case providerError = "PROVIDER_ERROR"
            case unsupportedMessageType = "UNSUPPORTED_MESSAGE_TYPE"
            case idempotencyMismatch = "IDEMPOTENCY_MISMATCH"
        }

        private let base: Base

        private init(_ base: Base) { self.base = base }

        /// Input failed validation (malformed JSON, missing or wrong-typed field, bad value). 400 or 422.
        public static let validationError = Code(.validationError)
        /// No or bad credentials. 401.
        public static let unauthorized = Code(.unauthorized)
        /// Authenticated but lacking the permission. 403.
        public static let forbidden = Code(.forbidden)
        /// The caller's tenant is suspended; its users and keys are refused. 403.
        public static let tenantSuspended = Code(.tenantSuspended)
        /// No such route or resource (or one the caller may not see). 404.
        public static let notFound = Code(.notFound)
        /// The route exists but not for this method. 405.
        public static let methodNotAllowed = Code(.methodNotAllowed)
        /// The request conflicts with existing state (duplicate, version). 409.
        public static let conflict = Code(.conflict)
        /// The body is larger than the configured limit. 413.
        public static let payloadTooLarge = Code(.payloadTooLarge)
        /// The body's content type is not accepted by the route. 415.
        public static let unsupportedMediaType = Code(.unsupportedMediaType)
        /// The response cannot be produced in an accepted content type. 406.
        public static let notAcceptable = Code(.notAcceptable)
        /// Too many requests; see `Retry-After`. 429.
        public static let rateLimited = Code(.rateLimited)
        /// A tenant quota is used up. 429.
        public static let quotaExceeded = Code(.quotaExceeded)
        /// A malformed request that is not a validation failure (bad header, bad path). 400.
        public static let badRequest = Code(.badRequest)
        /// A bug: an unexpected failure inside Yizhan. 500.
        public static let internalError = Code(.internalError)
        /// A dependency (the database) is unavailable; retry later. 503.
        public static let serviceUnavailable = Code(.serviceUnavailable)

        /// The app is disabled; nothing is sent through it until it is enabled. 409.
        public static let appDisabled = Code(.appDisabled)
        /// A secret cannot be sealed or opened: no master key is configured, or the one that sealed
        /// it is not among the configured keys. 503.
        public static let masterKeyMissing = Code(.masterKeyMissing)
        /// The provider's directory has nobody with that email or mobile (visible to the app). 404.
        public static let contactNotFound = Code(.contactNotFound)
        /// A provider call failed: the provider refused it (502), or did not answer or is limiting
        /// the app's rate (503 with `Retry-After` when known). `details.provider_code` is its code.
        public static let providerError = Code(.providerError)
        /// The app's provider cannot send a message of that type. 400.
        public static let unsupportedMessageType = Code(.unsupportedMessageType)
        /// An idempotency key used before, within its window, with a different request. 409.
        public static let idempotencyMismatch = Code(.idempotencyMismatch)

        /// The wire form, e.g. `NOT_FOUND`.
        public var rawValue: String { base.rawValue }

        /// The HTTP status this code is answered with by default.
        public var httpStatus: Int {
            switch base {
            case .validationError, .badRequest, .unsupportedMessageType: 400
            case .unauthorized: 401
            case .forbidden, .tenantSuspended: 403
            case .notFound, .contactNotFound: 404
            case .methodNotAllowed: 405
            case .notAcceptable: 406
            case .conflict, .appDisabled, .idempotencyMismatch: 409
            case .payloadTooLarge: 413
            case .unsupportedMediaType: 415
            case .rateLimited, .quotaExceeded: 429
            case .internalError: 500
            case .providerError: 502
            case .serviceUnavailable, .masterKeyMissing: 503
            }
        }

        public var description: String { rawValue }
    }
}
