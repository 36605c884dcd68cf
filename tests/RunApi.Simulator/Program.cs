using RunApi.Simulator.Standalone;

return await StandaloneRunner.RunAsync(args);
