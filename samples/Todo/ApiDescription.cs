using CgiRouting;

namespace Todo;

/// <summary>Serves the app's OpenAPI document, which the CgiRouting generator wrote at build time.</summary>
public static class ApiDescription
{
    /// <summary>This API's OpenAPI document, as <c>todo --openapi</c> prints it.</summary>
    /// <response code="200">The OpenAPI 3.1 document (JSON), written when the app was built.</response>
    [Get("/openapi.json")]
    [ExcludeFromDescription] // the document does not list itself
    [Produces(200)]
    public static Response OpenApi() => Response.Bytes(CgiRouting.Generated.CgiOpenApi.Document.ToArray(), "application/json");
}
