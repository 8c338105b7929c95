namespace CgiRouting.Generators.Model;

/// <summary>Whether a handler needs an authenticated user (<c>REMOTE_USER</c>), and why it does not.</summary>
internal enum Authorization
{
    /// <summary>Served to every request.</summary>
    None,

    /// <summary>401 unless <c>REMOTE_USER</c> is set and not empty: <c>[Authorize]</c> on the handler or its class, or a required <c>[User]</c> parameter.</summary>
    Required,

    /// <summary><c>[AllowAnonymous]</c> opted the handler out of an <c>[Authorize]</c>: served to every request.</summary>
    Anonymous,
}
