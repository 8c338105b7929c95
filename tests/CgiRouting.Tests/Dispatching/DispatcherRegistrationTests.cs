using System.IO;
using System.Threading.Tasks;
using Xunit;

namespace CgiRouting.Tests;

/// <summary>Tests that replace the process-wide dispatcher: they run alone, after the tests that dispatch in parallel.</summary>
[CollectionDefinition(nameof(DispatcherRegistration), DisableParallelization = true)]
public sealed class DispatcherRegistration
{
}

[Collection(nameof(DispatcherRegistration))]
public class DispatcherRegistrationTests
{
    [Fact]
    public async Task The_registered_dispatcher_and_route_table_are_used()
    {
        try
        {
            CgiApp.SetDispatcher(request => new ValueTask<Response>(Response.Text("mine " + request.Path)),
                () => [new RouteInfo("GET", "/m", "Mine.M")]);
            Assert.Equal("mine /x", (await CgiApp.DispatchAsync(CgiRequest.Create("GET", "/x"))).BodyText);
            Assert.Equal([new RouteInfo("GET", "/m", "Mine.M")], CgiApp.Routes);
        }
        finally
        {
            Generated.CgiDispatcher.Register();
        }
        Assert.Equal("me", (await CgiApp.DispatchAsync(CgiRequest.Create("GET", "/users/me"))).BodyText);
    }

    [Fact]
    public async Task Without_a_generated_dispatcher_there_are_no_routes_and_requests_fail_with_the_reason_logged()
    {
        try
        {
            CgiApp.SetDispatcher(null!, null!); // as in a library that does not reference the generator
            Assert.Empty(CgiApp.Routes);
            var log = new StringWriter();
            var response = await CgiApp.DispatchAsync(CgiRequest.Create("GET", "/x"), new CgiOptions { ErrorLog = log });
            Assert.Equal(500, response.StatusCode);
            Assert.Equal("Internal Server Error", response.BodyText);
            Assert.Contains("No dispatcher is registered: reference CgiRouting.Generators as an analyzer so that it generates one.", log.ToString());
        }
        finally
        {
            Generated.CgiDispatcher.Register();
        }
    }
}
