namespace RunApi.Client.Tests.Hardening;

internal static partial class KeyForms
{
    public static void AssertAbsent(string key, Exception error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            AssertAbsent(key, e.Message, "an exception message");
            AssertAbsent(key, e.ToString(), "an exception's text");
            if (e is Errors.RunApiException api)
            {
                AssertAbsent(key, api.ServiceMessage, "ServiceMessage");
                AssertAbsent(key, api.ResponseBody, "ResponseBody");
                AssertAbsent(key, api.RequestId, "RequestId");
                AssertAbsent(key, api.TaskId, "TaskId");
                AssertAbsent(key, api.Task?.Error, "the task's error");
                foreach (var field in api.FieldErrors) AssertAbsent(key, field.Key + " " + string.Join(" ", field.Value), "FieldErrors");
            }
        }
    }
}
