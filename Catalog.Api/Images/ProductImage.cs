using System.Globalization;
using System.Security;
using System.Text;

namespace Shop.Catalog.Api.Images;

/// <summary>
/// A deterministic SVG per product: colours and shape come from the id alone, the name is the accessible
/// <c>&lt;title&gt;</c>. Same id, same picture on every replica, so any replica's cached copy is right.
/// </summary>
public static class ProductImage
{
    public const string ContentType = "image/svg+xml";

    /// <summary>
    /// Browsers may keep the picture a week: it depends only on the id. (A rename changes only the
    /// tooltip title, which may lag that long in a browser; the server-side copy is evicted at once.)
    /// </summary>
    public const string CacheControl = "public, max-age=604800";

    public static string Render(int id, string name)
    {
        // Golden-angle hue steps keep neighbouring ids visibly different.
        var hue = id * 137 % 360;
        var accent = (hue + 150) % 360;
        var shape = (id / 7) % 4;
        var initials = Initials(name);

        var svg = new StringBuilder(640);
        svg.Append(CultureInfo.InvariantCulture, $"""<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 400" width="400" height="400" role="img" aria-labelledby="t{id}">""");
        svg.Append(CultureInfo.InvariantCulture, $"""<title id="t{id}">{SecurityElement.Escape(name)}</title>""");
        svg.Append(CultureInfo.InvariantCulture, $"""<defs><linearGradient id="g{id}" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="hsl({hue},70%,88%)"/><stop offset="1" stop-color="hsl({hue},55%,70%)"/></linearGradient></defs>""");
        svg.Append(CultureInfo.InvariantCulture, $"""<rect width="400" height="400" fill="url(#g{id})"/>""");
        svg.Append(shape switch
        {
            0 => $"""<circle cx="200" cy="185" r="110" fill="hsl({accent},60%,45%)"/>""",
            1 => $"""<rect x="95" y="80" width="210" height="210" rx="28" fill="hsl({accent},60%,45%)"/>""",
            2 => $"""<polygon points="200,70 320,290 80,290" fill="hsl({accent},60%,45%)"/>""",
            _ => $"""<polygon points="200,75 305,135 305,255 200,315 95,255 95,135" fill="hsl({accent},60%,45%)"/>""",
        });
        svg.Append(CultureInfo.InvariantCulture, $"""<text x="200" y="205" text-anchor="middle" font-family="sans-serif" font-size="64" font-weight="700" fill="#fff">{SecurityElement.Escape(initials)}</text>""");
        svg.Append(CultureInfo.InvariantCulture, $"""<text x="200" y="370" text-anchor="middle" font-family="sans-serif" font-size="20" fill="hsl({hue},40%,25%)">#{id}</text>""");
        svg.Append("</svg>");
        return svg.ToString();
    }

    private static string Initials(string name) =>
        string.Concat(name.Split(' ', StringSplitOptions.RemoveEmptyEntries).TakeLast(2).Select(word => char.ToUpperInvariant(word[0])));
}
