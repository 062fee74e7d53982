// A bare ASP.NET Core minimal API started the same way as the agent (PORT, 127.0.0.1, Release):
// the denominator of the agent's throughput ratio. It binds the same JSON body and answers a small JSON object.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
var port = Environment.GetEnvironmentVariable("PORT") ?? "8100";
builder.WebHost.UseUrls($"http://127.0.0.1:{port}");

var app = builder.Build();
app.MapGet("/health", () => TypedResults.Ok(new HealthReply("healthy")));
app.MapPost("/agent/run", (RunInput body) => TypedResults.Ok(new RunReply("success", body.Input?.Length ?? 0)));
app.Run();

internal sealed record RunInput(string? Input);

internal sealed record RunReply(string Status, int InputLength);

internal sealed record HealthReply(string Status);
