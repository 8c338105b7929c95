using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using CgiRouting.FastCgi;
using Xunit;

namespace CgiRouting.Tests;

/// <summary>
/// How a FastCGI request's error log cuts what is written into entries: one STDERR record of the request and one line
/// on the worker's log per entry, whether the entry came in one <c>WriteLine</c> or in pieces.
/// </summary>
public class FastCgiErrorLogTests
{
    private sealed class Log
    {
        public readonly MemoryStream Connection = new();
        public readonly RecordingWriter Worker = new();
        public readonly FastCgiOutputStream Output;
        public readonly FastCgiErrorLog ErrorLog;

        public Log(Stream? connection = null)
        {
            Output = new FastCgiOutputStream(new FastCgiRecordWriter(connection ?? Connection), requestId: 3);
            ErrorLog = new FastCgiErrorLog(Output, Worker);
        }

        /// <summary>The contents of the STDERR records sent so far, each checked to be of request 3.</summary>
        public List<string> Records()
        {
            var records = FastCgiClient.Parse(Connection.ToArray());
            Assert.All(records, r => Assert.Equal((FastCgiClient.Stderr, 3), (r.Type, r.RequestId)));
            return records.ConvertAll(r => Encoding.UTF8.GetString(r.Content));
        }
    }

    /// <summary>The worker's log: its lines, and how often it was flushed.</summary>
    private sealed class RecordingWriter : StringWriter
    {
        public int Flushes { get; private set; }

        public override void Flush()
        {
            Flushes++;
            base.Flush();
        }

        public string[] Lines => ToString().Split(Environment.NewLine)[..^1];
    }

    [Fact]
    public void An_entry_written_in_pieces_leaves_as_one_record_and_one_line_once_it_ends_with_a_newline()
    {
        var log = new Log();
        log.ErrorLog.Write("CgiRouting: ");
        log.ErrorLog.Write('x');
        log.ErrorLog.Write(" went ".ToCharArray(), 0, 6);
        Assert.Empty(log.Records()); // nothing until the entry ends
        Assert.Empty(log.Worker.Lines);
        log.ErrorLog.Write("wrong\n");
        Assert.Equal(["CgiRouting: x went wrong\n"], log.Records());
        Assert.Equal(["CgiRouting: x went wrong"], log.Worker.Lines);

        // The next entry starts afresh.
        log.ErrorLog.Write("second\r\n");
        Assert.Equal(["CgiRouting: x went wrong\n", "second\n"], log.Records());
        Assert.Equal(["CgiRouting: x went wrong", "second"], log.Worker.Lines);
    }

    [Fact]
    public void Writing_nothing_sends_nothing()
    {
        var log = new Log();
        log.ErrorLog.Write((string?)null);
        log.ErrorLog.Write("");
        log.ErrorLog.Flush();
        Assert.Empty(log.Records());
        Assert.Empty(log.Worker.Lines);
    }

    [Fact]
    public void WriteLine_ends_what_Write_began_as_one_entry()
    {
        var log = new Log();
        log.ErrorLog.Write("begun, ");
        log.ErrorLog.WriteLine("ended");
        log.ErrorLog.WriteLine("alone");
        Assert.Equal(["begun, ended\n", "alone\n"], log.Records());
        Assert.Equal(["begun, ended", "alone"], log.Worker.Lines);
    }

    [Fact]
    public void An_empty_WriteLine_is_an_empty_entry()
    {
        var log = new Log();
        log.ErrorLog.WriteLine();
        log.ErrorLog.WriteLine((string?)null);
        Assert.Equal(["\n", "\n"], log.Records());
        Assert.Equal(["", ""], log.Worker.Lines);
    }

    [Fact]
    public void Flush_sends_an_unfinished_entry_and_flushes_the_workers_log()
    {
        var log = new Log();
        log.ErrorLog.Write("finished\n");
        log.ErrorLog.Flush(); // nothing pending: no empty entry
        Assert.Equal(["finished\n"], log.Records());
        Assert.Equal(1, log.Worker.Flushes);

        log.ErrorLog.Write("unfinished");
        log.ErrorLog.Flush();
        Assert.Equal(["finished\n", "unfinished\n"], log.Records());
        Assert.Equal(["finished", "unfinished"], log.Worker.Lines);
        Assert.Equal(2, log.Worker.Flushes);
    }

    [Fact]
    public void Once_the_request_has_ended_entries_reach_only_the_workers_log()
    {
        var log = new Log();
        log.ErrorLog.WriteLine("before");
        log.Output.Complete();
        int sent = (int)log.Connection.Length;
        log.ErrorLog.WriteLine("after");
        Assert.Equal(sent, (int)log.Connection.Length);
        Assert.Equal(["before", "after"], log.Worker.Lines);
    }

    [Fact]
    public void A_closed_connection_does_not_lose_the_entry_from_the_workers_log()
    {
        var log = new Log(new FailingStream());
        log.ErrorLog.WriteLine("the web server is gone");
        Assert.Equal(["the web server is gone"], log.Worker.Lines);
    }

    private sealed class FailingStream : MemoryStream
    {
        public override void Write(ReadOnlySpan<byte> buffer) => throw new IOException("Broken pipe");
        public override void Write(byte[] buffer, int offset, int count) => throw new IOException("Broken pipe");
    }
}
