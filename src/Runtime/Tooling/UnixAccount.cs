using System;
using System.Globalization;
using System.Runtime.InteropServices;

namespace CgiRouting;

/// <summary>
/// Users and groups by name or number (getpwnam(3), getgrnam(3)) and the file ownership calls that the command line
/// needs: a FastCGI worker's <c>--socket-owner</c>, and <c>--serve</c> handing its folder to the user lighttpd runs as.
/// </summary>
internal static unsafe partial class UnixAccount
{
    /// <summary>Whether this process runs as root (and so may give files away).</summary>
    public static bool IsRoot => OperatingSystem.IsLinux() && geteuid() == 0;

    /// <summary>
    /// <c>USER</c>, <c>USER:GROUP</c> or <c>:GROUP</c> (names or numbers) as ids; -1 for a part not given (chown(2) leaves
    /// it). Throws <see cref="FormatException"/> naming a user or group that does not exist. A user alone keeps the group.
    /// </summary>
    public static (int User, int Group) Parse(string owner)
    {
        int colon = owner.IndexOf(':');
        string user = colon < 0 ? owner : owner[..colon], group = colon < 0 ? "" : owner[(colon + 1)..];
        if (user.Length == 0 && group.Length == 0)
            throw new FormatException($"'{owner}' names no user and no group: write USER, USER:GROUP or :GROUP.");
        return (user.Length == 0 ? -1 : UserId(user), group.Length == 0 ? -1 : GroupId(group));
    }

    /// <summary>
    /// <c>--user USER[:GROUP]</c> (names or numbers) as ids: without GROUP, the user's own group (or, for a number that
    /// names no user, the same number). <c>Named</c>: the user has an entry (its supplementary groups can be looked up).
    /// Throws <see cref="FormatException"/> naming a user or group that does not exist.
    /// </summary>
    public static (int User, int Group, bool Named) Account(string account)
    {
        int colon = account.IndexOf(':');
        string user = colon < 0 ? account : account[..colon], group = colon < 0 ? "" : account[(colon + 1)..];
        if (user.Length == 0)
            throw new FormatException($"--user takes USER or USER:GROUP, not '{account}'.");
        byte* entry = int.TryParse(user, NumberStyles.None, CultureInfo.InvariantCulture, out int number) ? null : getpwnam(user);
        if (entry == null && number == 0 && user != "0")
            throw new FormatException($"There is no user '{user}'.");
        int uid = entry != null ? *(int*)(entry + 2 * sizeof(nint)) : number;
        int gid = group.Length > 0 ? GroupId(group) : entry != null ? *(int*)(entry + 2 * sizeof(nint) + sizeof(int)) : number; // pw_gid follows pw_uid
        return (uid, gid, entry != null);
    }

    private static int UserId(string user)
    {
        if (int.TryParse(user, NumberStyles.None, CultureInfo.InvariantCulture, out int id))
            return id;
        byte* entry = getpwnam(user); // struct passwd: pw_name, pw_passwd, then pw_uid
        return entry != null ? *(int*)(entry + 2 * sizeof(nint)) : throw new FormatException($"There is no user '{user}'.");
    }

    private static int GroupId(string group)
    {
        if (int.TryParse(group, NumberStyles.None, CultureInfo.InvariantCulture, out int id))
            return id;
        byte* entry = getgrnam(group); // struct group: gr_name, gr_passwd, then gr_gid
        return entry != null ? *(int*)(entry + 2 * sizeof(nint)) : throw new FormatException($"There is no group '{group}'.");
    }

    /// <summary>Gives <paramref name="path"/> to <paramref name="user"/> and <paramref name="group"/> (-1 leaves one), not following a link.</summary>
    public static void Chown(string path, int user, int group)
    {
        if (lchown(path, user, group) != 0)
            throw new InvalidOperationException($"Could not give {path} to {user}:{group}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}.");
    }

    /// <summary>Sets the mode of <paramref name="path"/> (following nothing but the path itself).</summary>
    public static void Chmod(string path, int mode)
    {
        if (chmod(path, mode) != 0)
            throw new InvalidOperationException($"Could not set the mode of {path} to {Convert.ToString(mode, 8)}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}.");
    }

    [LibraryImport("libc")]
    private static partial uint geteuid();

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)]
    private static partial byte* getpwnam(string name);

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)]
    private static partial byte* getgrnam(string name);

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int lchown(string path, int user, int group);

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int chmod(string path, int mode);
}
