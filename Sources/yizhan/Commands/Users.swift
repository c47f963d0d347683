import ArgumentParser
import Foundation
import YizhanCore
import YizhanIdentity

/// `yizhan users create|reset-password`.
struct Users: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create users and reset passwords.", subcommands: [Create.self, ResetPassword.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a user in a tenant.")

        @OptionGroup var options: ConfigOptions
        @Option(help: "The tenant's code.") var tenant: String
        @Option var email: String
        @Option var name: String?
        @Option(name: .customLong("role"), help: "A role (repeat for several): owner, admin, operator, viewer, or a custom role.") var roles: [String] = []
        @Option(help: "The password (generated and printed once if omitted).") var password: String?
        @Flag(name: .customLong("password-stdin"), help: "Read the password from standard input.") var passwordFromStandardInput = false

        func run() async throws {
            let chosen = AdminCommand.password(flag: password, fromStandardInput: passwordFromStandardInput)
            let (code, email, name, roles) = (tenant, email, name, roles)
            try await AdminCommand.run(options) { identity in
                let tenant = try await AdminCommand.tenant(code, in: identity)
                let user = try await identity.users.create(
                    tenantID: tenant.id, email: email, password: chosen.password, name: name ?? email, roles: roles)
                print("user \(user.id) email=\(user.email) roles=\(user.roles.joined(separator: ","))")
                if chosen.generated { print("password (shown once): \(chosen.password)") }
            }
        }
    }

    struct ResetPassword: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reset-password", abstract: "Set a user's password; every session of the user ends.")

        @OptionGroup var options: ConfigOptions
        @Option(help: "The tenant's code.") var tenant: String
        @Option var email: String
        @Option(help: "The new password (generated and printed once if omitted).") var password: String?
        @Flag(name: .customLong("password-stdin"), help: "Read the password from standard input.") var passwordFromStandardInput = false

        func run() async throws {
            let chosen = AdminCommand.password(flag: password, fromStandardInput: passwordFromStandardInput)
            let (code, email) = (tenant, email.lowercased())
            try await AdminCommand.run(options) { identity in
                let tenant = try await AdminCommand.tenant(code, in: identity)
                guard let user = try await identity.users.user(email: email, tenantID: tenant.id) else {
                    throw YizhanError(.notFound, "No user with email \(email) in tenant \(code).")
                }
                try await identity.users.resetPassword(userID: user.id, tenantID: tenant.id, newPassword: chosen.password)
                print("password reset for \(user.id); their sessions are ended")
                if chosen.generated { print("password (shown once): \(chosen.password)") }
            }
        }
    }
}
