// Attributes the C# compiler needs for records and required members, which netstandard2.0 does not have.
namespace System.Runtime.CompilerServices
{
    /// <summary>Lets records and init accessors compile for netstandard2.0.</summary>
    internal static class IsExternalInit
    {
    }

    /// <summary>Lets <c>required</c> members compile for netstandard2.0.</summary>
    [AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct | AttributeTargets.Field | AttributeTargets.Property, Inherited = false)]
    internal sealed class RequiredMemberAttribute : Attribute
    {
    }

    /// <summary>Lets <c>required</c> members compile for netstandard2.0.</summary>
    [AttributeUsage(AttributeTargets.All, AllowMultiple = true, Inherited = false)]
    internal sealed class CompilerFeatureRequiredAttribute(string featureName) : Attribute
    {
        public string FeatureName { get; } = featureName;
    }
}

namespace System.Diagnostics.CodeAnalysis
{
    /// <summary>Lets constructors that set every required member compile for netstandard2.0.</summary>
    [AttributeUsage(AttributeTargets.Constructor, Inherited = false)]
    internal sealed class SetsRequiredMembersAttribute : Attribute
    {
    }
}
