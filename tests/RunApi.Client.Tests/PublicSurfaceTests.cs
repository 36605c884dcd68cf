using System.Collections;
using System.Reflection;

namespace RunApi.Client.Tests;

/// <summary>The client core shows the module what it needs and no more.</summary>
public sealed class PublicSurfaceTests
{
    private static readonly Assembly Core = typeof(RunApiClient).Assembly;

    /// <summary>
    /// Only what a user meets: the exceptions behind the module's error records (<c>$_.Exception</c>, and a typed
    /// <c>catch</c>) and the enums they carry. The module, the tests and the bench see the internals; nobody else needs them.
    /// </summary>
    [Fact]
    public void The_only_public_types_are_the_exceptions_a_user_meets_and_their_enums()
    {
        var exported = Core.GetExportedTypes().Select(t => t.FullName).Order().ToArray();

        Assert.Equal(new[]
        {
            "RunApi.Client.Configuration.RunApiConfigurationException",
            "RunApi.Client.Configuration.RunApiConfigurationProblem",
            "RunApi.Client.Downloads.DestinationExistsException",
            "RunApi.Client.Errors.RunApiErrorKind",
            "RunApi.Client.Errors.RunApiException",
            "RunApi.Client.Journal.JournalException",
            "RunApi.Client.Journal.JournalProblem",
        }, exported);
    }

    [Fact]
    public void No_public_model_hands_out_a_list_that_can_be_changed_or_replaced()
    {
        var offenders = Core.GetExportedTypes()
            .SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => (Type: t, Property: p)))
            .Where(x => x.Property.PropertyType != typeof(string) && typeof(IEnumerable).IsAssignableFrom(x.Property.PropertyType))
            .Where(x => x.Property.SetMethod?.IsPublic == true || IsMutableList(x.Property.PropertyType))
            .Select(x => $"{x.Type.Name}.{x.Property.Name}")
            .ToList();
        Assert.Empty(offenders);
    }

    private static bool IsMutableList(Type type) =>
        type.IsGenericType && (type.GetGenericTypeDefinition() == typeof(List<>) || type.GetGenericTypeDefinition() == typeof(IList<>));
}
