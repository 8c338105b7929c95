// The end-to-end tests start web servers and send bursts of requests: one at a time keeps them from
// starving each other on a two-core machine.
[assembly: Xunit.CollectionBehavior(DisableTestParallelization = true)]
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
