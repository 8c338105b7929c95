using System;
using System.Collections.Generic;
using Xunit;

namespace CgiRouting.Tests;

/// <summary>The process environment as CgiApp.Run() reads it: one variable at a time, all of them only when enumerated.</summary>
public sealed class ProcessEnvironmentTests : IDisposable
{
    // A name of this test's own, so that tests running in parallel are not disturbed.
    private readonly string _name = "CGIROUTING_TEST_" + Guid.NewGuid().ToString("N");

    public ProcessEnvironmentTests() => Environment.SetEnvironmentVariable(_name, "value of " + _name);

    public void Dispose() => Environment.SetEnvironmentVariable(_name, null);

    [Fact]
    public void A_set_variable_is_found()
    {
        var environment = new ProcessEnvironment();
        Assert.True(environment.TryGetValue(_name, out string? value));
        Assert.Equal("value of " + _name, value);
        Assert.True(environment.ContainsKey(_name));
        Assert.Equal("value of " + _name, environment[_name]);
    }

    [Fact]
    public void An_unset_variable_is_not()
    {
        var environment = new ProcessEnvironment();
        Assert.False(environment.TryGetValue(_name + "_UNSET", out string? value));
        Assert.Null(value);
        Assert.False(environment.ContainsKey(_name + "_UNSET"));
        Assert.Throws<KeyNotFoundException>(() => environment[_name + "_UNSET"]);
    }

    [Fact]
    public void Enumerating_copies_every_variable_once()
    {
        var environment = new ProcessEnvironment();
        Assert.Contains(new KeyValuePair<string, string>(_name, "value of " + _name), environment);
        Assert.Contains(_name, environment.Keys);
        Assert.Contains("value of " + _name, environment.Values);
        int count = environment.Count;
        Assert.True(count >= 1);
        // The copy is taken once: a variable set afterwards is read by name but not enumerated.
        string later = _name + "_LATER";
        Environment.SetEnvironmentVariable(later, "x");
        try
        {
            Assert.Equal("x", environment[later]);
            Assert.DoesNotContain(later, environment.Keys);
            Assert.Equal(count, environment.Count);
        }
        finally
        {
            Environment.SetEnvironmentVariable(later, null);
        }
    }

    [Fact]
    public void A_request_reads_its_headers_from_the_process_environment()
    {
        string header = "HTTP_X_" + _name;
        Environment.SetEnvironmentVariable(header, "h");
        try
        {
            var request = new CgiRequest(new ProcessEnvironment());
            Assert.Equal("h", request.GetHeader("X-" + _name.Replace('_', '-')));
        }
        finally
        {
            Environment.SetEnvironmentVariable(header, null);
        }
    }
}
