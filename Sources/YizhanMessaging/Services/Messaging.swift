import AsyncHTTPClient
import Logging
import YizhanCore
import YizhanCredentials
import YizhanIdentity
import YizhanJobs
import YizhanStorage

/// The messaging layer, wired once per process: accepting and reading messages, and the
/// dispatcher the `messaging.dispatch` jobs run.
package final class Messaging: Sendable {
    package let messages: MessageService
    package let dispatcher: MessageDispatcher

    package init(
        database: any Database, clock: any TimeSource, identity: Identity, credentials: Credentials, jobs: Jobs,
        httpClient: HTTPClient = ProviderHTTP.client, logger: Logger = Logger(label: "yizhan.messaging"),
        observer: (any MessagingObserver)? = nil
    ) {
        self.messages = MessageService(
            database: database, clock: clock, apps: credentials.apps, quotas: identity.quotas, queue: jobs.queue, observer: observer)
        self.dispatcher = MessageDispatcher(
            database: database, clock: clock, credentials: credentials, httpClient: httpClient, logger: logger, observer: observer)
    }
}
