using Agent.Core;
using Agent.Web;
using Agent.Web.Cli;
using Agent.Web.Configuration;

// Operator commands run against the configuration and database, without starting the server.
if (AuditCommand.Matches(args))
{
    return await AuditCommand.RunAsync(args);
}
if (LlmCheckCommand.Matches(args))
{
    return await LlmCheckCommand.RunAsync(args);
}

try
{
    var builder = WebApplication.CreateBuilder(args);
    builder.AddAgentConfiguration(args);
    builder.Services.AddAgentCore(builder.Configuration);
    builder.Services.AddAgentWeb();

    var app = builder.Build();
    // Fail before the host starts so that a bad value yields one line, not a host failure log.
    app.Services.ValidateAgentOptions();
    app.Services.ValidateAgentWebOptions();
    app.UseAgentPipeline();
    app.MapAgentEndpoints();

    await app.StartAsync();
    StartupBanner.Print(app, Console.Out);
    await app.WaitForShutdownAsync();
    return 0;
}
catch (Exception ex) when (StartupFailure.TryDescribe(ex, out var message))
{
    Console.Error.WriteLine(message);
    return 2;
}
