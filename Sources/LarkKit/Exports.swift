// The shared failure category and token-source protocol are part of this kit's API: a caller
// matches `error.category` and passes a `TokenSource` without importing ProviderKitSupport.
@_exported import enum ProviderKitSupport.ProviderErrorCategory
@_exported import protocol ProviderKitSupport.TokenSource
