namespace ExplainApi.Host.Cli;

/// <summary>The commands that run one job in the foreground, by their first argument.</summary>
public static class JobCommands
{
    public delegate Task<int> Command(string[] args, Action<IHostApplicationBuilder> addServices, TextWriter output);

    private static readonly Dictionary<string, Command> ByName = new(StringComparer.Ordinal)
    {
        ["train"] = TrainCommand.RunAsync,
        ["evaluate"] = EvaluateCommand.RunAsync,
        ["difference-summary"] = DifferenceSummaryCommand.RunAsync,
    };

    public static Command? Find(string[] args) => args is [var name, ..] ? ByName.GetValueOrDefault(name) : null;
}
