using System;

namespace CgiRouting;

/// <summary>
/// Binds a <see cref="string"/>, <see cref="byte"/>[] or <see cref="System.IO.Stream"/> parameter to the raw
/// request body. Parameters of other complex types are read from the body as JSON without this attribute.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter, Inherited = false)]
public sealed class BodyAttribute : Attribute
{
}
