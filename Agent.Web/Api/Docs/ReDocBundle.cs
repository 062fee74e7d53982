using System.IO.Compression;
using System.Text;

namespace Agent.Web.Api.Docs;

/// <summary>
/// ReDoc's bundled script with its two third-party image URLs (the Redocly logo on cdn.redoc.ly) replaced by an empty
/// data URL: the footer image then fails locally and hides itself, so the docs make no request outside this server
/// and trip no content-security-policy violation. Served in place of the package's copy, built once.
/// </summary>
public static class ReDocBundle
{
    public const string Path = "/redoc/redoc.standalone.js";
    private const string ResourceName = "Swashbuckle.AspNetCore.ReDoc.node_modules.redoc.bundles.redoc.standalone.js";
    private static readonly string[] ThirdPartyImages = ["https://cdn.redoc.ly/redoc/logo-mini-full.svg", "https://cdn.redoc.ly/redoc/logo-mini.svg"];

    private static readonly Lazy<byte[]> Bundle = new(Build);

    public static IApplicationBuilder UseLocalReDocBundle(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            if (!HttpMethods.IsGet(context.Request.Method) || context.Request.Path != Path)
            {
                await next(context);
                return;
            }
            context.Response.ContentType = "text/javascript; charset=utf-8";
            context.Response.Headers.CacheControl = "public, max-age=3600";
            await context.Response.Body.WriteAsync(Bundle.Value, context.RequestAborted);
        });

    private static byte[] Build()
    {
        var assembly = typeof(Swashbuckle.AspNetCore.ReDoc.ReDocOptions).Assembly;
        using var resource = assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"ReDoc bundle resource '{ResourceName}' not found in {assembly.GetName().Name}.");
        using var buffer = new MemoryStream();
        resource.CopyTo(buffer);
        var bytes = buffer.ToArray();
        // The package stores the bundle gzip-compressed.
        if (bytes is [0x1f, 0x8b, ..])
        {
            using var gzip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
            using var plain = new MemoryStream();
            gzip.CopyTo(plain);
            bytes = plain.ToArray();
        }
        var script = Encoding.UTF8.GetString(bytes);
        foreach (var url in ThirdPartyImages)
        {
            script = script.Replace(url, "data:,", StringComparison.Ordinal);
        }
        return Encoding.UTF8.GetBytes(script);
    }
}
