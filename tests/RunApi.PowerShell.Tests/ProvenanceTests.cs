using System.Text;
using RunApi.PowerShell.Tests.Support;
using RunApi.Simulator;

namespace RunApi.PowerShell.Tests;

/// <summary>A saved image says where it came from: on its FileInfo, in a CSV manifest, and inside the file a year later.</summary>
public class ProvenanceTests
{
    [Fact]
    public async Task A_saved_file_carries_its_task_and_what_was_asked()
    {
        await using var session = await ModuleSession.StartAsync();

        var result = session.Run("'a lighthouse at dusk' | New-ImagenImage -Model imagen-4-fast -Seed 42 -AspectRatio 16:9 -NegativePrompt 'fog' -OutputDirectory ./out");

        Assert.Empty(result.Errors);
        var file = Assert.Single(result.Output);
        Assert.IsType<FileInfo>(file.BaseObject);
        Assert.Equal("RunApi.SavedImage", file.TypeNames[0]);
        var task = session.Simulator.Tasks.Single();
        Assert.Equal(task.Id, file.Get<string>("TaskId"));
        Assert.Equal("text_to_image", file.Get<string>("Endpoint"));
        Assert.Equal("a lighthouse at dusk", file.Get<string>("Prompt"));
        Assert.Equal("fog", file.Get<string>("NegativePrompt"));
        Assert.Equal("imagen-4-fast", file.Get<string>("Model"));
        Assert.Equal("16:9", file.Get<string>("AspectRatio"));
        Assert.Equal(42L, file.Get<long>("Seed"));
        Assert.Equal(0, file.Get<int>("ImageIndex"));
        Assert.Equal(0.04m, file.Get<decimal>("EstimatedCostUsd"));
        Assert.NotNull(file.Raw("SubmittedAt"));
        Assert.NotNull(file.Raw("CompletedAt"));
    }

    [Fact]
    public async Task New_Wait_Save_and_Export_Csv_make_the_batch_manifest()
    {
        await using var session = await ModuleSession.StartAsync();

        session.Run("'a red cube','a blue cube' | New-ImagenImage -Seed 7 | Wait-ImagenTask | Save-ImagenImage -OutputDirectory ./out | Export-Csv ./manifest.csv");

        var rows = session.Run("Import-Csv ./manifest.csv").Output;
        Assert.Equal(2, rows.Count);
        Assert.StartsWith("\"TaskId\",\"Endpoint\",\"Prompt\",\"NegativePrompt\",\"Model\",\"AspectRatio\",\"Seed\",\"ImageIndex\"",
            File.ReadLines(Path.Combine(session.Folder, "manifest.csv")).First());
        foreach (var task in session.Simulator.Tasks)
        {
            var row = Assert.Single(rows, r => r.Get<string>("TaskId") == task.Id);
            Assert.Equal(task.Prompt, row.Get<string>("Prompt"));
            Assert.Equal("7", row.Get<string>("Seed"));
            Assert.Equal(Path.Combine(session.Folder, "out", task.Id + "_0.png"), row.Get<string>("FullName"));
        }
    }

    [Fact]
    public async Task The_image_file_holds_its_provenance_and_Get_ImagenImageInfo_reads_it_back()
    {
        await using var session = await ModuleSession.StartAsync(new SimulatorOptions { GenerationTime = TimeSpan.Zero, ImageBytes = 20_000 });
        const string prompt = "a lighthouse, \"quoted\", ünïcode ✓";

        var saved = session.Run($"New-ImagenImage '{prompt}' -Model imagen-4-ultra -Seed 9 -OutputDirectory ./out").Output.Single();
        var info = session.Run("Get-ImagenImageInfo ./out/*.png").Output.Single();

        var task = session.Simulator.Tasks.Single();
        Assert.Equal("RunApi.ImagenImageInfo", info.TypeNames[0]);
        Assert.Equal(prompt, info.Get<string>("Prompt"));
        Assert.Equal("imagen-4-ultra", info.Get<string>("Model"));
        Assert.Equal(9L, info.Get<long>("Seed"));
        Assert.Equal(task.Id, info.Get<string>("TaskId"));
        Assert.Equal("PNG", info.Get<string>("Format"));
        Assert.StartsWith("RunApi ", info.Get<string>("Software"));
        Assert.NotNull(info.Raw("CreatedAt"));

        // The image is the served image with text chunks added: the same pixels, a valid PNG that still ends whole.
        var bytes = File.ReadAllBytes(((FileInfo)saved.BaseObject).FullName);
        var served = session.Simulator.GetImageBytes(task.Id, 0);
        Assert.True(bytes.Length > served.Length);
        Assert.Equal(served.AsSpan(0, 33).ToArray(), bytes.AsSpan(0, 33).ToArray()); // signature and IHDR first
        Assert.Equal(served.AsSpan(served.Length - 12).ToArray(), bytes.AsSpan(bytes.Length - 12).ToArray()); // IEND last
        Assert.Contains("iTXt", Encoding.Latin1.GetString(bytes, 33, 8));
    }

    [Fact]
    public async Task NoMetadata_saves_the_bytes_exactly_as_served()
    {
        await using var session = await ModuleSession.StartAsync();

        var saved = session.Run("New-ImagenImage 'a red cube' -OutputDirectory ./out -NoMetadata").Output.Single();

        var task = session.Simulator.Tasks.Single();
        Assert.Equal(session.Simulator.GetImageBytes(task.Id, 0), File.ReadAllBytes(((FileInfo)saved.BaseObject).FullName));
        Assert.Null(session.Run("Get-ImagenImageInfo ./out/*.png").Output.Single().Raw("Prompt"));
    }
}
