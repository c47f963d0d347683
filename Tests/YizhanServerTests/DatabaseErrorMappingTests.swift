import Testing
import YizhanCore
import YizhanStorage
@testable import YizhanServer

/// What the API answers for each classified storage failure: never a 500, and never a secret.
@Suite
struct DatabaseErrorMappingTests {
    struct DriverError: Error, CustomStringConvertible {
        var description: String { "INSERT … VALUES ('hunter2')" }
    }

    @Test(arguments: [
        (DatabaseError.Code.busy, 503, "SERVICE_UNAVAILABLE", true),
        (.unavailable, 503, "SERVICE_UNAVAILABLE", true),
        (.serializationFailure, 503, "SERVICE_UNAVAILABLE", true),
        (.uniqueViolation, 409, "CONFLICT", false),
        (.invalidValue, 400, "VALIDATION_ERROR", false),
    ])
    func eachClassifiedFailureHasItsStatus(code: DatabaseError.Code, status: Int, name: String, retryAfter: Bool) {
        let mapped = ErrorMapper.map(DatabaseError(code, "what happened", underlying: DriverError()))
        #expect(mapped.httpStatus == status)
        #expect(mapped.code.rawValue == name)
        #expect((mapped.headers["Retry-After"] == "1") == retryAfter)
        #expect(!mapped.message.contains("hunter2"))
    }

    @Test
    func theLogLineNamesTheFailureWithoutReflectingTheDriverError() {
        let line = ErrorMapper.logDescription(DatabaseError(.busy, "The database is busy.", underlying: DriverError()))
        #expect(line.hasPrefix("DatabaseError(busy): The database is busy."))
    }
}
