using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using MudBlazor;

namespace Agent.Web.Components.Layout;

public sealed partial class MainLayout : IAsyncDisposable
{
    [Inject] public required IJSRuntime JS { get; init; }

    private MudThemeProvider? _themeProvider;
    private IJSObjectReference? _themeStore;

    internal bool DrawerOpen { get; set; } = true;

    internal bool DarkMode { get; set; }

    /// <summary>True once the circuit is live; browser tests wait for it before typing.</summary>
    internal bool Interactive { get; private set; }

    /// <summary>
    /// Indigo primary and status colours dark enough for white text (WCAG AA, 4.5:1) on chips and buttons in both modes;
    /// MudBlazor's default success, warning and info fail that with white text.
    /// </summary>
    internal static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#3949ab",
            AppbarBackground = "#283593",
            Secondary = "#6a1b9a",
            Success = "#2e7d32",
            Info = "#1565c0",
            Warning = "#a15c00",
            Error = "#c62828",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#9fa8da",
            PrimaryContrastText = "#000000",
            AppbarBackground = "#1a237e",
            Secondary = "#ce93d8",
            SecondaryContrastText = "#000000",
            Success = "#2e7d32",
            Info = "#1565c0",
            Warning = "#a15c00",
            Error = "#c62828",
        },
    };

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender)
        {
            return;
        }
        _themeStore = await JS.InvokeAsync<IJSObjectReference>("import", "./js/theme.js");
        // A remembered choice wins; otherwise follow the operating system.
        DarkMode = await _themeStore.InvokeAsync<bool?>("load") ?? (_themeProvider is not null && await _themeProvider.GetSystemDarkModeAsync());
        Interactive = true;
        StateHasChanged();
    }

    internal async Task ToggleDarkModeAsync()
    {
        DarkMode = !DarkMode;
        if (_themeStore is not null)
        {
            await _themeStore.InvokeVoidAsync("save", DarkMode);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_themeStore is not null)
        {
            try
            {
                await _themeStore.DisposeAsync();
            }
            catch (JSDisconnectedException)
            {
                // The browser is gone; nothing to release.
            }
        }
    }
}
