using System.IO;
using CgiRouting.FastCgi;
using Xunit;

namespace CgiRouting.Tests.FastCgi;

public sealed class CrashLoopTests
{
    [Fact]
    public void N_deaths_within_the_window_pause_starts_doubling_and_say_so_once()
    {
        var log = new StringWriter();
        var loop = new CrashLoop(3, 10, log);
        loop.Died(100_000);
        loop.Died(101_000);
        Assert.False(loop.Paused(101_001)); // two deaths: not yet
        loop.Died(102_000);
        Assert.True(loop.Paused(102_999));
        Assert.False(loop.Paused(103_000)); // 1 s
        loop.Died(104_000);
        Assert.True(loop.Paused(105_999));
        Assert.False(loop.Paused(106_000)); // 2 s
        Assert.Equal("CgiRouting: 3 FastCGI workers died abnormally within 10 s (--restart-threshold 3/10): starting none for 1 s, "
            + "and for twice as long after each further death (said once)." + System.Environment.NewLine, log.ToString());
    }

    [Fact]
    public void Deaths_spread_wider_than_the_window_never_pause_and_a_quiet_window_ends_an_episode()
    {
        var log = new StringWriter();
        var loop = new CrashLoop(2, 10, log);
        loop.Died(100_000);
        loop.Died(111_000);
        loop.Died(122_000);
        Assert.False(loop.Paused(122_001));
        Assert.Equal("", log.ToString());
        loop.Died(123_000); // two within 10 s
        Assert.True(loop.Paused(123_500));
        loop.Died(200_000); // long after: a new episode, from 1 s again, and said again
        loop.Died(201_000);
        Assert.True(loop.Paused(201_999));
        Assert.False(loop.Paused(202_000));
        Assert.Equal(2, log.ToString().Split("said once").Length - 1);
    }

    [Fact]
    public void Without_a_threshold_nothing_pauses()
    {
        var loop = new CrashLoop(0, 0, new StringWriter());
        for (int i = 0; i < 10; i++)
            loop.Died(1000 + i);
        Assert.False(loop.Paused(1010));
    }
}
