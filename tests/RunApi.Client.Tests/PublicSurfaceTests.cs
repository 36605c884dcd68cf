using System.Collections;
using System.Reflection;

namespace RunApi.Client.Tests;

/// <summary>The client core shows the module what it needs and no more.</summary>
public sealed class PublicSurfaceTests
{
    private static readonly Assembly Core = typeof(RunApiClient).Assembly;

    [Theory]
    [InlineData("RunApi.Client.Validation.RequestValidator")]
    [InlineData("RunApi.Client.Downloads.SafeFileName")]
    [InlineData("RunApi.Client.Downloads.ImageDownloader")]
    public void Helpers_of_the_module_are_not_public(string typeName)
    {
        var type = Core.GetType(typeName, throwOnError: true)!;
        Assert.False(type.IsPublic, typeName + " is public");
    }

    [Fact]
    public void No_public_model_hands_out_a_list_that_can_be_changed_or_replaced()
    {
        var offenders = Core.GetExportedTypes()
            .SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => (Type: t, Property: p)))
            .Where(x => x.Property.PropertyType != typeof(string) && typeof(IEnumerable).IsAssignableFrom(x.Property.PropertyType))
            .Where(x => x.Property.Name != "AdditionalFields") // JSON extension data: System.Text.Json needs a settable dictionary
            .Where(x => x.Property.SetMethod?.IsPublic == true || IsMutableList(x.Property.PropertyType))
            .Select(x => $"{x.Type.Name}.{x.Property.Name}")
            .ToList();
        Assert.Empty(offenders);
    }

    private static bool IsMutableList(Type type) =>
        type.IsGenericType && (type.GetGenericTypeDefinition() == typeof(List<>) || type.GetGenericTypeDefinition() == typeof(IList<>));
}
