namespace RunApi.Bench.Worker
{
    /// <summary>The prompt text for each index: distinct, so no two creates look like replays of each other.</summary>
    internal static class Prompts
    {
        public static string WarmUp(int index) => $"bench warm-up prompt {index}: a blue sphere";

        public static string For(int index) => $"bench prompt {index}: a red cube on a white table, studio photo";
    }
}
