import ArgumentParser
import Foundation
import YizhanCore
import YizhanIdentity

/// `yizhan tenants create|list`.
struct Tenants: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create and list tenants.", subcommands: [Create.self, List.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a tenant, optionally with its owner.")

        @OptionGroup var options: ConfigOptions
        @Option(help: "Unique code, used to log in (a-z, 0-9, '-', '_').") var code: String
        @Option(help: "Display name.") var name: String
        @Option(name: .customLong("owner-email"), help: "Create an owner with this email.") var ownerEmail: String?
        @Option(name: .customLong("owner-password"), help: "The owner's password (generated and printed once if omitted).") var ownerPassword: String?
        @Flag(name: .customLong("owner-password-stdin"), help: "Read the owner's password from standard input.") var ownerPasswordFromStandardInput = false
        @Option(name: .customLong("max-apps")) var maxApps: Int?
        @Option(name: .customLong("max-accounts")) var maxAccounts: Int?
        @Option(name: .customLong("max-daily-messages")) var maxDailyMessages: Int?

        func run() async throws {
            let quotas = TenantQuotas(maxApps: maxApps, maxAccounts: maxAccounts, maxDailyMessages: maxDailyMessages)
            let password = ownerEmail == nil ? nil : AdminCommand.password(flag: ownerPassword, fromStandardInput: ownerPasswordFromStandardInput)
            let (code, name, email) = (code, name, ownerEmail)
            try await AdminCommand.run(options) { identity in
                let owner = email.map { TenantService.Owner(email: $0, password: password!.password) }
                let created = try await identity.tenants.create(code: code, name: name, quotas: quotas, owner: owner)
                print("tenant \(created.tenant.id) code=\(created.tenant.code)")
                if let user = created.owner {
                    print("owner  \(user.id) email=\(user.email)")
                    if let password, password.generated { print("owner password (shown once): \(password.password)") }
                }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List tenants.")

        @OptionGroup var options: ConfigOptions
        @Option(help: "Only tenants whose code or name contains this.") var search: String?

        func run() async throws {
            let search = search
            try await AdminCommand.run(options) { identity in
                var page = 1
                while true {
                    let result = try await identity.tenants.list(search: search, status: nil, page: .init(page: page, pageSize: 200))
                    for tenant in result.items {
                        print("\(tenant.id)\t\(tenant.code)\t\(tenant.status.rawValue)\t\(tenant.name)")
                    }
                    if page * result.pageSize >= result.total { break }
                    page += 1
                }
            }
        }
    }
}
