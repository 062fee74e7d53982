using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace Agent.Web.Security;

/// <summary>
/// Data-protection keys as XML files in the data directory, each written owner-only (0600) from the start, so the
/// keys that seal console cookies are readable by this server's user alone and survive a restart.
/// </summary>
public sealed class PrivateXmlRepository(string directory) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        if (!Directory.Exists(directory))
        {
            return [];
        }
        return Directory.EnumerateFiles(directory, "*.xml").Order(StringComparer.Ordinal).Select(f => XElement.Load(f)).ToArray();
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        var name = string.Concat(friendlyName.Where(c => char.IsAsciiLetterOrDigit(c) || c == '-'));
        var path = Path.Combine(directory, $"{(name.Length > 0 ? name : Guid.NewGuid().ToString())}.xml");
        PrivateDataPaths.WritePrivateFile(path, Encoding.UTF8.GetBytes(element.ToString(SaveOptions.DisableFormatting)));
    }
}
